"""The bot as a user meets it: the real Application polling the sandbox over HTTP.

A crash must fail the test even though the bot's error handler answers the user politely: every
exception that reaches PTB's error handlers is recorded, and so is every exception our own code
logs at ERROR while the bot runs (the reminder scheduler catches and logs its own), and
`running_bot` fails when it closes if any occurred that the test did not declare with
`Harness.expect_errors`. The database is a
copy of the migrated template on the chat backend of the test (tests/bot/conftest.py runs the
chat tests on SQLite and on PostgreSQL).
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from telegram.ext import Application, CallbackContext

from bot.app import build_application, polling
from bot.config import Config, RateLimits, parse_config
from bot.delivery.reminders import ReminderRuntime
from bot.sandbox import Chat, Message, Sandbox, User, Window
from bot.tracking import ChatOrderedUpdateProcessor
from storage.db import Database
from tests.support.databases import chat_database

# Generous: a loaded CI machine rebuilding an empty outbox takes well under a second.
REBUILD_WAIT_SECONDS = 60.0
# Telegram's one message a second into a group, on both sides, made 47% of the chat tests'
# time (they answer several commands a second in one group). Their default leaves it out of
# the way; tests of the rule itself ask for it (tests/bot/test_reminders_pacing.py).
RELAXED_GROUP_BURST = {"group_burst_max_rate": 20, "group_burst_time_period": 1.0}


def sandbox_limits(limits: RateLimits) -> dict[str, Window]:
    """The sandbox enforcing the flood limits the bot keeps to."""
    return {
        "private_limit": (limits.private_max_rate, limits.private_time_period),
        "group_limit": (limits.group_max_rate, limits.group_time_period),
        "group_burst_limit": (limits.group_burst_max_rate, limits.group_burst_time_period),
        "overall_limit": (limits.overall_max_rate, limits.overall_time_period),
    }


@dataclass
class Harness:
    sandbox: Sandbox
    application: Application
    config: Config
    db: Database
    updates: ChatOrderedUpdateProcessor
    group: Chat
    admin: User
    member: User
    pushed: int = 0
    # Every exception PTB handed to the error handlers, in order (restarts included).
    errors: list[BaseException] = field(default_factory=list)
    _expected: tuple[type[BaseException], ...] = ()
    _running: AsyncExitStack = field(default_factory=AsyncExitStack, repr=False)

    def expect_errors(self, *kinds: type[BaseException]) -> None:
        """Declare that the bot will crash with these exceptions during this test (at least
        once); any other exception still fails the test."""
        self._expected += kinds

    async def restart(self) -> None:
        """Stop the bot and start a new one on the same sandbox and database file, as a deploy
        does: whatever the old process kept in memory is gone."""
        await self._running.aclose()
        self.application, self.db, self.updates = await _start(
            self.config, self._running, self.errors
        )
        self.pushed = 0

    async def settle(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        assert await self.updates.wait_handled(self.pushed, timeout), self.sandbox.describe()

    async def say(
        self, text: str, *, user: User | None = None, chat: Chat | None = None, **kw: Any
    ) -> list[Message]:
        """`user` writes `text` in `chat`; returns what the bot sent in reply."""
        chat = chat or self.group
        before = len(self.sandbox.sent(chat))
        self.sandbox.send_text(chat, user or self.member, text, **kw)
        self.pushed += 1
        await self.settle()
        return self.sandbox.sent(chat)[before:]

    async def send_photo(
        self,
        caption: str | None = None,
        *,
        user: User | None = None,
        chat: Chat | None = None,
        content: bytes = b"\xff\xd8\xff photo",
        **kw: Any,
    ) -> list[Message]:
        """`user` sends a photo captioned `caption` in `chat`; returns what the bot sent."""
        chat = chat or self.group
        before = len(self.sandbox.sent(chat))
        self.sandbox.send_photo(chat, user or self.member, content, caption=caption, **kw)
        self.pushed += 1
        await self.settle()
        return self.sandbox.sent(chat)[before:]

    async def send_file(
        self,
        filename: str,
        content: bytes,
        caption: str | None = None,
        *,
        user: User | None = None,
        chat: Chat | None = None,
        **kw: Any,
    ) -> list[Message]:
        """`user` sends a file captioned `caption` in `chat`; returns what the bot sent."""
        chat = chat or self.group
        before = len(self.sandbox.sent(chat))
        self.sandbox.send_document(
            chat, user or self.member, filename, content, caption=caption, **kw
        )
        self.pushed += 1
        await self.settle()
        return self.sandbox.sent(chat)[before:]

    def check_crashes(self) -> None:
        """Fail on an exception the test did not expect, or an expected one that never came,
        or an error inside the sandbox itself."""
        unexpected = [e for e in self.errors if not isinstance(e, self._expected)]
        problems = [f"the bot crashed: {_traceback(e)}" for e in unexpected]
        problems += [f"the sandbox failed: {_traceback(e)}" for e in self.sandbox.errors]
        for kind in self._expected:
            if not any(isinstance(e, kind) for e in self.errors):
                problems.append(f"expected the bot to crash with {kind.__name__}; it did not")
        if problems:
            raise AssertionError("\n".join(problems))


# Our packages; bot.handlers.errors logs what PTB's error handlers already recorded.
_OURS = ("bot", "jobs", "storage", "plans")
_ALREADY_RECORDED = "bot.handlers.errors"


class _LoggedCrashes(logging.Handler):
    """Keeps the exception of every ERROR our code logs with a traceback."""

    def __init__(self, errors: list[BaseException]) -> None:
        super().__init__(logging.ERROR)
        self.errors = errors

    def emit(self, record: logging.LogRecord) -> None:
        ours = record.name.split(".")[0] in _OURS and record.name != _ALREADY_RECORDED
        if ours and record.exc_info and record.exc_info[1] is not None:
            self.errors.append(record.exc_info[1])


def _traceback(error: BaseException) -> str:
    return "".join(traceback.format_exception(error)).rstrip()


@asynccontextmanager
async def running_bot(
    tmp_path: Path, *, sandbox_options: dict[str, Any] | None = None, **config: Any
) -> AsyncIterator[Harness]:
    """A started sandbox, the test's migrated database on the chat backend (the same one for
    every bot started with this `tmp_path`), and the Application polling them; fails on leaving
    if the bot crashed unexpectedly (see Harness.expect_errors).

    The sandbox enforces the `[telegram.rate_limits]` the bot is given (Telegram's, but for
    a group's one a second: RELAXED_GROUP_BURST), unless `sandbox_options` say otherwise."""
    limits = {**RELAXED_GROUP_BURST, **config.get("telegram", {}).get("rate_limits", {})}
    config = {**config, "telegram": {**config.get("telegram", {}), "rate_limits": limits}}
    windows = sandbox_limits(RateLimits(**limits))
    async with Sandbox(**{**windows, **(sandbox_options or {})}) as sandbox:
        url = await chat_database(tmp_path)
        admin = sandbox.add_user("管理员", username="boss")
        member = sandbox.add_user("张三")
        group = sandbox.add_chat("supergroup", title="荆州市总工会工作群")
        data: dict[str, Any] = {
            "telegram": {
                "token": sandbox.token,
                "base_url": sandbox.base_url,
                "base_file_url": sandbox.base_file_url,
            },
            "database": {"url": url},
            "access": {"admins": [admin.id]},
        }
        for section, values in config.items():
            data.setdefault(section, {}).update(values)
        cfg = parse_config(data, source="test", env={})
        errors: list[BaseException] = []
        logged = _LoggedCrashes(errors)
        logging.getLogger().addHandler(logged)
        try:
            async with AsyncExitStack() as running:
                application, db, updates = await _start(cfg, running, errors)
                harness = Harness(sandbox, application, cfg, db, updates, group, admin, member)
                harness.errors = errors
                harness._running = running
                yield harness
        finally:
            logging.getLogger().removeHandler(logged)
        # Only when the test body passed: a failure of its own says more than a crash after it.
        harness.check_crashes()


async def _start(
    config: Config, stack: AsyncExitStack, errors: list[BaseException]
) -> tuple[Application, Database, ChatOrderedUpdateProcessor]:
    """A new Application (and database engine) polling the sandbox until `stack` closes; what
    reaches its error handlers is appended to `errors`."""
    db = Database.from_url(config.database.url)
    application = build_application(config, db=db)

    async def record(update: object, context: CallbackContext) -> None:
        if context.error is not None:
            errors.append(context.error)

    application.add_error_handler(record)
    await stack.enter_async_context(polling(application, poll_timeout=1))
    # The start-up rebuild runs in the background with the clock it read when it began; a test
    # that moves the clock (time_machine) must not race it, or the rebuild would drop questions
    # asked "later" as long expired. Wait for it, so every test starts from a settled bot.
    runtime: ReminderRuntime | None = application.bot_data.reminders
    if runtime is not None and runtime.scheduler is not None:
        await asyncio.wait_for(runtime.scheduler.rebuilt.wait(), REBUILD_WAIT_SECONDS)
    # The "/" menu is settled in the background once polling began; so is it, for the tests
    # that read it.
    menu = application.bot_data.menu
    if menu is not None:
        await asyncio.wait_for(asyncio.shield(menu), REBUILD_WAIT_SECONDS)
    return application, db, application.bot_data.services.updates
