"""Benchmark the daily upkeep: how many pending reminder rows an item keeps, and what the
upkeep costs on the first pass (after an upgrade or a long downtime), on the next day's pass,
and on a restart the same day.

A database of N items (500 a group, deadlines from 60 days ago to 120 ahead, reminders planned
as if a month ago with a 90-day window; tests/support/large_office.py) is built into a temporary
folder, then the upkeep runs in this process three times:
  1. today (the rebuild at start, or the first upkeep after an upgrade);
  2. tomorrow at 00:05 (the daily pass: what entered the window);
  3. tomorrow again (a restart the same day).
Each is reported as wall time and CPU time of the process (the database's thread included), with
the pending rows per item after it. The upkeep pauses between chunks as long as a chunk took, so
wall time is about twice the work; CPU time is the cost.

Run: PYTHONPATH=. .venv/bin/python tests/bench/bench_upkeep.py [--items 10000 100000]
     (PYTHONPATH=/other/checkout runs that checkout's upkeep: a before/after pair)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from bot.config import parse_config
from bot.services import make_planner
from jobs.upkeep import upkeep
from storage.db import Database
from storage.migrate import upgrade_async
from storage.models import Item, Reminder
from tests.support.large_office import build_office


async def _pending(db: Database) -> int:
    async with db.session() as session:
        count = await session.scalar(
            select(func.count()).select_from(Reminder).where(Reminder.state == "pending")
        )
        return int(count or 0)


async def one_size(items: int, now: datetime) -> None:
    planner = make_planner(parse_config({}, source="bench", env={}))
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'planbot.db'}"
        await upgrade_async(url)
        db = Database.from_url(url)
        try:
            began = time.perf_counter()
            office = await build_office(db, items, now)
            built = time.perf_counter() - began
            async with db.session() as session:
                count = int(await session.scalar(select(func.count()).select_from(Item)) or 0)
            pending = await _pending(db)
            print(
                f"{items:,} items: built in {built:.0f} s, {office.reminders:,} reminder rows, "
                f"{pending:,} pending ({pending / count:.1f} per item, as planned with 60 days)"
            )
            tomorrow = (now + timedelta(days=1)).replace(hour=16, minute=5)  # 00:05 Shanghai
            for label, at in (
                ("today (first pass)", now),
                ("next day 00:05", tomorrow),
                ("same day again", tomorrow + timedelta(minutes=1)),
            ):
                wall, cpu = time.perf_counter(), time.process_time()
                report = await upkeep(db, planner, now=at)
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                pending = await _pending(db)
                print(
                    f"  {label:20} wall {wall:7.2f} s  CPU {cpu:7.2f} s  "
                    f"rows added {report.reminders:7,}  pending {pending:9,} "
                    f"({pending / count:.1f} per item)"
                )
        finally:
            await db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    # Before 16:05 UTC (00:05 in Shanghai), so "tomorrow 00:05" is the next local day.
    now = datetime.now(UTC).replace(hour=2, minute=0, second=0, microsecond=0)
    print(f"code: {os.environ.get('PYTHONPATH', '.')}; load average {os.getloadavg()}")
    for items in args.items:
        asyncio.run(one_size(items, now))
    print(f"load average at the end {os.getloadavg()}")


if __name__ == "__main__":
    main()
