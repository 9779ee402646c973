"""Benchmark what a command and a scrape cost on a large database, against the floor.

The database: `--items` items (100,000 by default) in groups of 500, each with a leader, a
department and its planned reminders (tests/support/large_office.py), built once per day and
schema revision into the cache folder (tests/bench/cache.py) and copied for each run. The real
bot (PTB, its handlers, its storage) polls the sandbox over HTTP in this process, as the chat
tests do; the flood limits are lifted, so what is measured is the bot, not Telegram's windows.
The in-process reminder scheduler is off: its start-up rebuild is bench_startup's.

1. `/plan`, `/item N`, `/done N` (by an admin, on different open items) and `/mine` (by a
   bound leader of 100 items), `--commands` times each in the group of 500 items: the time
   from the message reaching the sandbox to the bot's first reply there (p50, p99).
2. `GET /metrics` over HTTP (`--scrapes` times): median and p99.
3. The floor: the bare PTB bot (floor_bot.py) answering the same commands through the same
   sandbox right after, the same way.

Run: .venv/bin/python tests/bench/bench_commands.py [--items 100000] [--commands 200]
     [--scrapes 50] [--cache DIR] [--no-floor]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import httpx
from sqlalchemy import event
from telegram.ext import Application

from bot.config import Config, parse_config
from bot.sandbox import Sandbox
from bot.sandbox.models import Chat, User
from bot.tracking import ChatOrderedUpdateProcessor
from bot.web.server import WebServer
from storage.db import Database
from tests.bench import floor_bot
from tests.bench.cache import DEFAULT_CACHE, FIRST_SANDBOX_GROUP, Office, cached, copy_to
from tests.support.harness import _start
from tests.support.large_office import FIRST_USER, LEADERS

LIFTED = (100_000, 1.0)
COMMANDS = ("plan", "item", "done", "mine")


def _time_statements(db: Database) -> list[float]:
    """A list that collects how long each statement on `db` takes (clear it between uses):
    the database's share of a command, apart from the machine's other work."""
    spent: list[float] = []

    def before(connection: Any, *_: Any) -> None:
        connection.info["bench_started"] = time.perf_counter()

    def after(connection: Any, *_: Any) -> None:
        spent.append(time.perf_counter() - connection.info.pop("bench_started"))

    event.listen(db.engine.sync_engine, "before_cursor_execute", before)
    event.listen(db.engine.sync_engine, "after_cursor_execute", after)
    return spent


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _line(what: str, timings: list[float]) -> str:
    ms = [t * 1000 for t in timings]
    return (
        f"{what:<12} n={len(ms):<4} p50 {_percentile(ms, 0.5):7.1f} ms   "
        f"p99 {_percentile(ms, 0.99):7.1f} ms   max {max(ms):7.1f} ms"
    )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _ms(figures: dict[str, float], what: str, timings: list[float]) -> None:
    """p50 and p99 of `timings` (seconds) into `figures`, in ms."""
    figures[f"{what} p50 ms"] = percentile(timings, 0.5) * 1000
    figures[f"{what} p99 ms"] = percentile(timings, 0.99) * 1000


def _all(timings: dict[str, list[float]]) -> list[float]:
    return [t for values in timings.values() for t in values]


class _Asker:
    """Sends commands into one sandbox group and times the first reply."""

    def __init__(self, sandbox: Sandbox, group: Chat, settle: Callable[[], Awaitable[None]]):
        self.sandbox, self.group, self.settle = sandbox, group, settle

    async def say(self, user: User, text: str) -> float:
        before = len(self.sandbox.sent(self.group))
        started = time.perf_counter()
        self.sandbox.send_text(self.group, user, text)
        await self.sandbox.wait_for(before + 1, chat=self.group, timeout=60)
        elapsed = time.perf_counter() - started
        await self.settle()  # the whole answer is out before the next command
        return elapsed


def _texts(command: str, n: int) -> str:
    return {"plan": "/plan", "item": f"/item {n}", "done": f"/done {n} 已报送", "mine": "/mine"}[
        command
    ]


async def _commands(
    asker: _Asker, admin: User, leader: User, count: int, in_database: list[float] | None = None
) -> tuple[dict[str, list[float]], list[float]]:
    """Each command `count` times, in turn; their timings and (with `in_database`, the list
    _time_statements fills) the seconds each /done spent in SQL."""
    timings: dict[str, list[float]] = {c: [] for c in COMMANDS}
    done_sql: list[float] = []
    for n in range(1, count + 1):
        for command in COMMANDS:
            user = leader if command == "mine" else admin
            if in_database is not None:
                in_database.clear()
            timings[command].append(await asker.say(user, _texts(command, n)))
            if command == "done" and in_database is not None:
                done_sql.append(sum(in_database))
    return timings, done_sql


async def _floor(
    sandbox: Sandbox, asker: _Asker, admin: User, leader: User, count: int
) -> dict[str, float]:
    """The same commands answered by the bare PTB bot through the same sandbox."""
    application = floor_bot.build(sandbox.token, sandbox.base_url)

    async def settle() -> None:  # its answer is one message: out when say() saw it
        pass

    asker.settle = settle
    figures: dict[str, float] = {}
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0, timeout=1)
        try:
            await asker.say(admin, "/help")  # warm up
            timings, _ = await _commands(asker, admin, leader, count)
        finally:
            await application.updater.stop()
            await application.stop()
    for command, values in timings.items():
        _ms(figures, f"floor /{command}", values)
    figures["floor command p99 ms"] = percentile(_all(timings), 0.99) * 1000
    return figures


def bench_config(sandbox: Sandbox, path: Path, admin: int) -> Config:
    """The bot against `sandbox` on the SQLite file `path`, `admin` a configured admin, its
    flood limits lifted (as the sandbox's) and the in-process reminder scheduler off."""
    return parse_config(
        {
            "telegram": {
                "token": sandbox.token,
                "base_url": sandbox.base_url,
                "base_file_url": sandbox.base_file_url,
                "rate_limits": {
                    "group_max_rate": LIFTED[0],
                    "group_burst_max_rate": LIFTED[0],
                    "overall_max_rate": LIFTED[0],
                },
            },
            "database": {"url": f"sqlite+aiosqlite:///{path}"},
            "access": {"admins": [admin]},
            "reminders": {"scheduler": False},
        },
        source="bench",
        env={},
    )


@dataclass(frozen=True, slots=True)
class OfficeBot:
    """The bot running on a copy of the large office, and the sandbox it polls."""

    sandbox: Sandbox
    admin: User
    group: Chat
    application: Application  # type: ignore[type-arg]
    db: Database
    updates: ChatOrderedUpdateProcessor
    crashes: list[BaseException]


@asynccontextmanager
async def office_bot(
    items: int, cache: Path = DEFAULT_CACHE, per_chat: int | None = None
) -> AsyncIterator[OfficeBot]:
    """The bot on a fresh copy of the cached office of `items` items (built if missing), a
    configured admin and the office's first group in a sandbox without flood limits (a
    group's one-message-a-second window too, or back-to-back commands would measure that
    window, ≈1,000 ms each, not the bot)."""
    office = Office(items) if per_chat is None else Office(items, per_chat=per_chat)
    cached_path = await cached(office, cache)
    async with Sandbox(
        group_limit=LIFTED, group_burst_limit=LIFTED, overall_limit=LIFTED
    ) as sandbox:
        group = sandbox.add_chat("supergroup", title="荆州市总工会工作群")
        assert group.id == FIRST_SANDBOX_GROUP, "the database's first group is the sandbox's first"
        admin = sandbox.add_user("管理员", username="boss")
        with tempfile.TemporaryDirectory() as folder:
            path = copy_to(cached_path, Path(folder))
            async with AsyncExitStack() as stack:
                crashes: list[BaseException] = []
                application, db, updates = await _start(
                    bench_config(sandbox, path, admin.id), stack, crashes
                )
                yield OfficeBot(sandbox, admin, group, application, db, updates, crashes)


async def measure(
    items: int,
    commands: int = 200,
    scrapes: int = 50,
    cache: Path = DEFAULT_CACHE,
    floor: bool = True,
) -> dict[str, Any]:
    """The figures: `/plan p50 ms`, …, `command p99 ms` (all four), `/done SQL p50 ms`,
    `/metrics p50 ms` …, and the floor's `floor /plan p50 ms` … (when `floor`)."""
    figures: dict[str, Any] = {"items": items, "commands": commands}
    async with office_bot(items, cache) as office:
        sandbox, admin, group = office.sandbox, office.admin, office.group
        # Bound in the database as the group's first leader: leads every fifth item.
        leader = sandbox.add_user(LEADERS[0], user_id=FIRST_USER)
        in_database = _time_statements(office.db)
        pushed = 0

        async def settle() -> None:
            nonlocal pushed
            pushed += 1
            assert await office.updates.wait_handled(pushed, 60)

        asker = _Asker(sandbox, group, settle)
        await asker.say(admin, "/help")  # warm up: first use of the handlers and the pool
        await asker.say(leader, "/help")  # the new account is recorded once
        timings, done_sql = await _commands(asker, admin, leader, commands, in_database)
        done = [m for m in sandbox.sent(group) if "已完成" in (m.text or "")]
        assert len(done) >= commands, "every /done was answered as done"
        for command, values in timings.items():
            _ms(figures, f"/{command}", values)
        figures["command p99 ms"] = percentile(_all(timings), 0.99) * 1000
        _ms(figures, "/done SQL", done_sql)

        server = WebServer(office.application)
        port = server.start("127.0.0.1", 0)
        try:
            async with httpx.AsyncClient() as client:
                url = f"http://127.0.0.1:{port}/metrics"
                assert (await client.get(url)).status_code == 200
                scraped, scraped_sql = [], []
                for _ in range(scrapes):
                    # Each scrape reads, as the first after a second does.
                    server.recent_outbox.forget()
                    in_database.clear()
                    started = time.perf_counter()
                    answer = await client.get(url)
                    scraped.append(time.perf_counter() - started)
                    scraped_sql.append(sum(in_database))
                    assert answer.status_code == 200
        finally:
            await server.stop()
        _ms(figures, "/metrics", scraped)
        _ms(figures, "/metrics SQL", scraped_sql)
        # A figure from a bot that crashed on the way says nothing.
        assert not office.crashes, f"the bot crashed: {office.crashes[0]!r}"
        if floor:
            await office.application.updater.stop()  # type: ignore[union-attr]
            figures.update(await _floor(sandbox, asker, admin, leader, commands))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--commands", type=int, default=200)
    parser.add_argument("--scrapes", type=int, default=50)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--no-floor", action="store_true")
    args = parser.parse_args()
    figures = asyncio.run(
        measure(args.items, min(args.commands, 500), args.scrapes, args.cache, not args.no_floor)
    )
    print(f"{args.items:,} items, SQLite, {datetime.now(UTC):%Y-%m-%d}")
    print(json.dumps(figures, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
