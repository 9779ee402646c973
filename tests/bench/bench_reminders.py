"""Benchmark the reminder dispatcher.

1. Burst: 10,000 reminders due at once across 200 group chats (50 items each), sent through the
   real bot stack (PTB, our WindowRateLimiter, the notifier) to the sandbox enforcing Telegram's
   limits (30 messages/s overall, 1/s in any chat, 20/min per group). The sandbox runs in a
   child process, so the CPU time measured is the bot's alone. Reported: wall time against the
   floor the limits allow and against the bare PTB bot (floor_bot.burst) sending the same
   messages to the same groups through a fresh sandbox child with the same limits, 429s each
   met, the bot's CPU seconds and its peak RSS during the pass.
2. Waiting sends (--waiting-sends N): N chats' messages queued on the bot's limiter at once,
   the bot's CPU to let them go.
3. Sweep: one pass of the every-minute sweep (claim what is due, find the next fire time) with
   100,000 items and their planned reminders in the database.

The databases are built by tests/support/large_office.py (SQLite: once, into the cache folder of
tests/bench/cache.py; PostgreSQL: afresh for each run).

Run: .venv/bin/python tests/bench/bench_reminders.py [--chats 200] [--items-per-chat 50]
     [--sweep-items 100000] [--database-url postgresql+asyncpg://…] [--skip-burst|--skip-sweep]
     [--waiting-sends 600] [--cache DIR] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.config import parse_config
from bot.services import make_planner
from jobs.claims import next_fire_at
from jobs.dispatcher import Dispatcher
from storage.db import Database
from tests.bench.cache import DEFAULT_CACHE, Office, build, cached, copy_to

SH = ZoneInfo("Asia/Shanghai")


# --- the sandbox in a child process ---------------------------------------------------------


async def _serve_sandbox(chats: int) -> None:
    """A sandbox with `chats` groups, Telegram's limits; prints how to reach it, then on a
    line from stdin what was sent to it (and each message's chat and length, for the floor)."""
    from bot.sandbox import Sandbox

    async with Sandbox() as sandbox:
        ids = [sandbox.add_chat("supergroup", title=f"群{n}").id for n in range(chats)]
        print(
            json.dumps(
                {
                    "token": sandbox.token,
                    "base_url": sandbox.base_url,
                    "base_file_url": sandbox.base_file_url,
                    "chats": ids,
                }
            ),
            flush=True,
        )
        await asyncio.to_thread(sys.stdin.readline)
        sent = sandbox.stats.requests["sendMessage"]
        print(
            json.dumps(
                {
                    "send_requests": sent,
                    "messages": len(sandbox.sent()),
                    "shapes": [[m.chat.id, len(m.text or "")] for m in sandbox.sent()],
                    "too_many_requests": sandbox.stats.too_many_requests,
                    "cpu": time.process_time(),
                }
            ),
            flush=True,
        )


@asynccontextmanager
async def _database(server_url: str | None, folder: str, name: str) -> AsyncIterator[str]:
    """A fresh SQLite file, or a fresh database on the PostgreSQL server of `server_url`."""
    if server_url is None:
        yield f"sqlite+aiosqlite:///{Path(folder) / name}"
        return
    from tests.support.databases import fresh_postgres_database

    async with fresh_postgres_database(server_url) as url:
        yield url


# --- the two measurements -------------------------------------------------------------------


class _Child:
    """The sandbox in a child process (_serve_sandbox)."""

    def __init__(self, process: asyncio.subprocess.Process, info: dict[str, Any]) -> None:
        self.process, self.info = process, info

    @classmethod
    async def start(cls, chats: int) -> _Child:
        process = await asyncio.create_subprocess_exec(
            sys.executable, __file__, "--serve-sandbox", str(chats),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        )  # fmt: skip
        assert process.stdout is not None
        return cls(process, json.loads(await process.stdout.readline()))

    async def stats(self) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(b"stats\n")
        await self.process.stdin.drain()
        stats: dict[str, Any] = json.loads(await self.process.stdout.readline())
        await asyncio.wait_for(self.process.wait(), 30)
        return stats


def _reset_peak_rss() -> None:
    """From now on VmHWM (the peak RSS) counts afresh (Linux: clear_refs 5)."""
    Path("/proc/self/clear_refs").write_text("5")


def _peak_rss() -> float:
    """The process's peak RSS since the last reset, in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def burst(
    chats: int, items_per_chat: int, database_url: str | None, cache: Path = DEFAULT_CACHE
) -> dict[str, Any]:
    """Figures: `wall s`, `limits floor s`, `429s`, `bot CPU s`, `peak RSS MiB` (during the
    pass), `messages`, and the bare bot's `floor wall s` and `floor 429s`."""
    child = await _Child.start(chats)
    info = child.info
    fire_at = datetime(2020, 10, 30, 9, tzinfo=SH)
    office = Office(
        chats * items_per_chat,
        per_chat=items_per_chat,
        now=fire_at,
        due_at=fire_at,
        tg_chat_ids=tuple(info["chats"]),
    )
    with tempfile.TemporaryDirectory() as folder:
        async with _database(database_url, folder, "burst.db") as url:
            if database_url is None:
                copy_to(await cached(office, cache), Path(folder), "burst.db")
            else:
                await build(url, office)
            config = parse_config(
                {
                    "telegram": {
                        "token": info["token"],
                        "base_url": info["base_url"],
                        "base_file_url": info["base_file_url"],
                    },
                    "database": {"url": url},
                },
                source="bench",
                env={},
            )
            db = Database.from_url(url)

            from bot.app import build_application
            from bot.delivery.reminders import make_dispatcher

            application = build_application(config, db=db)
            async with application:
                svc_planner = make_planner(config)
                dispatcher = make_dispatcher(config, db, svc_planner, application.bot)
                _reset_peak_rss()
                cpu, wall = time.process_time(), time.perf_counter()
                report = await dispatcher.dispatch(fire_at + timedelta(seconds=1))
                wall = time.perf_counter() - wall
                cpu = time.process_time() - cpu
                peak = _peak_rss()
            await db.close()
    stats = await child.stats()
    floor_wall, floor_stats = await _floor_burst(chats, stats["shapes"])

    messages = report.messages
    limits = config.telegram.rate_limits
    # With at most 30 sends in any second, send k (from 0) cannot start before k // 30 s; and
    # each group takes at most 20 a minute and one a second.
    per_group = math.ceil(messages / chats)
    floor = max(
        (messages - 1) // limits.overall_max_rate * limits.overall_time_period,
        (per_group - 1) // limits.group_max_rate * limits.group_time_period,
        (per_group - 1) // limits.group_burst_max_rate * limits.group_burst_time_period,
    )
    print(f"burst: {report.sent:,} reminders in {chats} groups -> {messages} messages")
    print(f"  wall time        {wall:7.2f} s")
    print(f"  floor (limits)   {floor:7.2f} s   ({wall / floor - 1:+.1%} over)")
    print(f"  bare PTB bot     {floor_wall:7.2f} s   ({wall / floor_wall:.2f} × it)")
    print(
        f"  429s answered    {stats['too_many_requests']:7d}"
        f" (bare bot: {floor_stats['too_many_requests']})"
    )
    print(f"  sendMessage sent {stats['send_requests']:7d}")
    print(f"  bot CPU          {cpu:7.2f} s")
    print(f"  bot peak RSS     {peak:7.1f} MiB (during the pass)")
    print(f"  sandbox CPU      {stats['cpu']:7.2f} s (whole run, setup included)")
    print(f"  database         {url.split(':')[0]}")
    return {
        "reminders": report.sent,
        "messages": messages,
        "wall s": wall,
        "limits floor s": floor,
        "429s": stats["too_many_requests"],
        "bot CPU s": cpu,
        "peak RSS MiB": peak,
        "floor wall s": floor_wall,
        "floor 429s": floor_stats["too_many_requests"],
        "floor messages": floor_stats["messages"],
    }


async def _floor_burst(chats: int, shapes: list[list[int]]) -> tuple[float, dict[str, Any]]:
    """The bare PTB bot sends messages of the same lengths to the same groups, in rounds (each
    group's first message, then each one's second …), through a fresh sandbox child."""
    from telegram import Bot

    from tests.bench.floor_bot import burst as bare_burst

    child = await _Child.start(chats)
    # Both children number their groups alike; mapped anyway, in case that changes.
    groups = sorted({chat for chat, _ in shapes}, reverse=True)
    ours = dict(zip(groups, child.info["chats"][: len(groups)], strict=True))
    queues: dict[int, list[str]] = {}
    for chat, length in shapes:
        queues.setdefault(ours[chat], []).append("提" * max(1, length))
    rounds = max(len(q) for q in queues.values())
    sends = [(c, q[r]) for r in range(rounds) for c, q in queues.items() if r < len(q)]
    bot = Bot(child.info["token"], base_url=child.info["base_url"])
    async with bot:
        wall = await bare_burst(bot, sends, (30, 1.0))
    return wall, await child.stats()


async def waiting_sends(chats: int) -> dict[str, float]:
    """One message to each of `chats` chats, all asked for at once, through the bot's limiter
    alone (Telegram's limits, no HTTP): the overall 30 a second holds all but the first ones
    back, so the limiter has `chats` sends waiting. Reported: the CPU it takes to let them
    go, which must not grow with the number waiting."""
    from bot.config import RateLimits
    from bot.delivery.ratelimit import SendOptions, WindowRateLimiter

    limiter = WindowRateLimiter(RateLimits())
    stop = asyncio.Event()  # what a reminder pass hands its sends: set when the bot stops

    async def answer() -> dict[str, bool]:
        return {"ok": True}

    async def send(chat: int) -> None:
        options = SendOptions(abandon=stop)
        await limiter.process_request(answer, (), {}, "sendMessage", {"chat_id": chat}, options)

    cpu, wall = time.process_time(), time.perf_counter()
    await asyncio.gather(*(send(-1_000_000 - n) for n in range(chats)))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"waiting sends: {chats} chats, one message each, through the limiter alone")
    print(f"  wall time {wall:6.2f} s (floor {(chats - 1) // 30:.0f} s), CPU {cpu:6.2f} s")
    return {"chats": chats, "wall s": wall, "CPU s": cpu}


