"""Benchmark the start-up and the reminder rebuild: `planbot run` start → first getUpdates, and
how long commands wait while the rebuild (the same work as the daily upkeep) runs.

For each size a database of that many items (500 a chat, deadlines spread over six months,
reminders planned as the planner would; tests/support/large_office.py's builder) is built once
into the cache folder (tests/bench/cache.py) and copied for every run. `planbot run` is a child
process polling the sandbox in this process. From the first getUpdates until the rebuild has
logged its end (and one second more), a member of one of 100 groups (in turn) sends `/plan`
every 100 ms, and the time from sending to the bot's answer is recorded.

Run: .venv/bin/python tests/bench/bench_startup.py [--items 10000 100000] [--cache DIR]
     [--code /path/to/another/checkout]  (`planbot` from that tree: a before/after pair) [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bot.sandbox import Sandbox
from tests.bench.cache import DEFAULT_CACHE, Office, cached, copy_to

ROOT = Path(__file__).resolve().parents[2]
UPKEEP_DONE = "daily upkeep:"
GROUPS = 100


async def measure(
    items: int, cache: Path = DEFAULT_CACHE, code: Path = ROOT, verbose: bool = False
) -> dict[str, Any]:
    """`start → first getUpdates s`, `rebuild s` (start → its end logged) and `/plan during
    the rebuild p50 ms`, `… p99 ms`, `… max ms`, `answered`."""
    source = await cached(Office(items), cache)
    with tempfile.TemporaryDirectory() as folder:
        db_path = copy_to(source, Path(folder), "planbot.db")
        async with Sandbox() as sandbox:
            user = sandbox.add_user("张三")
            # The database's first group (FIRST_SANDBOX_GROUP) has a plan of 500 items; the
            # groups asking here have none, as before the shared cache: what is measured is
            # waiting for the loop and the database, not rendering a long plan.
            sandbox.add_chat("supergroup", title="有计划的群")
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
    rebuilt = upkeep_done()
    print(f"{items:,} items")
    print(f"  start -> first getUpdates  {first_poll:7.2f} s")
    print(f"  start -> rebuild logged    {rebuilt:7.2f} s")
    print(
        f"  /plan during the rebuild   n={len(waits)}"
        f"  p50 {statistics.median(waits) * 1000:6.0f} ms"
        f"  p99 {p99 * 1000:6.0f} ms  max {waits[-1] * 1000:6.0f} ms"
    )
    return {
        "items": items,
        "start → first getUpdates s": first_poll,
        "rebuild s": rebuilt,
        "/plan during the rebuild p50 ms": statistics.median(waits) * 1000,
        "/plan during the rebuild p99 ms": p99 * 1000,
        "/plan during the rebuild max ms": waits[-1] * 1000,
        "/plan during the rebuild answered": len(waits),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument(
        "--code", type=Path, default=ROOT, help="the source tree whose planbot runs (a baseline)"
    )
    parser.add_argument("--verbose", action="store_true", help="print the bot's log, timed")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args()
    for items in args.items:
        figures = asyncio.run(measure(items, args.cache, args.code, args.verbose))
        if args.json:
            print(json.dumps(figures, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
