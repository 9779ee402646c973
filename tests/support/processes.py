"""Real `planbot` processes for tests: start them, read their logs, stop them; and a database
with reminders due at once, sent at a pace slow enough to interrupt."""

import asyncio
import os
import re
import signal
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from bot.config import load_config
from bot.sandbox import Sandbox
from bot.services import make_planner
from storage.chats import get_or_create_chat
from storage.db import Database
from storage.migrate import upgrade_async
from storage.models import Item, Plan, Reminder, ReminderMessage

TOKEN = "7356219804:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
LEADING = "this instance polls Telegram"


class Instance:
    """A running `planbot` process; its log (stderr) and output (stdout) as they come."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.lines: list[str] = []
        self.output: list[str] = []
        # Drained as they come: a full pipe would block the process.
        self.reader = asyncio.gather(
            self._read(process.stderr, self.lines), self._read(process.stdout, self.output)
        )

    @staticmethod
    async def _read(stream: asyncio.StreamReader | None, into: list[str]) -> None:
        assert stream is not None
        async for raw in stream:
            into.append(raw.decode(errors="replace"))

    @property
    def leading(self) -> bool:
        return any(LEADING in line for line in self.lines)

    def logged(self, text: str) -> bool:
        return any(text in line for line in self.lines)


async def start_instance(config: Path, command: str = "run") -> Instance:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANBOT_")}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        command,
        "--config",
        str(config),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**env, "PLANBOT_TOKEN": TOKEN, "PYTHONPATH": os.getcwd()},
    )
    return Instance(process)


async def stop_all(instances: list[Instance]) -> None:
    """SIGTERM to those still running; wait for each to exit and for its whole log."""
    for instance in instances:
        if instance.process.returncode is None:
            instance.process.send_signal(signal.SIGTERM)
    for instance in instances:
        await asyncio.wait_for(instance.process.wait(), 30)
        await instance.reader


async def wait_until(predicate, instances, timeout: float = 60.0) -> None:  # noqa: ASYNC109
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            logs = "\n---\n".join("".join(i.lines[-15:]) for i in instances)
            raise AssertionError(f"timed out; the instances logged:\n{logs}")
        await asyncio.sleep(0.05)


ITEMS_PER_CHAT = 4
SCHEDULER_UP = "reminder scheduler started"


def reminder_config(
    path: Path, sandbox: Sandbox, url: str, *, per_second: int, lease: float, per_group: int = 20
):
    """Every item due today gets one reminder at 00:00 (so it is due when the bot starts);
    the bot sends at most `per_second` messages a second and `per_group` a minute to a group."""
    path.write_text(
        f'[telegram]\nbase_url = "{sandbox.base_url}"\ntakeover_seconds = 0.3\n'
        f"[telegram.rate_limits]\noverall_max_rate = {per_second}\n"
        f"group_max_rate = {per_group}\n"
        f'[database]\nurl = "{url}"\n'
        '[reminders]\nremind_at = "00:00"\ndays_before = [0]\nworkdays_only = false\n'
        f'digest = "off"\nmonth_post = false\nlease_seconds = {lease}\nsweep_seconds = 0.5\n',
        encoding="utf-8",
    )
    return path


async def seed_due_reminders(
    config_path: Path, chat_ids: list[int], items: int = ITEMS_PER_CHAT, wordy: bool = False
) -> None:
    """A plan in each chat with items due today, their reminders planned as the bot would.
    `wordy` titles are long: a chat's reminder then takes several messages."""
    config = load_config(config_path)
    await upgrade_async(config.database.url)
    db = Database.from_url(config.database.url)
    planner = make_planner(config)
    now = datetime.now(UTC)
    today = now.astimezone(config.schedule.tz).date()
    try:
        async with db.session() as session:
            for n, tg_chat_id in enumerate(chat_ids):
                chat = await get_or_create_chat(session, tg_chat_id, f"群{n}", "supergroup")
                await session.flush()
                plan = Plan(chat_id=chat.id, year=today.year, month=today.month)
                session.add(plan)
                await session.flush()
                rows = [
                    Item(
                        plan_id=plan.id,
                        seq=k,
                        title=f"{n}组事项{k}号" + ("，按时保质完成" * 20 if wordy else ""),
                        deadline=today,
                    )
                    for k in range(1, items + 1)
                ]
                session.add_all(rows)
                await session.flush()
                await planner.replan(session, [i.id for i in rows], now=now)
    finally:
        await db.close()


def reminded(sandbox: Sandbox, chat_ids: list[int]) -> Counter[tuple[int, int]]:
    """How often each (chat, item number) was listed in a message the sandbox received."""
    seen: Counter[tuple[int, int]] = Counter()
    for chat_id in chat_ids:
        for message in sandbox.sent(chat_id):
            seen.update((chat_id, int(k)) for k in re.findall(r"事项(\d+)号", message.text or ""))
    return seen


async def outbox(url: str) -> tuple[list[Reminder], set[tuple[int, int]]]:
    """The reminder rows due by now, and the (chat, message id) pairs recorded as sent."""
    db = Database.from_url(url)
    try:
        async with db.session() as session:
            rows = list(
                await session.scalars(select(Reminder).where(Reminder.fire_at <= datetime.now(UTC)))
            )
            recorded = {
                (chat_id, message_id)
                for chat_id, message_id in await session.execute(
                    select(ReminderMessage.tg_chat_id, ReminderMessage.message_id)
                )
            }
    finally:
        await db.close()
    return rows, recorded
