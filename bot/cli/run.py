"""`planbot run`: the bot in polling or webhook mode until SIGINT or SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack

from telegram import Update
from telegram.ext import Updater

from bot.config import Config
from bot.connection import connect
from bot.context import PlanbotApp
from storage.db import Database
from storage.leader import PollingLease
from storage.migrate import upgrade_async

log = logging.getLogger(__name__)

# How long the start-up waits for the first getUpdates before collecting anyway (an instance
# that does not hold the polling lock never polls).
COLLECT_AFTER_SECONDS = 5.0


async def collect_once_receiving(application: PlanbotApp) -> None:
    """The start ran with the cyclic garbage collector off (bot/cli/main.py): once updates flow,
    collect what the start left and freeze the rest, the modules and tables that live as long
    as the process, so later collections do not walk them again; then turn it back on."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(application.bot_data.receiving.wait(), COLLECT_AFTER_SECONDS)
    gc.collect()
    gc.freeze()
    gc.enable()


async def poll_while_leader(
    updater: Updater, lease: PollingLease, every: float, standby: asyncio.Event | None = None
) -> None:
    """Poll Telegram while this instance holds the polling lease; try for it `every` seconds.
    `standby` is set each time the lease went to another instance."""
    while True:
        try:
            leading = await lease.try_acquire()
        except Exception:  # the database is unreachable: nobody can lead, try again later
            log.exception("could not ask the database who polls")
            leading = False
        if leading:
            log.info("this instance polls Telegram")
            await updater.start_polling(poll_interval=0, allowed_updates=Update.ALL_TYPES)
            try:
                # A heartbeat on the lock's own connection: it fails when the lock is gone.
                held = True
                while held:
                    await asyncio.sleep(every)
                    held = await lease.still_held()
            finally:
                if updater.running:
                    await updater.stop()
            log.warning("no longer the polling instance")
        elif standby is not None:
            standby.set()
        await asyncio.sleep(every)


async def serve(config: Config, *, drop_webhook: bool = False) -> None:
    await upgrade_async(config.database.url)
    stop = asyncio.Event()
    application: PlanbotApp | None = None

    def halt() -> None:
        # From now on a reminder pass sends no new message, the start-up's backlog pass too.
        if application is not None:
            from bot.delivery.reminders import halt_reminders  # loaded with the Application

            halt_reminders(application)

    def stopping() -> None:
        stop.set()
        halt()

    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping)
    async with AsyncExitStack() as stack:
        if config.telegram.mode == "webhook":
            from bot.app import build_application, webhook

            application = build_application(config)
            web = await stack.enter_async_context(webhook(application, config))
            log.info("webhook mode: listening on port %s", web.port)
            if drop_webhook:
                # Leave Telegram without a webhook on the way out (before the bot closes).
                stack.push_async_callback(application.bot.delete_webhook)
        else:
            application = await _poll_then_load(config, stack)
            if stop.is_set():
                halt()  # asked to stop while the bot loaded, before there was one to halt
        collector = asyncio.create_task(collect_once_receiving(application))
        stack.push_async_callback(_cancel, collector)
        await stop.wait()
        log.info("stopping")


async def _poll_then_load(config: Config, stack: AsyncExitStack) -> PlanbotApp:
    """Polling starts before the rest of the bot loads (handlers, tables, the scheduler: about
    half the start's CPU), so the first getUpdates is out while it does: updates that arrive
    meanwhile wait in PTB's queue and are handled, in order, once the Application starts.
    A webhook left by an earlier deployment would make every getUpdates fail: PTB's
    start_polling removes it before its first getUpdates, so --drop-webhook adds nothing."""
    db = Database.from_url(config.database.url)
    connection = connect(config)
    updater = connection.updater
    await updater.initialize()  # getMe; the Application's initialize finds it done
    lease = PollingLease(db.engine)
    standby = asyncio.Event()
    poller = asyncio.create_task(
        poll_while_leader(updater, lease, config.telegram.takeover_seconds, standby)
    )
    try:
        # The loading below holds the event loop: first let the getUpdates go out (or learn
        # that another instance polls).
        waits = {
            asyncio.create_task(connection.receiving.wait()),
            asyncio.create_task(standby.wait()),
        }
        await asyncio.wait({*waits, poller}, return_when=asyncio.FIRST_COMPLETED)
        for wait in waits:
            wait.cancel()
        from bot.app import build_application, started

        application = build_application(config, db=db, connection=connection)
        await stack.enter_async_context(started(application))
    except BaseException:
        await _cancel(poller)
        raise
    if config.http.port:
        # Only now: without a port there is no page to serve, and the web server brings the
        # board's templates (Jinja2) with it.
        from bot.web.server import WebServer

        server = WebServer(application)
        server.start(config.http.listen, config.http.port)
        stack.push_async_callback(server.stop)
        log.info("health and metrics on port %s", server.port)
    # On the way out, before the Application stops: polling, then the lock.
    stack.push_async_callback(_step, "releasing the polling lock", lease.release)
    stack.push_async_callback(_cancel, poller)
    return application


async def _step(what: str, step: Callable[[], Awaitable[None]]) -> None:
    """One step of the way out: a failure (the database went away under us) is one line in
    the log, and the rest of the stop goes on to a clean exit."""
    try:
        await step()
    except Exception as error:
        log.warning("%s failed: %s: %s", what, type(error).__name__, error)


async def _cancel(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
