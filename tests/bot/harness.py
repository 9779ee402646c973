"""The bot as a user meets it: the real Application polling the sandbox over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
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
        db = Database.from_url(url)
        application = build_application(cfg, db=db)
        async with polling(application, poll_timeout=1):
            yield Harness(
                sandbox,
                application,
                cfg,
                db,
                services_of(application).updates,
                group,
                admin,
                member,
            )