async def sweep(
    items: int, database_url: str | None, repeat: int = 25, cache: Path = DEFAULT_CACHE
) -> dict[str, Any]:
    """Figures: `median ms`, `max ms` of a sweep. The database is the day's (built as at 10:00:30
    in Shanghai), the sweep at the moment it was built for: a minute with nothing due."""
    office = Office(items)
    now = office.moment().astimezone(UTC)
    with tempfile.TemporaryDirectory() as folder:
        async with _database(database_url, folder, "sweep.db") as url:
            if database_url is None:
                copy_to(await cached(office, cache), Path(folder), "sweep.db")
            else:
                await build(url, office)
            db = Database.from_url(url)
            # What the every-minute job does: a dispatch pass (nothing is due in this
            # minute), then arming the timer for the next fire time.
            planner = make_planner(parse_config({}, source="bench", env={}))
            dispatcher = Dispatcher(db, planner, None)  # type: ignore[arg-type]
            timings = []
            for n in range(repeat):
                moment = now + timedelta(seconds=n)
                start = time.perf_counter()
                report = await dispatcher.dispatch(moment)
                async with db.session() as session:
                    await next_fire_at(session, moment)
                timings.append(time.perf_counter() - start)
                assert report.claimed == 0, "the sweep benchmark wants a quiet minute"
            await db.close()
    print(f"sweep: {items:,} items")
    median, worst = statistics.median(timings) * 1000, max(timings) * 1000
    print(f"  median {median:6.1f} ms, max {worst:6.1f} ms")
    print(f"  database {url.split(':')[0]}")
    return {"items": items, "median ms": median, "max ms": worst}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chats", type=int, default=200)
    parser.add_argument("--items-per-chat", type=int, default=50)
    parser.add_argument("--sweep-items", type=int, default=100_000)
    parser.add_argument("--database-url", help="PostgreSQL to use instead of a SQLite file")
    parser.add_argument("--skip-burst", action="store_true")
    parser.add_argument("--skip-sweep", action="store_true")
    parser.add_argument(
        "--waiting-sends", type=int, default=0, metavar="CHATS", help="also the limiter alone"
    )
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    parser.add_argument("--serve-sandbox", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_sandbox is not None:
        asyncio.run(_serve_sandbox(args.serve_sandbox))
        return
    figures: dict[str, Any] = {}
    if not args.skip_burst:
        figures["burst"] = asyncio.run(
            burst(args.chats, args.items_per_chat, args.database_url, args.cache)
        )
    if args.waiting_sends:
        figures["waiting sends"] = asyncio.run(waiting_sends(args.waiting_sends))
    if not args.skip_sweep:
        figures["sweep"] = asyncio.run(sweep(args.sweep_items, args.database_url, cache=args.cache))
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
