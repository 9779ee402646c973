"""Benchmark the reminder dispatcher.

1. Burst: 10,000 reminders due at once across 200 group chats (50 items each), sent through the
   real bot stack (PTB, our WindowRateLimiter, the notifier) to the sandbox enforcing Telegram's
   limits (30 messages/s overall, 1/s in any chat, 20/min per group). The sandbox runs in a
   child process, so the CPU time measured is the bot's alone. Reported: wall time against the
   floor the limits allow, 429s the sandbox answered, the bot's CPU seconds.
2. Waiting sends (--waiting-sends N): N chats' messages queued on the bot's limiter at once,
   the bot's CPU to let them go.
3. Sweep: one pass of the every-minute sweep (claim what is due, find the next fire time) with
   100,000 items and their planned reminders in the database.

Run: .venv/bin/python tests/bench/bench_reminders.py [--chats 200] [--items-per-chat 50]
     [--sweep-items 100000] [--database-url postgresql+asyncpg://…] [--skip-burst|--skip-sweep]
     [--waiting-sends 600]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.config import parse_config
from bot.services import make_planner
from jobs.claims import next_fire_at
from jobs.dispatcher import Dispatcher
from storage.db import Database
from storage.migrate import upgrade_async
from storage.models import (
    Chat,
    Department,
    DepartmentMember,
    Item,
    ItemDepartment,
    ItemLeader,
    Person,
    Plan,
    Reminder,
)
from tests.support.large_office import DEPARTMENTS, LEADERS, TITLES, build_office

SH = ZoneInfo("Asia/Shanghai")


# --- the sandbox in a child process ---------------------------------------------------------


async def _serve_sandbox(chats: int) -> None:
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
                    "too_many_requests": sandbox.stats.too_many_requests,
                    "cpu": time.process_time(),
                }
            ),
            flush=True,
        )


# --- building a database fast ---------------------------------------------------------------


async def _office(
    db: Database, chat_ids: list[int], items_per_chat: int, fire_at: datetime, rng: random.Random
) -> None:
    """Chats with a plan each; every item has a bound leader, a department with a bound
    member, and one reminder row due at `fire_at`."""
    async with db.session() as session:
        await session.execute(
            insert(Chat),
            [{"tg_chat_id": c, "title": f"群{c}", "type": "supergroup"} for c in chat_ids],
        )
        chats = dict((await session.execute(select(Chat.tg_chat_id, Chat.id))).all())
        user = 10_000
        people, departments = [], []
        for tg in chat_ids:
            for name in LEADERS:
                user += 1
                people.append({"chat_id": chats[tg], "name": name, "tg_user_id": user})
            for name in DEPARTMENTS:
                departments.append({"chat_id": chats[tg], "name": name})
        await session.execute(insert(Person), people)
        await session.execute(insert(Department), departments)
        await session.execute(
            insert(Plan),
            [{"chat_id": chats[tg], "year": 2020, "month": 10, "title": "计划"} for tg in chat_ids],
        )
        plan_of = dict((await session.execute(select(Plan.chat_id, Plan.id))).all())
        person_rows = (await session.execute(select(Person.chat_id, Person.id))).all()
        department_rows = (await session.execute(select(Department.chat_id, Department.id))).all()
        persons: dict[int, list[int]] = {}
        for chat_id, pid in person_rows:
            persons.setdefault(chat_id, []).append(pid)
        depts: dict[int, list[int]] = {}
        for chat_id, did in department_rows:
            depts.setdefault(chat_id, []).append(did)
        await session.execute(
            insert(DepartmentMember),
            [
                {"department_id": d, "person_id": persons[c][i % len(LEADERS)]}
                for c, ds in depts.items()
                for i, d in enumerate(ds)
            ],
        )
        items = [
            {
                "plan_id": plan_of[chats[tg]],
                "seq": seq,
                "title": rng.choice(TITLES),
                "deadline": date(2020, 10, 31),
                "deadline_text": "十月份",
            }
            for tg in chat_ids
            for seq in range(1, items_per_chat + 1)
        ]
        await session.execute(insert(Item), items)
        item_rows = (await session.execute(select(Item.id, Item.plan_id))).all()
        chat_of_plan = {p: c for c, p in plan_of.items()}
        await session.execute(
            insert(ItemLeader),
            [
                {"item_id": i, "person_id": rng.choice(persons[chat_of_plan[p]])}
                for i, p in item_rows
            ],
        )
        await session.execute(
            insert(ItemDepartment),
            [
                {"item_id": i, "department_id": rng.choice(depts[chat_of_plan[p]])}
                for i, p in item_rows
            ],
        )
        await session.execute(
            insert(Reminder),
            [{"item_id": i, "kind": "due", "fire_at": fire_at} for i, _ in item_rows],
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


async def burst(chats: int, items_per_chat: int, database_url: str | None) -> None:
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        __file__,
        "--serve-sandbox",
        str(chats),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert child.stdin is not None and child.stdout is not None
    info = json.loads(await child.stdout.readline())
    with tempfile.TemporaryDirectory() as folder:
        async with _database(database_url, folder, "burst.db") as url:
            await upgrade_async(url)
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
            fire_at = datetime(2020, 10, 30, 9, tzinfo=SH)
            await _office(db, info["chats"], items_per_chat, fire_at, random.Random(2020))

            from bot.app import build_application
            from bot.delivery.reminders import make_dispatcher

            application = build_application(config, db=db)
            async with application:
                svc_planner = make_planner(config)
                dispatcher = make_dispatcher(config, db, svc_planner, application.bot)
                cpu, wall = time.process_time(), time.perf_counter()
                report = await dispatcher.dispatch(fire_at + timedelta(seconds=1))
                wall = time.perf_counter() - wall
                cpu = time.process_time() - cpu
            await db.close()
    child.stdin.write(b"stats\n")
    await child.stdin.drain()
    stats = json.loads(await child.stdout.readline())
    await asyncio.wait_for(child.wait(), 30)

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
    print(f"  429s answered    {stats['too_many_requests']:7d}")
    print(f"  sendMessage sent {stats['send_requests']:7d}")
    print(f"  bot CPU          {cpu:7.2f} s")
    # ru_maxrss is in KiB on Linux.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  bot peak RSS     {peak:7.1f} MiB (setup included)")
    print(f"  sandbox CPU      {stats['cpu']:7.2f} s (whole run, setup included)")
    print(f"  database         {url.split(':')[0]}")


async def waiting_sends(chats: int) -> None:
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


async def sweep(items: int, database_url: str | None, repeat: int = 25) -> None:
    with tempfile.TemporaryDirectory() as folder:
        async with _database(database_url, folder, "sweep.db") as url:
            await upgrade_async(url)
            db = Database.from_url(url)
            now = datetime(2020, 11, 16, 10, 0, 30, tzinfo=SH).astimezone(UTC)
            started = time.perf_counter()
            rows = (await build_office(db, items, now)).reminders
            built = time.perf_counter() - started
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
    print(f"sweep: {items:,} items, {rows:,} reminder rows (built in {built:.1f} s)")
    print(
        f"  median {statistics.median(timings) * 1000:6.1f} ms, max {max(timings) * 1000:6.1f} ms"
    )
    print(f"  database {url.split(':')[0]}")


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
    parser.add_argument("--serve-sandbox", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_sandbox is not None:
        asyncio.run(_serve_sandbox(args.serve_sandbox))
        return
    if not args.skip_burst:
        asyncio.run(burst(args.chats, args.items_per_chat, args.database_url))
    if args.waiting_sends:
        asyncio.run(waiting_sends(args.waiting_sends))
    if not args.skip_sweep:
        asyncio.run(sweep(args.sweep_items, args.database_url))


if __name__ == "__main__":
    main()
