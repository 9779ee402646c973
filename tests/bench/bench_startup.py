"""Benchmark the start-up and the reminder rebuild: `planbot run` start → first getUpdates, and
how long commands wait while the rebuild (the same work as the daily upkeep) runs.

For each size a database of that many items (500 a chat, deadlines spread over six months,
reminders planned as the planner would; tests/support/large_office.py's builder) is built once into
the cache folder and copied for every run. `planbot run` is a child process polling the
sandbox in this process. From the first getUpdates until the rebuild has logged its end (and
one second more), a member of one of 100 groups (in turn) sends `/plan` every 100 ms, and the
time from sending to the bot's answer is recorded.

Run: .venv/bin/python tests/bench/bench_startup.py [--items 10000 100000] [--cache DIR]
     [--code /path/to/another/checkout]  (`planbot` from that tree: a before/after pair)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bot.sandbox import Sandbox
from storage.db import Database
from storage.migrate import upgrade_async
from tests.support.large_office import build_office

ROOT = Path(__file__).resolve().parents[2]
UPKEEP_DONE = "daily upkeep:"
GROUPS = 100


def cached_database(items: int, cache: Path) -> Path:
    """The cached database of `items` items, built first if missing."""
    path = cache / f"startup-{items}.db"
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        building = path.with_suffix(".building")
        building.unlink(missing_ok=True)
        started = time.perf_counter()
        rows = asyncio.run(_build(building, items))
        building.rename(path)
        took = time.perf_counter() - started
        print(f"  built {items:,} items, {rows:,} reminder rows in {took:.0f} s")
    return path


async def _build(path: Path, items: int) -> int:
    url = f"sqlite+aiosqlite:///{path}"
    await upgrade_async(url)
    db = Database.from_url(url)
    try:
        return (await build_office(db, items, datetime.now(UTC))).reminders
    finally:
        await db.close()


async def one_run(source: Path, items: int, code: Path, verbose: bool = False) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "planbot.db"
        shutil.copy(source, db_path)
        async with Sandbox() as sandbox:
            user = sandbox.add_user("张三")
            # A group each time, round: Telegram's 20 messages a minute per group would
            # otherwise be what the commands wait for.
            groups = [sandbox.add_chat("supergroup", title=f"办公室{n}") for n in range(GROUPS)]
            config = Path(folder) / "planbot.toml"
            config.write_text(
                f'[telegram]\nbase_url = "{sandbox.base_url}"\n'
                f'[database]\nurl = "sqlite+aiosqlite:///{db_path}"\n',
                encoding="utf-8",
            )
            env = {k: v for k, v in os.environ.items() if not k.startswith("PLANBOT_")}
            env.update(PLANBOT_TOKEN=sandbox.token, PYTHONPATH=str(code))
            started = time.perf_counter()
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot.cli", "run", "--config", str(config),
                stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE, env=env,
                cwd=code,  # `python -m` puts the working folder first on sys.path
            )  # fmt: skip
            log: list[tuple[float, str]] = []

            async def read() -> None:
                assert process.stderr is not None
                async for line in process.stderr:
                    log.append((time.perf_counter() - started, line.decode(errors="replace")))

            reader = asyncio.create_task(read())
            while sandbox.stats.requests["getUpdates"] == 0:
                if process.returncode is not None or time.perf_counter() - started > 300:
                    raise SystemExit("".join(line for _, line in log[-20:]))
                await asyncio.sleep(0.005)
            first_poll = time.perf_counter() - started

            def upkeep_done() -> float | None:
                return next((t for t, line in log if UPKEEP_DONE in line), None)

            waits: list[float] = []
            while True:
                done = upkeep_done()
                if done is not None and time.perf_counter() - started > done + 1:
                    break
                if time.perf_counter() - started > 600:
                    raise SystemExit("the rebuild did not end in 10 minutes")
                group = groups[len(waits) % GROUPS]
                answers = len(sandbox.sent(group))
                sent = time.perf_counter()
                sandbox.send_text(group, user, "/plan")
                while len(sandbox.sent(group)) == answers:  # noqa: ASYNC110 (a poll, on purpose)
                    await asyncio.sleep(0.001)
                waits.append(time.perf_counter() - sent)
                await asyncio.sleep(0.1)
            process.terminate()
            await asyncio.wait_for(process.wait(), 60)
            await reader
    if verbose:
        for at, line in log:
            print(f"  {at:7.2f} {line.rstrip()}")
    waits.sort()
    p99 = waits[min(len(waits) - 1, int(len(waits) * 0.99))]
    print(f"{items:,} items")
    print(f"  start -> first getUpdates  {first_poll:7.2f} s")
    print(f"  start -> rebuild logged    {upkeep_done():7.2f} s")
    print(
        f"  /plan during the rebuild   n={len(waits)}"
        f"  p50 {statistics.median(waits) * 1000:6.0f} ms"
        f"  p99 {p99 * 1000:6.0f} ms  max {waits[-1] * 1000:6.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "planbot-bench-cache"
    )
    parser.add_argument(
        "--code", type=Path, default=ROOT, help="the source tree whose planbot runs (a baseline)"
    )
    parser.add_argument("--verbose", action="store_true", help="print the bot's log, timed")
    args = parser.parse_args()
    for items in args.items:
        asyncio.run(one_run(cached_database(items, args.cache), items, args.code, args.verbose))


if __name__ == "__main__":
    main()
