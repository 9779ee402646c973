"""Benchmark what a command and a scrape cost on a large database.

The database: `--items` items (100,000 by default) in groups of 500, each with a leader, a
department and its planned reminders (tests/support/large_office.py), built once per day and
schema revision into a cache folder and copied for each run. The real bot (PTB, its handlers,
its storage) polls the sandbox over HTTP in this process, as the chat tests do; the flood
limits are lifted (a group's one-message-a-second window too), so what is measured is the
bot, not Telegram's windows. The in-process
reminder scheduler is off: its start-up rebuild of every item is measured elsewhere.

1. `/done N` by an admin, on `--commands` different open items of one group: the time from the
   message reaching the sandbox to the bot's reply there (p50, p99), with the process's CPU
   time (the sandbox's share included; a loaded machine distorts it less than wall time)
   and the time in SQL statements.
2. `GET /metrics` over HTTP (`--scrapes` times): median and p99, the same way; each scrape
   reads the database (the figures a scrape read serve the scrapes of the next second).

Run: .venv/bin/python tests/bench/bench_commands.py [--items 100000] [--commands 200]
     [--scrapes 50] [--cache DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
from collections.abc import AsyncIterator
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
from storage.migrate import head, upgrade_async
from tests.support.harness import _start
from tests.support.large_office import SHANGHAI, build_office

LIFTED = (100_000, 1.0)


async def _cached_database(cache: Path, items: int, tg_chat_id: int) -> Path:
    """The large office for today at the code's schema revision, built if not cached yet."""
    today = datetime.now(SHANGHAI).date()
    path = cache / f"office-{items}-{today:%Y%m%d}-{head()}.db"
    building = path.with_suffix(".building")
    if _cached(path, building):
        return path
    url = f"sqlite+aiosqlite:///{building}"
    await upgrade_async(url)
    db = Database.from_url(url)
    started = time.perf_counter()
    office = await build_office(db, items, datetime.now(UTC), tg_chat_ids=[tg_chat_id])
    await db.close()  # checkpoints the WAL into the one file
    building.rename(path)
    print(
        f"built {office.items:,} items, {office.reminders:,} reminder rows "
        f"in {time.perf_counter() - started:.0f} s -> {path}"
    )
    return path


def _cached(path: Path, building: Path) -> bool:
    """Whether `path` is built; if not, its folder is made and a half-built copy removed."""
    if path.exists():
        return True
    path.parent.mkdir(parents=True, exist_ok=True)
    building.unlink(missing_ok=True)
    return False


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
    application: Application
    db: Database
    updates: ChatOrderedUpdateProcessor


@asynccontextmanager
async def office_bot(items: int, cache: Path) -> AsyncIterator[OfficeBot]:
    """The bot on a fresh copy of the cached office of `items` items (built if missing), a
    configured admin and the office's first group in a sandbox without flood limits (a
    group's one-message-a-second window too, or back-to-back commands would measure that
    window, ≈1,000 ms each, not the bot)."""
    async with Sandbox(
        group_limit=LIFTED, group_burst_limit=LIFTED, overall_limit=LIFTED
    ) as sandbox:
        admin = sandbox.add_user("管理员", username="boss")
        group = sandbox.add_chat("supergroup", title="荆州市总工会工作群")
        cached = await _cached_database(cache, items, group.id)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "bench.db"
            shutil.copyfile(cached, path)
            async with AsyncExitStack() as stack:
                application, db, updates = await _start(
                    bench_config(sandbox, path, admin.id), stack, []
                )
                yield OfficeBot(sandbox, admin, group, application, db, updates)


async def run(items: int, commands: int, scrapes: int, cache: Path) -> None:
    async with office_bot(items, cache) as office:
        sandbox, admin, group = office.sandbox, office.admin, office.group
        updates = office.updates
        in_database = _time_statements(office.db)
        pushed = 0

        async def say(text: str) -> tuple[float, float]:
            """The wall time to the reply, and the process's CPU time until handled."""
            nonlocal pushed
            before = len(sandbox.sent(group))
            in_database.clear()
            started, cpu = time.perf_counter(), time.process_time()
            sandbox.send_text(group, admin, text)
            pushed += 1
            await sandbox.wait_for(before + 1, chat=group, timeout=60)
            elapsed = time.perf_counter() - started
            assert await updates.wait_handled(pushed, 30)
            return elapsed, time.process_time() - cpu

        await say("/help")  # warm up: first use of the handlers and the pool
        done, done_cpu, done_sql = [], [], []
        for n in range(1, commands + 1):
            wall, cpu = await say(f"/done {n} 已报送")
            done.append(wall)
            done_cpu.append(cpu)
            done_sql.append(sum(in_database))
        reply = sandbox.sent(group)[-1].text or ""
        assert "已完成" in reply, reply

        server = WebServer(office.application)
        port = server.start("127.0.0.1", 0)
        try:
            async with httpx.AsyncClient() as client:
                url = f"http://127.0.0.1:{port}/metrics"
                assert (await client.get(url)).status_code == 200
                scraped, scraped_cpu, scraped_sql = [], [], []
                for _ in range(scrapes):
                    # Each scrape reads, as the first after a second does.
                    server.recent_outbox.forget()
                    in_database.clear()
                    started, cpu = time.perf_counter(), time.process_time()
                    answer = await client.get(url)
                    scraped.append(time.perf_counter() - started)
                    scraped_cpu.append(time.process_time() - cpu)
                    scraped_sql.append(sum(in_database))
                    assert answer.status_code == 200
        finally:
            await server.stop()
    print(f"{items:,} items, SQLite, {datetime.now(UTC):%Y-%m-%d}")
    print(_line("/done", done))
    print(_line("  its CPU", done_cpu))
    print(_line("  its SQL", done_sql))
    print(_line("/metrics", scraped))
    print(_line("  its CPU", scraped_cpu))
    print(_line("  its SQL", scraped_sql))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--commands", type=int, default=200)
    parser.add_argument("--scrapes", type=int, default=50)
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "planbot-bench-cache"
    )
    args = parser.parse_args()
    asyncio.run(run(args.items, min(args.commands, 500), args.scrapes, args.cache))


if __name__ == "__main__":
    main()
