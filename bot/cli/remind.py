"""`planbot remind`: one dispatch pass now, then exit — for deployments that drive reminders
from cron rather than the bot's own scheduler (`[reminders] scheduler = false`).

`--dry-run` prints what would be sent, to which chat and whom it would ping, and writes
nothing (no claim, no migration). `--replan` first does the daily upkeep (rolls the overdue
window forward, plans digests): run it once a day from cron, e.g. at 00:05. The window reaches
14 days ahead, so a run may be missed 13 days running before an overdue reminder is; and a plain
`planbot remind` runs the upkeep itself once the window reaches less than 7 days ahead.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TextIO

# `planbot` builds its parser from add_parser below on every start, `--help` included: what a
# pass needs (the database, PTB, the dispatcher) is imported when it runs.
if TYPE_CHECKING:
    from bot.config import Config
    from jobs.dispatcher import DeliveryResult, FailureNote, Recording
    from jobs.entries import MessageContent

EXIT_FAILED = 1
EXIT_USAGE = 2


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    remind = commands.add_parser(
        "remind", parents=[common], help="send the reminders due now, then exit (for cron)"
    )
    remind.add_argument(
        "--dry-run", action="store_true", help="print what would be sent and to whom; write nothing"
    )
    remind.add_argument(
        "--replan", action="store_true", help="roll the outbox forward first (run once a day)"
    )


def run_remind(config: Config, args: argparse.Namespace) -> int:
    return asyncio.run(remind(config, dry_run=args.dry_run, replan=args.replan))


class _Silent:
    """The dry run's notifier: it is never asked to send."""

    async def deliver(  # pragma: no cover
        self, content: MessageContent, *, stopped: asyncio.Event, recording: Recording
    ) -> DeliveryResult:
        raise AssertionError("a dry run sends nothing")

    async def report_failures(self, failures: Sequence[FailureNote]) -> None:  # pragma: no cover
        raise AssertionError("a dry run sends nothing")


async def remind(
    config: Config,
    *,
    dry_run: bool = False,
    replan: bool = False,
    now: datetime | None = None,
    out: TextIO | None = None,
) -> int:
    from bot.i18n import t
    from bot.views.render import plain

    out = out or sys.stdout
    now = now or datetime.now(UTC)
    if dry_run:
        return await _dry_run(config, now, out)
    if not config.token:
        print(plain(t(config.i18n.locale, "run.no_token")), file=sys.stderr)
        return EXIT_USAGE
    from storage.migrate import upgrade_async

    await upgrade_async(config.database.url)
    if not replan and not await _anything_due(config, now, roll_if_short=True):
        print(t(config.i18n.locale, "remind.cli_nothing"), file=out)
        return 0
    from bot.app import build_application
    from bot.delivery.reminders import make_dispatcher
    from jobs.upkeep import upkeep

    application = build_application(config)
    svc = application.bot_data.services
    # Only initialize, not post_init: this process must not start a scheduler of its own.
    async with application:
        dispatcher = make_dispatcher(config, svc.db, svc.planner, application.bot)
        # Stopped (systemd's timer, Ctrl-C): the message on its way finishes, the rest of the
        # pass goes back to the outbox for the next run.
        signals = (signal.SIGINT, signal.SIGTERM)
        loop = asyncio.get_running_loop()
        for sig in signals:
            loop.add_signal_handler(sig, dispatcher.stop)
        try:
            if replan:
                await upkeep(svc.db, svc.planner, now=now)
            report = await dispatcher.dispatch(now)
        finally:
            for sig in signals:
                loop.remove_signal_handler(sig)
    await svc.db.close()
    locale = config.i18n.locale
    if dispatcher.stopping():
        print(t(locale, "remind.cli_stopped"), file=out)
    if report.claimed == 0:
        print(t(locale, "remind.cli_nothing"), file=out)
    else:
        print(
            t(
                locale,
                "remind.cli_sent",
                messages=report.messages,
                sent=report.sent,
                retried=report.retried,
                failed=report.failed,
            ),
            file=out,
        )
    return EXIT_FAILED if report.failed else 0


async def _anything_due(config: Config, now: datetime, *, roll_if_short: bool = False) -> bool:
    """Whether a pass at `now` has anything to send: cron runs `planbot remind` every minute
    and nearly always nothing is, which one read answers without loading PTB and the bot.

    The same read looks at the reminder window: once it reaches less than a week ahead (the
    daily `--replan` line missing, or never added), the upkeep runs here first, still without
    Telegram, so a cron setup misses no overdue reminder for want of it."""
    from jobs.claims import due_chats
    from jobs.window import window_short
    from storage.db import Database
    from storage.reminder_window import read_window

    db = Database.from_url(config.database.url)
    try:
        async with db.reading() as session:
            window = await read_window(session)
            due = bool(await due_chats(session, now))
        today = now.astimezone(config.schedule.tz).date()
        if not roll_if_short or not window_short(window.through if window else None, today):
            return due
        from bot.planning import make_planner
        from jobs.upkeep import upkeep

        await upkeep(db, make_planner(config), now=now)
        async with db.reading() as session:
            return bool(await due_chats(session, now))
    finally:
        await db.close()


async def _dry_run(config: Config, now: datetime, out: TextIO) -> int:
    from sqlalchemy.exc import DBAPIError

    from bot.i18n import t
    from bot.services import make_planner
    from bot.views.reminder import mentioned, plain_text
    from jobs.dispatcher import Dispatcher
    from storage.db import Database

    locale = config.i18n.locale
    db = Database.from_url(config.database.url)
    try:
        dispatcher = Dispatcher(
            db,
            make_planner(config),
            _Silent(),
            supervisors=config.reminders.supervisors,
            default_locale=locale,
        )
        contents = await dispatcher.preview(now)
    except DBAPIError as error:
        print(f"planbot remind: the database is not ready ({error.orig})", file=sys.stderr)
        return EXIT_FAILED
    finally:
        await db.close()
    if not contents:
        print(t(locale, "remind.cli_nothing"), file=out)
        return 0
    for content in contents:
        print(t(locale, "remind.cli_to", chat=content.tg_chat_id), file=out)
        names = mentioned(content)
        if names:
            print(t(locale, "remind.cli_mentions", names=", ".join(names)), file=out)
        print(plain_text(content), file=out)
        print(file=out)
    return 0
