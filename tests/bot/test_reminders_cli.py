"""`planbot remind`: one pass from cron, and the dry run that writes nothing."""

from __future__ import annotations

import asyncio
import io
import signal
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import func, select

from bot.cli.main import main
from bot.cli.remind import remind
from bot.config import parse_config
from bot.operations.imports import import_plan, parse_for_import
from bot.operations.who import Origin
from bot.sandbox import Sandbox
from bot.services import make_planner
from plans.sample import sample_text
from storage.db import Database
from storage.migrate import upgrade_async
from storage.models import Reminder, ReminderState
from tests.support.processes import (
    ITEMS_PER_CHAT,
    TOKEN,
    outbox,
    reminded,
    reminder_config,
    seed_due_reminders,
    start_instance,
    stop_all,
)

SH = ZoneInfo("Asia/Shanghai")
GROUP = -1001234


def _config(tmp_path: Path, **telegram: str):
    data = {"database": {"url": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"}}
    if telegram:
        data["telegram"] = telegram
    return parse_config(data, source="test", env={})


def _sandbox_config(tmp_path: Path, sandbox: Sandbox):
    return _config(
        tmp_path,
        token=sandbox.token,
        base_url=sandbox.base_url,
        base_file_url=sandbox.base_file_url,
    )


async def _office(config, chat_id: int = GROUP) -> None:
    """The sample plan imported on Tuesday 10-20, its reminders planned."""
    await upgrade_async(config.database.url)
    db = Database.from_url(config.database.url)
    try:
        with time_machine.travel(datetime(2020, 10, 20, 10, tzinfo=SH), tick=False):
            parsed = parse_for_import(sample_text(), today=date(2020, 10, 1))
            target = Origin(chat_id, "群", "supergroup")
            await import_plan(db, make_planner(config), target, parsed, sample_text())
    finally:
        await db.close()


async def _states(config) -> dict[str, int]:
    db = Database.from_url(config.database.url)
    try:
        async with db.session() as session:
            rows = await session.execute(
                select(Reminder.state, func.count()).group_by(Reminder.state)
            )
            return dict(rows.all())  # type: ignore[arg-type]
    finally:
        await db.close()


async def test_dry_run_prints_what_would_go_where_and_writes_nothing(tmp_path):
    config = _config(tmp_path)
    await _office(config)
    before = await _states(config)
    out = io.StringIO()
    code = await remind(config, dry_run=True, now=datetime(2020, 10, 23, 9, tzinfo=SH), out=out)
    assert code == 0
    text = out.getvalue()
    assert text.startswith(f"→ 发往聊天 {GROUP}\n⏰ 工作提醒 · 10月23日 周五")
    assert text.count("还剩 8 天") == 10
    assert await _states(config) == before == {ReminderState.PENDING.value: before["pending"]}

    out = io.StringIO()
    await remind(config, dry_run=True, now=datetime(2020, 10, 22, 9, tzinfo=SH), out=out)
    assert out.getvalue() == "现在没有到期的提醒。\n"


async def test_one_pass_sends_through_telegram_and_exits(tmp_path):
    async with Sandbox() as sandbox:
        group = sandbox.add_chat("supergroup", title="群")
        config = _sandbox_config(tmp_path, sandbox)
        await _office(config, group.id)
        out = io.StringIO()
        now = datetime(2020, 10, 23, 9, 0, 30, tzinfo=SH)
        assert await remind(config, now=now, out=out) == 0
        (message,) = sandbox.sent(group)
        assert message.text.startswith("⏰ 工作提醒 · 10月23日") and len(message.buttons) == 30
        assert out.getvalue() == "已发送 1 条消息，10 条提醒；0 条稍后重试，0 条失败。\n"
        assert not sandbox.calls_to("setMyCommands"), "no post_init: no scheduler, no menu"

        out = io.StringIO()
        assert await remind(config, now=now, out=out) == 0
        assert out.getvalue() == "现在没有到期的提醒。\n" and len(sandbox.sent(group)) == 1
    states = await _states(config)
    assert states[ReminderState.SENT.value] == 10


def test_the_command_line(tmp_path, capsys):
    config_file = tmp_path / "planbot.toml"
    config_file.write_text(
        f'[database]\nurl = "sqlite+aiosqlite:///{tmp_path / "bot.db"}"\n', encoding="utf-8"
    )
    asyncio.run(_office(_config(tmp_path)))
    with time_machine.travel(datetime(2020, 10, 28, 9, 5, tzinfo=SH), tick=False):
        assert main(["remind", "--dry-run", "--config", str(config_file)]) == 0
    printed = capsys.readouterr().out
    # Only the newest due reminder per item: Wednesday's, not Friday's missed one.
    assert "10月28日 周三" in printed and printed.count("还剩 3 天") == 10
    assert "还剩 8 天" not in printed
    assert main(["remind", "--config", str(config_file)]) == 2, "a real pass needs a token"


async def test_a_stopped_pass_gives_back_what_it_did_not_send(tmp_path):
    """`planbot remind` from a timer that stops it (SIGTERM) mid-pass: the message on its way
    finishes, the rest goes back to the outbox, and the next run sends it."""
    async with Sandbox(token=TOKEN) as sandbox:
        chats = [sandbox.add_chat("supergroup", title=f"群{n}").id for n in range(8)]
        url = f"sqlite+aiosqlite:///{tmp_path / 'planbot.db'}"
        config = reminder_config(tmp_path / "planbot.toml", sandbox, url, per_second=4, lease=1800)
        await seed_due_reminders(config, chats)
        first = await start_instance(config, "remind")
        try:
            await sandbox.wait_until(lambda: len(sandbox.sent()) >= 2, timeout=60, what="sending")
            first.process.send_signal(signal.SIGTERM)
        finally:
            await stop_all([first])
        assert first.process.returncode == 0
        assert "已停止：没发出的提醒已放回，下次运行时发送。\n" in first.output
        out = len(sandbox.sent())
        assert out < len(chats)
        rows, recorded = await outbox(url)
        assert len(recorded) == out
        pending = [r for r in rows if r.state == ReminderState.PENDING.value]
        assert len(pending) == (len(chats) - out) * ITEMS_PER_CHAT

        again = await start_instance(config, "remind")
        await asyncio.wait_for(again.process.wait(), 60)
        await again.reader
        assert again.process.returncode == 0
        assert len(sandbox.sent()) == len(chats)
        assert set(reminded(sandbox, chats).values()) == {1}, "each reminder once"


async def _overdue_days(config) -> list[date]:
    db = Database.from_url(config.database.url)
    try:
        async with db.session() as session:
            rows = await session.scalars(
                select(Reminder.fire_at).where(Reminder.kind == "overdue").distinct()
            )
            return sorted({r.astimezone(SH).date() for r in rows})
    finally:
        await db.close()


async def test_remind_rolls_the_window_itself_once_it_ran_short(tmp_path):
    """A cron setup without the daily `--replan`: the every-minute `planbot remind` tops the
    reminder window up once it reaches less than a week ahead, so overdue reminders go on."""
    async with Sandbox() as sandbox:
        group = sandbox.add_chat("supergroup", title="群")
        config = _sandbox_config(tmp_path, sandbox)
        await _office(config, group.id)  # imported 10-20: planned through 11-03
        assert (await _overdue_days(config))[-1] == date(2020, 11, 3)

        # No roll has been recorded yet: the first run rolls, and has nothing to send.
        out = io.StringIO()
        assert await remind(config, now=datetime(2020, 10, 21, 12, tzinfo=SH), out=out) == 0
        assert out.getvalue() == "现在没有到期的提醒。\n" and not sandbox.sent(group)
        assert (await _overdue_days(config))[-1] == date(2020, 11, 4)

        # Eight days ahead still: nothing rolled, the due reminders go out.
        assert await remind(config, now=datetime(2020, 10, 27, 9, 0, 30, tzinfo=SH)) == 0
        assert (await _overdue_days(config))[-1] == date(2020, 11, 4)
        assert len(sandbox.sent(group)) == 1

        # Six days ahead: rolled to 11-12 before the pass.
        assert await remind(config, now=datetime(2020, 10, 29, 9, 0, 30, tzinfo=SH)) == 0
        assert (await _overdue_days(config))[-1] == date(2020, 11, 12)
        assert len(sandbox.sent(group)) == 2
