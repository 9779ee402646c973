"""The bot as a user meets it: the real Application polling the sandbox over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from telegram.ext import Application

from bot.app import build_application, polling, services_of
from bot.config import Config, parse_config
from bot.sandbox import Chat, Message, Sandbox, User
from bot.tracking import CountingUpdateProcessor
from storage.db import Database
from storage.migrate import upgrade_async


@dataclass
class Harness:
    sandbox: Sandbox
    application: Application
    config: Config
    db: Database
    updates: CountingUpdateProcessor
    group: Chat
    admin: User
    member: User
    pushed: int = 0
    _running: AsyncExitStack = field(default_factory=AsyncExitStack, repr=False)

    async def restart(self) -> None:
        """Stop the bot and start a new one on the same sandbox and database file, as a deploy
        does: whatever the old process kept in memory is gone."""
        await self._running.aclose()
        self.application, self.db, self.updates = await _start(self.config, self._running)
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


@asynccontextmanager
async def running_bot(
    tmp_path: Path, *, sandbox_options: dict[str, Any] | None = None, **config: Any
) -> AsyncIterator[Harness]:
    """A started sandbox, a migrated SQLite file, and the Application polling them."""
    async with Sandbox(**(sandbox_options or {})) as sandbox:
        admin = sandbox.add_user("管理员", username="boss")
        member = sandbox.add_user("张三")
        group = sandbox.add_chat("supergroup", title="荆州市总工会工作群")
        url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
        await upgrade_async(url)
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
        async with AsyncExitStack() as running:
            application, db, updates = await _start(cfg, running)
            harness = Harness(sandbox, application, cfg, db, updates, group, admin, member)
            harness._running = running
            yield harness


async def _start(
    config: Config, stack: AsyncExitStack
) -> tuple[Application, Database, CountingUpdateProcessor]:
    """A new Application (and database engine) polling the sandbox until `stack` closes."""
    db = Database.from_url(config.database.url)
    application = build_application(config, db=db)
    await stack.enter_async_context(polling(application, poll_timeout=1))
    return application, db, services_of(application).updates
