"""What one command costs the bot, counted rather than timed: per update, the database
transactions and statements it runs and the process's CPU time, on the large office
(tests/bench/bench_commands.py's office_bot on the shared cache, tests/bench/cache.py; `--items`).

The real bot polls the in-process sandbox over HTTP, as in bench_commands.py, so the CPU time
of an update includes the sandbox answering its requests (getUpdates, sendMessage) and
aiosqlite's thread: it is the whole process's `time.process_time`, which a loaded machine
distorts far less than wall time. A configured admin sends /done, /undo, /progress, /item and
/plan; the group's first leader (bound in the office as Telegram user 10000) sends /mine and
answers a reminder about one of their items with /ack.

`--profile CMD` runs cProfile over that command's updates and prints the functions with the
most own time (`--top`).

Run: .venv/bin/python tests/bench/bench_command_cost.py [--items 100000] [--repeat 20]
     [--profile /done] [--cache DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from storage.messages import record_message
from storage.models import Item, Plan
from tests.bench.bench_commands import office_bot
from tests.support.large_office import FIRST_USER
from tests.support.transactions import counted

# /help (one short reply, no change) is the reference: what any update costs here.
COMMANDS = ("/help", "/done", "/undo", "/progress", "/item", "/plan", "/mine", "/ack")


@dataclass
class Costs:
    transactions: list[int] = field(default_factory=list)
    statements: list[int] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)

    def line(self, what: str) -> str:
        def span(values: list[int]) -> str:
            low, high = min(values), max(values)
            return f"{low}" if low == high else f"{low}-{high}"

        cpu = sorted(c * 1000 for c in self.cpu)
        wall = sorted(w * 1000 for w in self.wall)
        return (
            f"| {what} | {span(self.transactions)} | {span(self.statements)} | "
            f"{statistics.median(cpu):.1f} | {cpu[-1]:.1f} | {statistics.median(wall):.1f} |"
        )


async def run(
    items: int, repeat: int, cache: Path, profile: str | None, top: int, show: str | None
) -> None:
    async with office_bot(items, cache) as office:
        sandbox, admin, group = office.sandbox, office.admin, office.group
        application, db, updates = office.application, office.db, office.updates
        leader = sandbox.add_user("高启秀", user_id=FIRST_USER)
        pushed = 0
        costs = {command: Costs() for command in COMMANDS}
        profiler = cProfile.Profile()
        shown: list[tuple[str, object]] = []

        async def say(command: str, send: Callable[[], object]) -> None:
            nonlocal pushed
            profiling = profile == command
            with counted(db.engine) as tally:
                if profiling:
                    profiler.enable()
                wall, cpu = time.perf_counter(), time.process_time()
                send()
                pushed += 1
                assert await updates.wait_handled(pushed, 60)
                cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
                if profiling:
                    profiler.disable()
            each = costs[command]
            each.transactions.append(tally.transactions)
            each.statements.append(tally.statements)
            each.cpu.append(cpu)
            each.wall.append(wall)
            if show == command:
                shown[:] = tally.executed

        def text(user, words: str, reply_to: int | None = None) -> Callable[[], object]:
            return lambda: sandbox.send_text(group, user, words, reply_to=reply_to)

        # Warm up: first use of the handlers, the pool, the leader's first message.
        for user in (admin, leader):
            sandbox.send_text(group, user, "/help")
            pushed += 1
        assert await updates.wait_handled(pushed, 60)
        item_ids = await _item_ids(db, group.id, repeat)
        for n in range(1, repeat + 1):
            # The leader leads items 1, 6, 11, … (the office's leaders take turns).
            seq = 5 * (n - 1) + 1
            await say("/help", text(admin, "/help"))
            await say("/done", text(admin, f"/done {seq} 已报送"))
            await say("/undo", text(admin, "/undo"))
            await say("/progress", text(admin, f"/progress {seq} 50% 初稿"))
            await say("/item", text(admin, f"/item {seq}"))
            if n <= max(3, repeat // 5):  # 500 items: a dozen messages each
                await say("/plan", text(admin, "/plan"))
                await say("/mine", text(leader, "/mine"))
            reminder = await application.bot.send_message(group.id, "提醒")
            async with db.session() as session:
                await record_message(session, group.id, reminder.message_id, [item_ids[seq]])
            await say("/ack", text(leader, "/ack", reply_to=reminder.message_id))
    print(f"{items:,} items, SQLite, {datetime.now(UTC):%Y-%m-%d}, {repeat} rounds")
    print("| command | transactions | statements | CPU ms p50 | CPU ms max | wall ms p50 |")
    print("|---|---|---|---|---|---|")
    for command in COMMANDS:
        print(costs[command].line(command))
    for statement, parameters in shown:
        print(" ".join(statement.split())[:300], "|", str(parameters)[:200])
    if profile:
        profiler.dump_stats(Path(tempfile.gettempdir()) / "bench_command_cost.prof")
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
        print(out.getvalue())
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
        print(out.getvalue())


async def _item_ids(db, tg_chat_id: int, repeat: int) -> dict[int, int]:
    """Row id by number of the group's items (the office's group has one plan)."""
    from sqlalchemy import select

    from storage.models import Chat
    from storage.rows import pk

    async with db.session() as session:
        rows = await session.execute(
            select(Item.seq, pk(Item.id))
            .join(Plan, Plan.id == Item.plan_id)
            .join(Chat, Chat.id == Plan.chat_id)
            .where(Chat.tg_chat_id == tg_chat_id, Item.seq <= 5 * repeat + 1)
        )
        return {seq: item_id for seq, item_id in rows.all()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--profile", choices=COMMANDS)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument(
        "--statements", choices=COMMANDS, help="print the statements of that command's last run"
    )
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "planbot-bench-cache"
    )
    args = parser.parse_args()
    asyncio.run(
        run(args.items, min(args.repeat, 90), args.cache, args.profile, args.top, args.statements)
    )


if __name__ == "__main__":
    main()
