"""Measure importing a large plan through the chat: /import with a file, then Confirm.

The real bot (PTB, its handlers, its storage) polls the sandbox over HTTP in this process, as
the chat tests do (tests/support/harness.py). An admin sends a generated plan of `--items`
items (tests/bench/bench_parser.py's layout: the sample's sections, 1–2 leaders and 1–3
departments an item; `--names N` gives the items N distinct leaders and departments instead of
the sample's handful) as a .txt or .docx captioned /import; the bot answers with its preview,
the admin presses ✅ 确认导入, and the bot answers "已导入 …". Measured:

- preview: the document reaching the sandbox → the preview's reply (parse + a rolled-back
  import);
- confirm: the press → the confirmation's reply (parse again, write, plan reminders, commit);
  wall and CPU time (this process: bot and sandbox together, main thread and parse thread),
  the database transactions and statements it ran (tests/support/transactions.py);
- `--profile FILE`: cProfile of the confirm (the event loop's thread) written to FILE, and the
  top functions by cumulative time printed.

The clock is moved (time_machine, ticking) to 9 October 2020, the plan's month (its text says
2020), so its deadlines lie ahead and every item gets its reminders. Telegram's per-group
windows are lifted unless --telegram-limits. On SQLite unless --postgres (then
PLANBOT_TEST_DATABASE_URL names the server).

Run: PYTHONPATH=. .venv/bin/python tests/bench/import_speed.py [--items 1000] [--format txt]
     [--names 0] [--repeat 1] [--profile confirm.prof] [--postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import time_machine
from sqlalchemy import func, select

from storage.models import Department, Item, ItemDepartment, ItemLeader, Person, Reminder
from tests.bench.bench_parser import generate_plan
from tests.support.databases import use_chat_backend
from tests.support.documents import long_docx
from tests.support.harness import running_bot
from tests.support.transactions import counted

LIFTED = {
    "group_max_rate": 100_000,
    "group_time_period": 1.0,
    "group_burst_max_rate": 100_000,
    "group_burst_time_period": 1.0,
    "overall_max_rate": 100_000,
    "overall_time_period": 1.0,
}


def plan_text(items: int, names: int) -> str:
    """The bench_parser plan; with `names`, leaders and departments drawn from `names` distinct
    ones each (a large office), in the same places of the text."""
    text = generate_plan(items)
    if not names:
        return text
    rng = random.Random(names)
    lines = []
    for line in text.split("\n"):
        for label, suffix in (("责任领导：", "领导"), ("责任部室：", "部")):
            if label in line:
                head, _, tail = line.partition(label)
                fields, bracket, rest = tail.partition("；") if "；" in tail else (tail, "", "")
                picked = rng.sample(range(names), len(fields.split("、")))
                fields = "、".join(f"第{n}{suffix}" for n in picked)
                line = f"{head}{label}{fields}{bracket}{rest}"
        lines.append(line)
    return "\n".join(lines)


def document(text: str, form: str) -> tuple[str, bytes]:
    if form == "docx":
        return "计划.docx", long_docx(text.split("\n"))
    return "计划.txt", text.encode("utf-8")


def cpu() -> float:
    """CPU seconds of this process (every thread), user + system."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def counts(db: Any) -> dict[str, int]:
    found = {}
    async with db.session() as session:
        for name, model in (
            ("items", Item),
            ("people", Person),
            ("departments", Department),
            ("leader links", ItemLeader),
            ("department links", ItemDepartment),
            ("reminders", Reminder),
        ):
            found[name] = await session.scalar(select(func.count()).select_from(model)) or 0
    return found


async def one_run(args: argparse.Namespace, name: str, data: bytes) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        # Telegram's per-group windows (20 a minute) would hold the confirmation behind the
        # preview's own messages: lifted unless asked for, so what is timed is the bot.
        limits = {} if args.telegram_limits else LIFTED
        async with running_bot(Path(tmp), telegram={"rate_limits": limits}) as bot:
            before = len(bot.sandbox.sent(bot.group))
            started, cpu_started = time.perf_counter(), cpu()
            bot.sandbox.send_document(bot.group, bot.admin, name, data, caption="/import")
            bot.pushed += 1
            await bot.settle(timeout=600)
            preview_wall, preview_cpu = time.perf_counter() - started, cpu() - cpu_started
            replies = bot.sandbox.sent(bot.group)[before:]
            preview = replies[-1]
            preview_messages = len(replies)
            button = next(b for b in preview.buttons if "确认" in b["text"])

            profile = cProfile.Profile() if args.profile else None
            before = len(bot.sandbox.sent(bot.group))
            with counted(bot.db.engine) as tally:
                started, cpu_started = time.perf_counter(), cpu()
                if profile:
                    profile.enable()
                bot.sandbox.press_button(preview, bot.admin, button["callback_data"])
                bot.pushed += 1
                await bot.settle(timeout=600)
                if profile:
                    profile.disable()
                confirm_wall, confirm_cpu = time.perf_counter() - started, cpu() - cpu_started
            answer = bot.sandbox.sent(bot.group)[before:][-1].text
            stored = await counts(bot.db)
    if profile:
        profile.dump_stats(args.profile)
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(40)
        print(out.getvalue())
    return {
        "preview": (preview_wall, preview_cpu),
        "preview messages": preview_messages,
        "confirm": (confirm_wall, confirm_cpu),
        "transactions": tally.transactions,
        "statements": tally.statements,
        "answer": answer.split("\n")[0],
        "stored": stored,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--format", choices=("txt", "docx"), default="txt")
    parser.add_argument("--names", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--profile", metavar="FILE")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument(
        "--telegram-limits", action="store_true", help="keep the per-group windows (20/min)"
    )
    args = parser.parse_args()
    if args.postgres:
        if not os.environ.get("PLANBOT_TEST_DATABASE_URL"):
            sys.exit("--postgres needs PLANBOT_TEST_DATABASE_URL")
        use_chat_backend("postgres")

    name, data = document(plan_text(args.items, args.names), args.format)
    with time_machine.travel(datetime(2020, 10, 9, 2, 0, tzinfo=UTC), tick=True):
        for run in range(args.repeat):
            found = asyncio.run(one_run(args, name, data))
            load = os.getloadavg()
            print(
                f"run {run + 1}: {args.items} items ({args.format}, {len(data):,} bytes), "
                f"{'PostgreSQL' if args.postgres else 'SQLite'}, load {load[0]:.2f}"
            )
            for what in ("preview", "confirm"):
                wall, used = found[what]
                print(f"  {what:8} wall {wall * 1000:7.0f} ms   CPU {used * 1000:7.0f} ms")
            print(f"  preview: {found['preview messages']} messages")
            print(
                f"  confirm: {found['transactions']} transactions, {found['statements']} statements"
            )
            print(f"  answer: {found['answer']}")
            print("  stored: " + ", ".join(f"{k} {v}" for k, v in found["stored"].items()))
    if args.postgres:
        from tests.support.databases import drop_chat_databases

        asyncio.run(drop_chat_databases())


if __name__ == "__main__":
    main()
