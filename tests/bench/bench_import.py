"""Benchmark importing a 1,000-item plan through the bot, and count what /ack costs.

1. Import: an admin uploads bench_parser's generated 1,000-item plan (`--items`) as a text file
   with the caption /import into a group of the real bot polling the sandbox (the chat tests'
   harness, SQLite); the bot answers with a preview; the admin presses ✅ 确认导入. Timed: the
   upload until the preview, and the press until the bot's answer that the plan is imported
   (the items written and their reminders planned). The clock is October 2020, the plan's month.
   The flood limits are lifted (as in bench_commands): under Telegram's, the preview of 1,000
   items (tens of messages) uses up the group's 20 a minute, and the answer to the press waits
   for the window — Telegram's time, not the bot's; `--limits` keeps them to see it.
2. /ack in reply to a reminder showing 10 items the sender leads: the database transactions
   and statements it opens (tests/support/transactions.py), as tests/bot/test_unit_of_work.py.

Run: .venv/bin/python tests/bench/bench_import.py [--items 1000] [--repeat 3] [--limits] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import time_machine

from bot.sandbox.models import Message
from tests.bench.bench_parser import generate_plan
from tests.support.chat import bind, office_time, post_about, seed
from tests.support.harness import Harness, running_bot
from tests.support.transactions import counted

# Monday 12 October 2020, 10:00 in Shanghai: the generated plan is the month's.
OCTOBER = datetime(2020, 10, 12, 2, 0, tzinfo=UTC)
TIMEOUT = 300.0
LIFTED = {
    f"{window}_{part}": value
    for window in ("group", "group_burst", "overall")
    for part, value in (("max_rate", 100_000), ("time_period", 1.0))
}


async def _wait(bot: Harness, before: int, done: str) -> list[Message]:
    """The bot's messages in the group after the first `before`, once one contains `done`."""
    await bot.sandbox.wait_for(lambda m: done in (m.text or ""), chat=bot.group, timeout=TIMEOUT)
    await bot.settle(TIMEOUT)
    return bot.sandbox.sent(bot.group)[before:]


async def one_import(items: int, limits: bool = False) -> tuple[float, float, int]:
    """Seconds from the upload to the preview, and from the press of confirm to the answer;
    the number of messages of the preview."""
    plan = generate_plan(items).encode()
    config = {} if limits else {"telegram": {"rate_limits": LIFTED}}
    with tempfile.TemporaryDirectory() as folder:
        async with running_bot(Path(folder), **config) as bot:
            with time_machine.travel(OCTOBER, tick=True):
                before = len(bot.sandbox.sent(bot.group))
                started = time.perf_counter()
                bot.sandbox.send_document(bot.group, bot.admin, "计划.txt", plan, caption="/import")
                bot.pushed += 1
                replies = await _wait(bot, before, "确认导入")
                previewed = time.perf_counter() - started
                parts = len(replies)
                preview = next(
                    m for m in replies if any("确认导入" in b["text"] for b in m.buttons)
                )
                assert f"共 {items} 项" in "\n".join(m.text or "" for m in replies), replies[0].text
                button = next(b for b in preview.buttons if "确认导入" in b["text"])
                before = len(bot.sandbox.sent(bot.group))
                started = time.perf_counter()
                bot.sandbox.press_button(preview, bot.admin, button["callback_data"])
                bot.pushed += 1
                await _wait(bot, before, "已导入")
                confirmed = time.perf_counter() - started
    return previewed, confirmed, parts


async def ack_transactions() -> tuple[int, int]:
    """Transactions and statements of /ack on a reminder showing 10 items of the sender's."""
    with tempfile.TemporaryDirectory() as folder:
        async with running_bot(Path(folder)) as bot:
            await seed(bot)
            # The admin leads all ten items of the sample (its leaders are these four).
            for leader in ("高启秀", "郭红萍", "张征军", "董军"):
                await bind(bot, leader, bot.admin)
            await bot.say("/help", user=bot.admin)  # the new account is recorded before
            with office_time(2020, 10, 20):
                reminder = await post_about(bot, list(range(1, 11)))
                with counted(bot.db.engine) as tally:
                    replies = await bot.say("/ack", user=bot.admin, reply_to=reminder)
    assert all(f"{n}. " in (replies[0].text or "") for n in range(1, 11)), replies[0].text
    return tally.transactions, tally.statements


async def measure(items: int = 1000, repeat: int = 3, limits: bool = False) -> dict[str, Any]:
    """Medians: `import preview s`, `import confirm s`; `/ack transactions`, `/ack statements`."""
    runs = [await one_import(items, limits) for _ in range(repeat)]
    transactions, statements = await ack_transactions()
    return {
        "items": items,
        "import preview s": statistics.median(p for p, _, _ in runs),
        "import preview messages": runs[0][2],
        "import confirm s": statistics.median(c for _, c, _ in runs),
        "import confirm runs s": [c for _, c, _ in runs],
        "/ack transactions": transactions,
        "/ack statements": statements,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--limits", action="store_true", help="keep Telegram's flood limits")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON only")
    args = parser.parse_args()
    figures = asyncio.run(measure(args.items, args.repeat, args.limits))
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=1))
        return
    print(f"import of a {args.items:,}-item plan (median of {args.repeat})")
    print(f"  upload → preview   {figures['import preview s']:6.2f} s"
          f" ({figures['import preview messages']} messages)")  # fmt: skip
    print(f"  confirm → imported {figures['import confirm s']:6.2f} s")
    print(f"/ack on a 10-item reminder: {figures['/ack transactions']} transactions, "
          f"{figures['/ack statements']} statements")  # fmt: skip


if __name__ == "__main__":
    main()
