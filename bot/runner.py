"""`planbot run`: the bot in polling or webhook mode until SIGINT or SIGTERM."""

from __future__ import annotations

import asyncio
import logging
import signal
from contextlib import AsyncExitStack

from bot.app import build_application, polling, webhook
from bot.config import Config
from bot.web import WebServer
from storage.migrate import upgrade_async

log = logging.getLogger(__name__)


async def serve(config: Config, *, drop_webhook: bool = False) -> None:
    await upgrade_async(config.database.url)
    application = build_application(config)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with AsyncExitStack() as stack:
        if config.telegram.mode == "webhook":
            web = await stack.enter_async_context(webhook(application, config))
            log.info("webhook mode: listening on port %s", web.port)
            if drop_webhook:
                # Leave Telegram without a webhook on the way out (before the bot closes).
                stack.push_async_callback(application.bot.delete_webhook)
        else:
            # A webhook left by an earlier deployment would make every getUpdates fail.
            if drop_webhook:
                await application.bot.delete_webhook()
            await stack.enter_async_context(polling(application))
            if config.http.port:
                server = WebServer(application)
                server.start(config.http.listen, config.http.port)
                stack.push_async_callback(server.stop)
                log.info("health and metrics on port %s", server.port)
        await stop.wait()
        log.info("stopping")
