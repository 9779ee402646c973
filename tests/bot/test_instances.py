"""`planbot run` processes: a stop mid-pass, and several on one PostgreSQL — exactly one polls,
another takes over, and reminders go out once when an instance dies mid-pass."""

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
from storage.models import Item, Plan, Reminder, ReminderMessage, ReminderState
from tests.conftest import POSTGRES_URL_ENV, fresh_postgres_database

TOKEN = "7356219804:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
LEADING = "this instance polls Telegram"


class Instance:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.lines: list[str] = []
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.process.stderr is not None
        async for raw in self.process.stderr:
            self.lines.append(raw.decode(errors="replace"))

    @property
    def leading(self) -> bool:
        return any(LEADING in line for line in self.lines)

    def logged(self, text: str) -> bool:
        return any(text in line for line in self.lines)


async def start_instance(config: Path) -> Instance:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANBOT_")}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "run",
        "--config",
        str(config),
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


if os.environ.get(POSTGRES_URL_ENV):

    async def test_one_instance_polls_and_another_takes_over_when_it_dies(tmp_path):
        async with (
            fresh_postgres_database(os.environ[POSTGRES_URL_ENV]) as url,
            Sandbox(token=TOKEN) as sandbox,
        ):
            config = tmp_path / "planbot.toml"
            config.write_text(
                f'[telegram]\nbase_url = "{sandbox.base_url}"\ntakeover_seconds = 0.3\n'
                f'[database]\nurl = "{url}"\n',
                encoding="utf-8",
            )
            instances = [await start_instance(config) for _ in range(2)]
            try:
                await wait_until(lambda: any(i.leading for i in instances), instances)
                await asyncio.sleep(1.0)  # the other has had three chances to take over
                assert [i.leading for i in instances].count(True) == 1

                user = sandbox.add_user("李四")
                group = sandbox.add_chat("supergroup", title="群")
                sandbox.send_text(group, user, "/help")
                await sandbox.wait_for(1, chat=group, timeout=10)

                leader = next(i for i in instances if i.leading)
                follower = next(i for i in instances if not i.leading)
                leader.process.send_signal(signal.SIGKILL)
                await wait_until(lambda: follower.leading, instances)
                sandbox.send_text(group, user, "/start")
                await sandbox.wait_for(2, chat=group, timeout=10)
                assert len(sandbox.sent(group)) == 2, "each command answered once"
                assert sandbox.stats.statuses.get(409, 0) == 0, "never two pollers at once"
            finally:
                await stop_all(instances)


# --- reminders due at start, sent at a slow pace so a pass can be interrupted ---------------

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
                    select(ReminderMessage.chat_id, ReminderMessage.message_id)
                )
            }
    finally:
        await db.close()
    return rows, recorded


async def test_sigterm_mid_pass_finishes_the_message_in_flight_and_gives_back_the_rest(
    tmp_path, database_url
):
    async with Sandbox(token=TOKEN) as sandbox:
        chats = [sandbox.add_chat("supergroup", title=f"群{n}").id for n in range(8)]
        config = reminder_config(
            tmp_path / "planbot.toml", sandbox, database_url, per_second=4, lease=1800
        )
        await seed_due_reminders(config, chats)

        first = await start_instance(config)
        try:
            await sandbox.wait_until(
                lambda: len(sandbox.sent()) >= 2, timeout=60, what="the pass to begin"
            )
            first.process.send_signal(signal.SIGTERM)
        finally:
            await stop_all([first])
        assert first.process.returncode == 0
        out = len(sandbox.sent())
        assert out < len(chats), "the stop ended the pass early"
        rows, recorded = await outbox(database_url)
        # Every message that reached Telegram was recorded, so replies and buttons work.
        assert {(m.chat.id, m.message_id) for m in sandbox.sent()} == recorded
        assert Counter(r.state for r in rows) == {
            ReminderState.SENT.value: out * ITEMS_PER_CHAT,
            ReminderState.PENDING.value: (len(chats) - out) * ITEMS_PER_CHAT,
        }
        given_back = [r for r in rows if r.state == ReminderState.PENDING.value]
        assert all(r.attempts == 0 for r in given_back), "a stop costs no attempt"
        assert not any("Traceback" in line for line in first.lines), "".join(first.lines)
        if database_url.startswith("sqlite"):
            wal = database_url.split("///", 1)[1] + "-wal"
            assert not await asyncio.to_thread(os.path.exists, wal), (
                "the database was closed (SQLite removes its WAL)"
            )

        # The next start sends the rest at once (nothing waits for a lease): each item once.
        second = await start_instance(config)
        try:
            await sandbox.wait_until(
                lambda: len(sandbox.sent()) == len(chats), timeout=60, what="the rest"
            )
            await asyncio.sleep(1.0)  # a few sweeps: nothing more goes out
        finally:
            await stop_all([second])
        assert second.process.returncode == 0
        assert reminded(sandbox, chats) == Counter(
            {(c, k): 1 for c in chats for k in range(1, ITEMS_PER_CHAT + 1)}
        )
        rows, _ = await outbox(database_url)
        assert {r.state for r in rows} == {ReminderState.SENT.value}


