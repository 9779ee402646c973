"""The floor: a bare python-telegram-bot bot, no database, no planbot code, answering planbot's
everyday commands with one fixed short text. The benchmarks run it through the same sandbox in
the same run as planbot, so "planbot / floor" says what planbot adds to PTB, HTTP and the machine.

Run (polls until SIGTERM/SIGINT): python tests/bench/floor_bot.py --token T --base-url URL
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Sequence

from telegram import Bot, Update
from telegram.error import RetryAfter
from telegram.ext import Application, ApplicationBuilder, CommandHandler, ContextTypes

COMMANDS = ["plan", "item", "done", "mine", "help", "start", "progress", "undo", "ack"]


async def _answer(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text("好的")


def build(token: str, base_url: str) -> Application:
    application = ApplicationBuilder().token(token).base_url(base_url).build()
    application.add_handler(CommandHandler(COMMANDS, _answer))
    return application


async def burst(bot: Bot, sends: Sequence[tuple[int, str]], rate: tuple[int, float]) -> float:
    """Send `sends` (chat, text) in order, as fast as Telegram's limits allow: at most `rate`
    (count, seconds) overall, one a second and 20 a minute in a chat. The wall seconds."""
    started = time.perf_counter()
    overall: list[float] = []
    per_chat: dict[int, list[float]] = {}
    for chat, text in sends:
        times = per_chat.setdefault(chat, [])
        at = max(
            overall[-rate[0]] + rate[1] if len(overall) >= rate[0] else 0.0,
            times[-1] + 1.0 if times else 0.0,
            times[-20] + 60.0 if len(times) >= 20 else 0.0,
        )
        await asyncio.sleep(max(0.0, at - (time.perf_counter() - started)))
        try:
            await bot.send_message(chat, text)
        except RetryAfter as refused:  # the floor keeps the rules too; the 429 is counted there
            await asyncio.sleep(float(refused.retry_after))  # type: ignore[arg-type]
            await bot.send_message(chat, text)
        # Counted from the answer: the server counted the send somewhere before it, so the
        # windows never hold more than the limit however long the request took.
        sent = time.perf_counter() - started
        overall.append(sent)
        times.append(sent)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--token", required=True)
    parser.add_argument("--base-url", required=True)
    args = parser.parse_args()
    build(args.token, args.base_url).run_polling(poll_interval=0, timeout=10)


if __name__ == "__main__":
    main()