async def test_sigterm_does_not_wait_for_a_groups_window_to_send_the_rest(tmp_path):
    """A reminder too long for one message, in a group allowed one message a minute: the
    stop gives up the part still waiting for the window instead of waiting a minute."""
    async with Sandbox(token=TOKEN) as sandbox:
        group = sandbox.add_chat("supergroup", title="群").id
        url = f"sqlite+aiosqlite:///{tmp_path / 'planbot.db'}"
        config = reminder_config(
            tmp_path / "planbot.toml", sandbox, url, per_second=4, lease=1800, per_group=1
        )
        await seed_due_reminders(config, [group], items=40, wordy=True)
        instance = await start_instance(config)
        try:
            await sandbox.wait_until(
                lambda: len(sandbox.sent()) >= 1, timeout=60, what="the first part"
            )
            await asyncio.sleep(0.5)  # the second part is waiting for the group's window
            instance.process.send_signal(signal.SIGTERM)
            loop = asyncio.get_running_loop()
            asked = loop.time()
            await asyncio.wait_for(instance.process.wait(), 30)
            stopped_after = loop.time() - asked
        finally:
            await stop_all([instance])
        assert instance.process.returncode == 0
        assert stopped_after < 10, "the stop did not wait out the group's minute"
        assert len(sandbox.sent()) == 1
        first = {k for _, k in reminded(sandbox, [group])}
        assert 0 < len(first) < 40
        rows, recorded = await outbox(url)
        assert recorded == {(group, sandbox.sent()[0].message_id)}
        states = Counter(r.state for r in rows)
        assert states == {
            ReminderState.SENT.value: len(first),
            ReminderState.PENDING.value: 40 - len(first),
        }


if os.environ.get(POSTGRES_URL_ENV):

    async def test_an_instance_killed_mid_pass_leaves_the_rest_to_another_each_sent_once(
        tmp_path,
    ):
        async with (
            fresh_postgres_database(os.environ[POSTGRES_URL_ENV]) as url,
            Sandbox(token=TOKEN) as sandbox,
        ):
            chats = [sandbox.add_chat("supergroup", title=f"群{n}").id for n in range(24)]
            # 24 messages at 3 a second: the pass lasts 8 s, shorter than the lease.
            config = reminder_config(
                tmp_path / "planbot.toml", sandbox, url, per_second=3, lease=10
            )
            await seed_due_reminders(config, chats)
            doomed = await start_instance(config)
            instances = [doomed]
            try:
                await sandbox.wait_until(
                    lambda: len(sandbox.sent()) >= 1, timeout=60, what="the pass to begin"
                )
                # The second instance starts while the first is sending: the rows are
                # claimed, so it sends none of them.
                survivor = await start_instance(config)
                instances.append(survivor)
                await wait_until(lambda: survivor.logged(SCHEDULER_UP), instances)
                await sandbox.wait_until(
                    lambda: len(sandbox.sent()) >= 6, timeout=30, what="a few messages"
                )
                at_kill = len(sandbox.sent())
                assert at_kill < len(chats), "the first instance was still sending"
                doomed.process.send_signal(signal.SIGKILL)
                await doomed.process.wait()

                # When the dead instance's lease runs out, the survivor sends what it had not.
                await sandbox.wait_until(
                    lambda: {m.chat.id for m in sandbox.sent()} == set(chats),
                    timeout=60,
                    what="every chat reminded",
                )
                await asyncio.sleep(1.5)  # three more sweeps: nothing more goes out
                rows, recorded = await outbox(url)
            finally:
                await stop_all(instances)
            assert survivor.process.returncode == 0

            seen = reminded(sandbox, chats)
            every = {(c, k) for c in chats for k in range(1, ITEMS_PER_CHAT + 1)}
            assert set(seen) == every, "every reminder went out"
            # Twice only for a message the killed instance had on its way (sent, not yet
            # recorded). Each chat's message is recorded as soon as it is out, so that is the
            # last one or two (more if the machine is so loaded that a record waits a second),
            # not everything it had sent.
            unrecorded = [m for m in sandbox.sent() if (m.chat.id, m.message_id) not in recorded]
            twice = {key for key, count in seen.items() if count > 1}
            assert twice == {
                (m.chat.id, int(k))
                for m in unrecorded
                for k in re.findall(r"事项(\d+)号", m.text or "")
            }
            assert len(unrecorded) <= 3 < at_kill
            assert {r.state for r in rows} == {ReminderState.SENT.value}
