"""Deadline reminders end to end: the real Application and its real scheduler, the sandbox
over HTTP, and the office's clock moved with time-machine.

Each step moves the clock to a moment and lets the scheduler run what is due then
(`run_pending`, what its timer does when the moment arrives in real time).
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import takewhile
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from bot.operations.imports import import_plan, parse_for_import
from bot.operations.who import Origin
from bot.sandbox import Chat, Message, User
from jobs.scheduler import NEXT, ReminderScheduler
from plans.sample import sample_text
from storage.chats import get_chat
from storage.models import Item, ItemEvent, ItemStatus, Reminder, ReminderState
from storage.people import bind_person
from tests.support.chat import department_group, item_ids
from tests.support.harness import Harness, running_bot

SH = ZoneInfo("Asia/Shanghai")
LEADERS = ("高启秀", "郭红萍", "张征军", "董军")
ALL = list(range(1, 11))


def at(month: int, day: int, hour: int = 9, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2020, month, day, hour, minute, second, tzinfo=SH)


def seqs(message: Message) -> list[int]:
    """The item numbers a reminder or digest lists, in order."""
    return [int(n) for n in re.findall(r"^(?:🔴 |🔵 |🟡 )?(\d+)\. ", message.text, re.M)]


@dataclass
class Office:
    bot: Harness
    clock: Any
    leaders: dict[str, User]
    seen: dict[int, int] = field(default_factory=dict)

    @property
    def scheduler(self) -> ReminderScheduler:
        scheduler = self.bot.application.bot_data.reminders.scheduler
        assert scheduler is not None
        return scheduler

    async def moment(self, when: datetime, chat: Chat | None = None) -> list[Message]:
        """Move the clock to `when`, run what is due; what the bot sent to `chat` meanwhile."""
        self.new(chat)
        self.clock.move_to(when)
        await self.scheduler.run_pending()
        return self.new(chat)

    def new(self, chat: Chat | None = None) -> list[Message]:
        chat = chat or self.bot.group
        sent = self.bot.sandbox.sent(chat)
        start = self.seen.get(chat.id, 0)
        self.seen[chat.id] = len(sent)
        return sent[start:]

    async def press(self, message: Message, prefix: str, user: User) -> str | None:
        """`user` presses the button of `message` whose data starts with `prefix`."""
        button = next(b for b in message.buttons if b["callback_data"].startswith(prefix))
        answers = len(self.bot.sandbox.callback_answers)
        self.bot.sandbox.press_button(message, user, button["callback_data"])
        self.bot.pushed += 1
        await self.bot.settle()
        answered = self.bot.sandbox.callback_answers[answers:]
        return answered[-1].text if answered else None


@asynccontextmanager
async def office_at(
    tmp_path: Path, when: datetime, *, clock: Any = None, **config: Any
) -> AsyncIterator[Office]:
    """The bot started at `when` with the sample plan imported and its leaders bound."""
    owned = clock is None
    traveller = time_machine.travel(when, tick=False) if owned else None
    clock = traveller.start() if traveller is not None else clock
    try:
        async with running_bot(tmp_path, **config) as bot:
            leaders = await _seed(bot)
            yield Office(bot, clock, leaders)
    finally:
        if traveller is not None:
            traveller.stop()


async def _seed(bot: Harness) -> dict[str, User]:
    svc = bot.application.bot_data.services
    group = bot.group
    users = {name: bot.sandbox.users.get(_user_id(bot, name)) for name in LEADERS}
    for name in LEADERS:
        if users[name] is None:
            users[name] = bot.sandbox.add_user(name)
    async with bot.db.session() as session:
        known = await get_chat(session, group.id)
    if known is None or not await _has_plan(bot):
        parsed = parse_for_import(sample_text(), today=date(2020, 10, 1))
        target = Origin(group.id, group.title or "", group.type)
        await import_plan(bot.db, svc.planner, target, parsed, sample_text())
        async with bot.db.session() as session:
            chat = await get_chat(session, group.id)
            assert chat is not None
            for name, user in users.items():
                assert user is not None
                await bind_person(session, chat.id, name, user.id)
    return {name: user for name, user in users.items() if user is not None}


def _user_id(bot: Harness, name: str) -> int:
    return next((u.id for u in bot.sandbox.users.values() if u.first_name == name), -1)


async def _has_plan(bot: Harness) -> bool:
    async with bot.db.session() as session:
        return await session.scalar(select(Item.id).limit(1)) is not None


@pytest.fixture
async def office(tmp_path) -> AsyncIterator[Office]:
    async with office_at(tmp_path, at(10, 20, 10), reminders={"supervisors": ["官庆军"]}) as o:
        yield o


# --- the reference case -----------------------------------------------------------------------


async def test_the_sample_plan_is_reminded_on_the_reference_days(office):
    """All ten items are due Saturday 10-31: one message per reminder day, none between."""
    # The minute's sweep after the import arms the timer for the first reminder.
    assert await office.moment(at(10, 20, 10, 1)) == []
    assert office.scheduler.next_run_time(NEXT) == at(10, 23)
    days: dict[date, list[Message]] = {}
    for month, day in [(10, d) for d in range(21, 32)] + [(11, d) for d in range(1, 6)]:
        days[date(2020, month, day)] = await office.moment(at(month, day))

    reminder_days = {
        date(2020, 10, 23): "还剩 8 天",  # 7 days before, moved back from Saturday 10-24
        date(2020, 10, 28): "还剩 3 天",
        date(2020, 10, 30): "明天到期",  # 1 day before; the due day's (Sat) merged into it
        date(2020, 11, 2): "已逾期 2 天",
        date(2020, 11, 3): "已逾期 3 天",
        date(2020, 11, 4): "已逾期 4 天",
        date(2020, 11, 5): "已逾期 5 天",
    }
    for day, when in reminder_days.items():
        (message,) = days[day]
        assert message.text.startswith(f"⏰ 工作提醒 · {day.month}月{day.day}日"), message.text
        assert seqs(message) == ALL
        assert message.text.count(when) == 10, message.text
        assert len(message.buttons) == 30
    # Monday 10-26 has no reminder but the weekly digest: every open item, no buttons.
    (digest,) = days[date(2020, 10, 26)]
    assert digest.text.startswith("📋 本周工作一览 · 2020年10月") and seqs(digest) == ALL
    assert digest.buttons == []
    quiet = set(days) - set(reminder_days) - {date(2020, 10, 26)}
    assert {d for d in quiet if days[d]} == set()
    assert {date(2020, 10, 24), date(2020, 10, 25), date(2020, 10, 31), date(2020, 11, 1)} <= quiet

    # Escalated from the third overdue reminder: 🔴, leaders and the supervisor pinged.
    escalated = days[date(2020, 11, 4)][0]
    assert escalated.text.count("🔴 ") == 10 and "🔴" not in days[date(2020, 11, 3)][0].text
    assert escalated.text.endswith("请督办：官庆军（第 1–10 项已逾期多日）")
    gao = office.leaders["高启秀"]
    assert f'<a href="tg://user?id={gao.id}">高启秀</a>' in escalated.html
    # /metrics tells when this instance last ran a pass.
    assert office.bot.application.bot_data.services.counters.last_dispatch == at(11, 5)


async def test_a_done_item_stops_appearing(office):
    (first,) = await office.moment(at(10, 23))
    answer = await office.press(first, "it:done:", office.leaders["高启秀"])
    assert answer is not None
    office.new()
    (second,) = await office.moment(at(10, 28))
    assert seqs(second) == [2, 3, 4, 5, 6, 7, 8, 9, 10]


async def test_a_snoozed_item_skips_to_the_next_working_day(office):
    (first,) = await office.moment(at(10, 23))
    (_digest,) = await office.moment(at(10, 26))
    # Wednesday 8:00, before the day's reminder: "remind me tomorrow" for item 1.
    await office.moment(at(10, 28, 8))
    answer = await office.press(first, "it:snz:", office.leaders["高启秀"])
    assert answer == "好的，第 1 项 10月29日 周四 09:00 再提醒。"
    (wednesday,) = await office.moment(at(10, 28))
    assert seqs(wednesday) == [2, 3, 4, 5, 6, 7, 8, 9, 10]
    (thursday,) = await office.moment(at(10, 29))
    assert seqs(thursday) == [1]
    (friday,) = await office.moment(at(10, 30))
    assert seqs(friday) == ALL
    async with office.bot.db.session() as session:
        kinds = list(await session.scalars(select(ItemEvent.kind)))
    assert kinds.count("snooze") == 1


async def test_only_responsible_people_or_admins_snooze(office):
    (first,) = await office.moment(at(10, 23))
    stranger = office.bot.sandbox.add_user("路人")
    answer = await office.press(first, "it:snz:", stranger)
    assert answer == "只有该事项的责任人或管理员可以推迟提醒。"
    assert await office.press(first, "it:snz:", office.bot.admin) is not None
    async with office.bot.db.session() as session:
        item = await session.scalar(select(Item).where(Item.seq == 1))
    assert item.snoozed_until == date(2020, 10, 26)


async def test_a_restart_after_missing_two_fire_times_sends_one_reminder_per_item(tmp_path):
    with time_machine.travel(at(10, 20, 10), tick=False) as clock:
        async with office_at(tmp_path, at(10, 20, 10), clock=clock) as before:
            assert before.new() == []
        # Down from Tuesday 10-20 until Wednesday 10-28 at noon: 10-23 and 10-28 missed.
        clock.move_to(at(10, 28, 12))
        async with office_at(tmp_path, at(10, 28, 12), clock=clock) as after:
            (message,) = after.new()
            assert seqs(message) == ALL and message.text.count("还剩 3 天") == 10
            (friday,) = await after.moment(at(10, 30))
            assert seqs(friday) == ALL


async def test_a_429_storm_and_5xx_faults_delay_but_lose_nothing(tmp_path):
    # No retries in the limiter: every 429 reaches the dispatcher, which waits it out.
    limits = {"rate_limits": {"max_retries": 0}}
    async with office_at(tmp_path, at(10, 20, 10), telegram=limits) as office:
        sandbox = office.bot.sandbox
        sandbox.inject_faults(4, "429", retry_after=5, methods=["sendMessage"])
        sandbox.inject_faults(2, "5xx", status=502, methods=["sendMessage"])
        assert await office.moment(at(10, 23)) == []
        got: list[Message] = []
        for minute in range(1, 15):
            got += await office.moment(at(10, 23, 9, minute))
        (message,) = got
        assert seqs(message) == ALL
        statuses = [c.status for c in sandbox.calls_to("sendMessage")]
        assert statuses == [429, 429, 429, 429, 502, 502, 200]
        async with office.bot.db.session() as session:
            rows = list(
                await session.scalars(select(Reminder).where(Reminder.fire_at <= at(10, 23)))
            )
        assert {r.state for r in rows} == {ReminderState.SENT.value}
        assert {r.attempts for r in rows} == {2}, "the two 5xx count, the 429s do not"
        (next_day,) = await office.moment(at(10, 28))
        assert seqs(next_day) == ALL


async def test_a_chat_that_is_gone_fails_its_reminders_and_admins_are_told_once(tmp_path):
    async with office_at(tmp_path, at(10, 20, 10)) as office:
        sandbox = office.bot.sandbox
        inbox = sandbox.private_chat(office.bot.admin)
        del sandbox.chats[office.bot.group.id]  # "Bad Request: chat not found" from now on
        await office.moment(at(10, 23))
        await office.moment(at(10, 23, 9, 1))
        (report,) = sandbox.sent(inbox)
        assert report.text.startswith(f"⚠️ 提醒发送失败（聊天 {office.bot.group.id}）")
        assert "1. 扎实开展2020年“扶贫日”活动" in report.text and "Chat not found" in report.text
        async with office.bot.db.session() as session:
            rows = list(
                await session.scalars(select(Reminder).where(Reminder.fire_at <= at(10, 23)))
            )
        assert {r.state for r in rows} == {ReminderState.FAILED.value} and len(rows) == 10


async def test_failed_reminders_are_reported_in_the_admin_chat_when_one_is_set(tmp_path):
    admin_chat = -1009876543210
    async with office_at(tmp_path, at(10, 20, 10), access={"admin_chat": admin_chat}) as office:
        sandbox = office.bot.sandbox
        admins = sandbox.add_chat("supergroup", title="管理员群", chat_id=admin_chat)
        inbox = sandbox.private_chat(office.bot.admin)
        del sandbox.chats[office.bot.group.id]
        await office.moment(at(10, 23))
        await office.moment(at(10, 23, 9, 1))
        (report,) = sandbox.sent(admins)
        assert report.text.startswith(f"⚠️ 提醒发送失败（聊天 {office.bot.group.id}）")
        assert sandbox.sent(inbox) == []


# --- acknowledgements -------------------------------------------------------------------------


NOT_RESPONSIBLE = (
    "只有该事项的责任领导和责任部室成员可以确认收到"
    "（确认收到表示责任人本人看到了提醒，管理员也不能代为确认）。"
)


def _block(message: Message, seq: int) -> str:
    """The lines of item `seq` in a reminder."""
    blocks = message.text.split("\n\n")
    return next(b for b in blocks if re.match(rf"(?:🔴 )?{seq}\. ", b))


async def test_the_eyes_button_confirms_and_the_reminder_shows_who_has_not(office):
    (message,) = await office.moment(at(10, 23))
    assert "未确认：高启秀" in _block(message, 1)
    gao = office.leaders["高启秀"]

    assert await office.press(message, "it:ack:1", gao) == "已确认收到 ✅"
    assert "已确认：高启秀" in _block(message, 1) and "未确认" not in _block(message, 1)
    assert "未确认：高启秀" in _block(message, 2), "an ack confirms its own item only"
    assert len(message.buttons) == 30, "the buttons stay"
    assert office.new() == [], "the message is edited in place, nothing new is sent"

    assert await office.press(message, "it:ack:1", gao) == "您已确认过这条提醒。"
    guo_item = next(b for b in message.buttons if b["callback_data"] == "it:ack:6")
    assert guo_item
    answer = await office.press(message, "it:ack:6", gao)
    assert answer == NOT_RESPONSIBLE
    async with office.bot.db.session() as session:
        acks = list(await session.scalars(select(ItemEvent).where(ItemEvent.kind == "ack")))
    assert [(a.author_tg_user_id, a.author_name) for a in acks] == [(gao.id, "高启秀")]


async def test_an_admin_who_does_not_answer_for_the_item_cannot_acknowledge_it(office):
    """An acknowledgement says the responsible person saw the reminder: an admin (configured or
    the group's) who is not the item's leader nor in its departments is refused, and the
    reminder still reads 未确认; the leader's own /ack is taken."""
    (message,) = await office.moment(at(10, 23))
    bot = office.bot
    chief = bot.sandbox.add_user("主任")
    bot.sandbox.set_admin(bot.group, chief)
    for admin in (bot.admin, chief):
        replies = await bot.say("/ack 1", user=admin)
        assert [m.text for m in replies] == [NOT_RESPONSIBLE]
        assert await office.press(message, "it:ack:1", admin) == NOT_RESPONSIBLE
        assert "未确认：高启秀" in _block(message, 1)
    async with bot.db.session() as session:
        assert list(await session.scalars(select(ItemEvent).where(ItemEvent.kind == "ack"))) == []

    gao = office.leaders["高启秀"]
    replies = await bot.say("/ack 1", user=gao)
    assert replies[0].text.startswith("👀 高启秀 已确认收到：1. ")
    assert "已确认：高启秀" in _block(message, 1) and "未确认" not in _block(message, 1)


async def test_yesterdays_ack_does_not_confirm_todays_reminder(office):
    (first,) = await office.moment(at(10, 23))
    await office.press(first, "it:ack:1", office.leaders["高启秀"])
    (second,) = await office.moment(at(10, 28))
    assert "未确认：高启秀" in _block(second, 1)


async def test_ack_by_number_and_by_reply(office):
    (message,) = await office.moment(at(10, 23))
    gao, dong = office.leaders["高启秀"], office.leaders["董军"]
    replies = await office.bot.say("/ack 2", user=gao)
    assert replies[0].text.startswith("👀 高启秀 已确认收到：2. 迎接全总困难职工")
    assert "已确认：高启秀" in _block(message, 2)

    replies = await office.bot.say("/ack", user=dong, reply_to=message)
    assert replies[0].text == "👀 董军 已确认收到：10. 做好档案升级达标评审和工会统计年报工作"
    assert "已确认：董军" in _block(message, 10)

    replies = await office.bot.say("/ack 3", user=office.bot.member)
    assert replies[0].text == NOT_RESPONSIBLE
    replies = await office.bot.say("/ack", user=gao)
    assert replies[0].text == "请写事项编号，例：/ack 3；或回复提醒消息发送 /ack。"
    replies = await office.bot.say("/ack 99", user=gao)
    assert len(replies) == 1 and "99" in replies[0].text


async def test_ack_of_a_done_item_by_its_leader_says_it_is_done_not_who_may(office):
    (message,) = await office.moment(at(10, 23))
    gao, dong = office.leaders["高启秀"], office.leaders["董军"]
    assert (await office.bot.say("/done 2", user=gao))[0].text.startswith("✅")
    replies = await office.bot.say("/ack 2", user=gao)
    assert [m.text for m in replies] == [
        "✅ 2. 迎接全总困难职工解脱困第三方评估抽查和2019年帮扶资金、送温暖资金审计工作"
        " 已经完成，不需要再确认收到提醒。"
    ]
    # By reply: 董军's only item in the reminder is done.
    await office.bot.say("/done 10", user=dong)
    replies = await office.bot.say("/ack", user=dong, reply_to=message)
    assert [m.text for m in replies] == [
        "✅ 10. 做好档案升级达标评审和工会统计年报工作 已经完成，不需要再确认收到提醒。"
    ]
    # Someone who does not answer for it is still told who may.
    replies = await office.bot.say("/ack 2", user=office.bot.member)
    assert [m.text for m in replies] == [NOT_RESPONSIBLE]
    async with office.bot.db.session() as session:
        assert list(await session.scalars(select(ItemEvent).where(ItemEvent.kind == "ack"))) == []


async def test_ack_of_a_done_item_in_english(tmp_path):
    async with office_at(tmp_path, at(10, 20, 10), i18n={"locale": "en"}) as office:
        gao = office.leaders["高启秀"]
        await office.bot.say("/done 2", user=gao)
        replies = await office.bot.say("/ack 2", user=gao)
    assert [m.text for m in replies] == [
        "✅ Already done: 2. 迎接全总困难职工解脱困第三方评估抽查和2019年帮扶资金、"
        "送温暖资金审计工作; there is no reminder to confirm."
    ]


# --- /remind ----------------------------------------------------------------------------------


async def test_remind_shows_the_policy_and_the_next_ten_reminders(office):
    (reply,) = await office.bot.say("/remind")
    lines = reply.text.splitlines()
    assert "提醒时间：工作日 09:00（Asia/Shanghai）" in lines
    assert "到期前：提前 7、3、1 天和到期当天" in lines
    assert "周报：每周一 09:00" in lines
    upcoming = lines[lines.index("接下来的提醒") + 1 :][:10]
    # Up to ten, of the two weeks the reminder window plans ahead (on 10-20: through 11-03).
    assert upcoming[:5] == [
        "10月23日 周五 09:00 · 第 1–10 项",
        "10月28日 周三 09:00 · 第 1–10 项",
        "10月30日 周五 09:00 · 第 1–10 项",
        "11月2日 周一 09:00 · 第 1–10 项",
        "11月3日 周二 09:00 · 第 1–10 项",
    ]
    assert "下一次周报：10月26日 周一 09:00" in lines


async def test_remind_says_every_day_when_weekends_count_too(tmp_path):
    async with office_at(tmp_path, at(10, 20, 10), reminders={"workdays_only": False}) as office:
        (reply,) = await office.bot.say("/remind")
        lines = reply.text.splitlines()
        assert "提醒时间：每天 09:00（Asia/Shanghai）" in lines
        assert "逾期后：每天提醒，逾期第 3 天起升级（🔴，并提醒责任领导和督办人）" in lines
        upcoming = lines[lines.index("接下来的提醒") + 1 :][:10]
        # Saturday 10-31 is a reminder day now: the due day itself, then daily from 11-01.
        assert "10月31日 周六 09:00 · 第 1–10 项" in upcoming
        assert "🔴 11月3日 周二 09:00 · 第 1–10 项" in upcoming


async def test_admins_change_the_policy_and_the_reminders_follow(office):
    bot = office.bot
    (refused,) = await bot.say("/remind at 08:30")
    assert refused.text.startswith("只有管理员可以修改提醒设置")

    (done,) = await bot.say("/remind at 08:30", user=bot.admin)
    assert done.text == "✅ 好的，本群以后在 08:30 提醒。\n下一次提醒：10月23日 周五 08:30"
    assert office.scheduler.next_run_time(NEXT) == at(10, 23, 8, 30)

    (done,) = await bot.say("/remind days 5 2 0", user=bot.admin)
    assert done.text.startswith("✅ 好的，本群到期前的提醒改为：提前 5、2 天和到期当天。")
    assert "下一次提醒：10月26日 周一 08:30" in done.text  # 5 days before, from Sat to Mon

    (done,) = await bot.say("/remind 关闭", user=bot.admin)
    assert done.text.startswith("✅ 已关闭本群的到期提醒。")
    (shown,) = await bot.say("/remind")
    assert "到期提醒：已关闭" in shown.text and "暂无" in shown.text
    assert await office.moment(at(10, 23, 8, 30)) == []

    (done,) = await bot.say("/remind on", user=bot.admin)
    (done,) = await bot.say("/remind digest off", user=bot.admin)
    assert done.text.startswith("✅ 已关闭本群的周报。")
    assert await office.moment(at(10, 26, 8, 30)) != []  # Monday: 5 days before, no digest
    assert await office.moment(at(10, 26, 9)) == []


@pytest.mark.parametrize(
    ("command", "answer"),
    [
        ("/remind at 25:00", "看不懂提醒时间「25:00」。例：/remind at 08:30"),
        ("/remind days 3 -1", "看不懂「3 -1」：请写到期前几天提醒"),
        ("/remind digest someday", "看不懂周报时间「someday」。"),
        ("/remind louder", "不认识「louder」。例："),
        ("/remind escalate soon", "看不懂「soon」：请写逾期第几个工作日起升级，0 到 60 之间的整数"),
        ("/remind 升级 61", "看不懂「61」：请写逾期第几个工作日起升级"),
        ("/remind escalate", "看不懂「」：请写逾期第几个工作日起升级"),
        ("/remind overdue maybe", "逾期提醒只能设为 on 或 off（开启 / 关闭）。例："),
        ("/remind monthly", "月初发布当月计划只能设为 on 或 off（开启 / 关闭）。例："),
    ],
)
async def test_a_wrong_setting_gets_one_sentence_and_an_example(office, command, answer):
    (reply,) = await office.bot.say(command, user=office.bot.admin)
    assert reply.text.startswith(answer)
    async with office.bot.db.session() as session:
        chat = await get_chat(session, office.bot.group.id)
    assert not chat.settings, "nothing is written"


def upcoming_of(overview: Message, heading: str = "接下来的提醒") -> list[str]:
    """The lines of /remind's "next reminders" section: "when · which items"."""
    lines = overview.text.splitlines()
    return list(takewhile(lambda line: " · " in line, lines[lines.index(heading) + 1 :]))


async def test_admins_choose_from_which_overdue_day_reminders_escalate(office):
    bot = office.bot
    (refused,) = await bot.say("/remind escalate 1")
    assert refused.text.startswith("只有管理员可以修改提醒设置")

    (done,) = await bot.say("/remind escalate 1", user=bot.admin)
    assert done.text == (
        "✅ 好的，逾期提醒从逾期第 1 个工作日起升级（🔴，并提醒责任领导和督办人）。\n"
        "下一次提醒：10月23日 周五 09:00"
    )
    (shown,) = await bot.say("/remind")
    line = "逾期后：每个工作日提醒，逾期第 1 个工作日起升级（🔴，并提醒责任领导和督办人）"
    assert line in shown.text.splitlines()
    assert upcoming_of(shown)[3] == "🔴 11月2日 周一 09:00 · 第 1–10 项"

    for day in (23, 26, 28, 30):
        await office.moment(at(10, day))
    (monday,) = await office.moment(at(11, 2))  # the first working day overdue
    assert monday.text.count("🔴 ") == 10
    assert monday.text.endswith("请督办：官庆军（第 1–10 项已逾期多日）")


async def test_escalation_off_and_overdue_reminders_off(office):
    bot = office.bot
    (done,) = await bot.say("/remind 升级 0", user=bot.admin)
    assert done.text.startswith("✅ 好的，逾期提醒不再升级。")
    (shown,) = await bot.say("/remind")
    assert "逾期后：每个工作日提醒，不升级" in shown.text.splitlines()
    assert "🔴" not in shown.text

    (done,) = await bot.say("/remind 逾期 关闭", user=bot.admin)
    assert done.text.startswith("✅ 已关闭逾期提醒：过了完成时限就不再提醒。")
    (shown,) = await bot.say("/remind")
    assert "逾期后：不提醒" in shown.text.splitlines()
    assert [line[:6] for line in upcoming_of(shown)] == ["10月23日", "10月28日", "10月30日"]

    # Escalation waits for overdue reminders, and says so.
    (done,) = await bot.say("/remind escalate 2", user=bot.admin)
    assert done.text.splitlines()[1] == (
        "注意：本群的逾期提醒是关闭的，发送 /remind overdue on 打开后升级才会生效。"
    )
    (done,) = await bot.say("/remind overdue on", user=bot.admin)
    assert done.text.startswith("✅ 已打开逾期提醒")
    (shown,) = await bot.say("/remind")
    assert upcoming_of(shown)[3:5] == [
        "11月2日 周一 09:00 · 第 1–10 项",
        "🔴 11月3日 周二 09:00 · 第 1–10 项",
    ]

    await bot.say("/remind overdue off", user=bot.admin)
    for day in (23, 26, 28, 30):
        await office.moment(at(10, day))
    await office.moment(at(11, 2))  # Monday: the weekly digest still comes
    assert await office.moment(at(11, 3)) == []
    assert office.scheduler.next_run_time(NEXT) == at(11, 9)  # next Monday's digest


@pytest.mark.parametrize(("switch", "posted"), [("on", True), ("off", False)])
async def test_admins_switch_the_month_post_in_english(tmp_path, switch, posted):
    async with office_at(tmp_path, at(9, 28, 10), i18n={"locale": "en"}) as office:
        bot = office.bot
        (refused,) = await bot.say(f"/remind monthly {switch}")
        assert refused.text.startswith("Only admins can change the reminder settings.")
        await bot.say("/remind digest off", user=bot.admin)
        (done,) = await bot.say(f"/remind monthly {switch}", user=bot.admin)
        assert done.text.startswith(
            "✅ The month's plan is posted on its first working day."
            if posted
            else "✅ The month's plan is no longer posted at the start of the month."
        )
        (shown,) = await bot.say("/remind")
        assert (
            "Month start: the month's plan is posted on its first working day"
            if posted
            else "Month start: the month's plan is not posted"
        ) in shown.text.splitlines()
        # The first working day of October 2020, after the National Day holidays.
        sent = await office.moment(at(10, 9))
        if posted:
            (post,) = sent
            assert post.text.startswith("📅 Work plan for 2020-10 (10 items) · Fri 9/10")
        else:
            assert sent == []


async def test_escalation_and_overdue_reminders_in_english(tmp_path):
    async with office_at(tmp_path, at(10, 20, 10), i18n={"locale": "en"}) as office:
        bot = office.bot
        (done,) = await bot.say("/remind escalate 2", user=bot.admin)
        assert done.text == (
            "✅ Done: overdue reminders are escalated from overdue working day 2 on "
            "(🔴, leaders and supervisors mentioned).\nNext reminder: Fri 23/10 09:00"
        )
        (shown,) = await bot.say("/remind")
        assert (
            "After the deadline: every working day, escalated from overdue working day 2 on "
            "(🔴, leaders and supervisors mentioned)"
        ) in shown.text.splitlines()
        assert upcoming_of(shown, "Next reminders")[4].startswith("🔴 Tue 3/11 09:00")
        assert "/remind escalate 3 (0: never) · /remind overdue off · /remind monthly off" in (
            shown.text
        )

        (done,) = await bot.say("/remind escalate never", user=bot.admin)
        assert done.text.startswith("✅ Done: overdue reminders are never escalated.")
        (done,) = await bot.say("/remind overdue off", user=bot.admin)
        assert done.text.startswith("✅ Overdue reminders are off: nothing is sent once")
        (shown,) = await bot.say("/remind")
        assert "After the deadline: none" in shown.text.splitlines()


# --- where reminders go -----------------------------------------------------------------------


async def test_a_department_with_its_own_chat_gets_its_items_there(office):
    bot = office.bot
    clerk = bot.sandbox.add_user("小王")
    own = await department_group(bot, "权益保障部", clerk, "小王")
    (group_message,) = await office.moment(at(10, 23))
    (own_message,) = office.new(own)
    assert seqs(group_message) == ALL
    assert seqs(own_message) == [1, 2, 3, 5]
    assert own_message.text.startswith("⏰ 工作提醒 · 权益保障部 · 10月23日")
    assert f'<a href="tg://user?id={clerk.id}">小王</a>' in own_message.html
    assert f"tg://user?id={clerk.id}" not in group_message.html
    # A button in the department's chat works there too.
    assert await office.press(own_message, "it:ack:1", clerk) == "已确认收到 ✅"
    assert "已确认：小王" in _block(own_message, 1)


async def test_an_english_chat_gets_english_reminders(tmp_path):
    async with office_at(tmp_path, at(10, 20, 10), i18n={"locale": "en"}) as office:
        (message,) = await office.moment(at(10, 23))
        assert message.text.startswith("⏰ Reminder · Fri 23/10")
        assert message.text.count("8 days left") == 10
        assert message.buttons[1]["text"] == "1. 👀 Got it"


async def test_items_done_before_every_reminder_leave_nothing_to_send(office):
    async with office.bot.db.session() as session:
        for item in await session.scalars(select(Item)):
            item.status = ItemStatus.DONE.value
        await office.bot.application.bot_data.services.planner.cancel(
            session, list(await session.scalars(select(Item.id)))
        )
    assert await office.moment(at(10, 23)) == []
    assert office.scheduler.next_run_time(NEXT) == at(10, 26)  # only the digest is left


async def test_a_reminder_merged_with_the_digest_keeps_its_digest_part_when_confirmed(office):
    bot = office.bot
    planner = bot.application.bot_data.services.planner
    async with bot.db.session() as session:
        later = list(await session.scalars(select(Item).where(Item.seq > 5)))
        for item in later:
            item.snoozed_until = date(2020, 11, 3)
        await planner.replan(session, [i.id for i in later], now=at(10, 20, 10))
    await office.moment(at(11, 2, 0, 10))  # the night's upkeep plans Monday's digest
    (message,) = await office.moment(at(11, 2))
    assert seqs(message) == ALL
    head, rest = message.text.split("2020年10月其他未完成事项")
    assert seqs_in(head) == [1, 2, 3, 4, 5] and seqs_in(rest) == [6, 7, 8, 9, 10]
    assert len(message.buttons) == 15, "buttons for the reminders only"

    await office.press(message, "it:ack:1", office.leaders["高启秀"])
    assert "已确认：高启秀" in _block(message, 1)
    assert message.text.split("2020年10月其他未完成事项")[1] == rest


def seqs_in(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"^(?:🔴 |🔵 |🟡 )?(\d+)\. ", text, re.M)]


# --- a reminder follows its items -------------------------------------------------------------


def _buttons_of(message: Message) -> set[int]:
    """The item ids a message still has buttons for."""
    return {int(b["callback_data"].rsplit(":", 1)[1]) for b in message.buttons}


def _reminder_edits(office: Office, message: Message) -> list[Any]:
    """The bot's attempts to edit `message`, whatever Telegram answered."""
    return [
        c
        for c in office.bot.sandbox.calls_to("editMessageText")
        if c.params.get("chat_id") in (message.chat.id, str(message.chat.id))
        and int(c.params.get("message_id", 0)) == message.message_id
    ]


async def test_done_by_button_marks_the_item_and_takes_its_buttons_off(office):
    (message,) = await office.moment(at(10, 23))
    one, two = await item_ids(office.bot, 1, 2)
    assert await office.press(message, f"it:done:{one}", office.leaders["高启秀"]) == "已登记完成"
    block = _block_done(message, 1)
    assert "完成时限：2020-10-31，已完成" in block and "未确认" not in block
    assert "未确认：高启秀" in _block(message, 2), "the other items read as before"
    assert one not in _buttons_of(message) and two in _buttons_of(message)
    assert len(message.buttons) == 27
    (answer,) = office.new()
    assert answer.text.startswith("✅ 第 1 项"), "the answer comes as before, the edit after it"


def _block_done(message: Message, seq: int) -> str:
    """The lines of item `seq` in a reminder, once it reads ✅."""
    blocks = message.text.split("\n\n")
    return next(b for b in blocks if b.startswith(f"✅ {seq}. "))


async def test_done_by_number_and_by_reply_update_the_reminder(office):
    (message,) = await office.moment(at(10, 23))
    admin = office.bot.admin
    await office.bot.say("/done 2", user=admin)
    assert "已完成" in _block_done(message, 2)
    await office.bot.say("/done 3 已报送", user=admin, reply_to=message)
    assert "已完成" in _block_done(message, 3)
    # A plain /done in reply asks which one; the button pressed marks that one.
    (question,) = await office.bot.say("/done", user=admin, reply_to=message)
    await office.press(question, f"it:done:{(await item_ids(office.bot, 4))[0]}", admin)
    assert "已完成" in _block_done(message, 4)
    assert seqs(message) == [1, 5, 6, 7, 8, 9, 10], "the open ones, unmarked"
    assert len(message.buttons) == 21


async def test_an_item_on_two_reminders_is_marked_on_both(office):
    bot = office.bot
    own = await department_group(bot, "权益保障部")
    (group_message,) = await office.moment(at(10, 23))
    (own_message,) = office.new(own)
    (one,) = await item_ids(bot, 1)
    await bot.say("/done 1", user=bot.admin)
    for message in (group_message, own_message):
        assert "已完成" in _block_done(message, 1)
        assert one not in _buttons_of(message)
    assert own_message.text.startswith("⏰ 工作提醒 · 权益保障部 · 10月23日")
    assert seqs(own_message) == [2, 3, 5]


async def test_snooze_reopen_and_undo_show_in_the_reminder(office):
    (message,) = await office.moment(at(10, 23))
    office.clock.move_to(at(10, 23, 10))
    gao = office.leaders["高启秀"]
    one, two = await item_ids(office.bot, 1, 2)
    await office.press(message, f"it:snz:{one}", gao)
    assert "⏰ 10月26日 周一 再提醒" in _block(message, 1)
    assert "再提醒" not in _block(message, 2) and len(message.buttons) == 30

    admin = office.bot.admin
    await office.bot.say("/done 2", user=admin)
    assert two not in _buttons_of(message)
    await office.bot.say("/reopen 2", user=admin)
    assert "还剩 8 天" in _block(message, 2) and two in _buttons_of(message)
    await office.bot.say("/done 2", user=admin)
    await office.bot.say("/undo", user=admin)
    assert "还剩 8 天" in _block(message, 2) and len(message.buttons) == 30


async def test_only_the_last_weeks_reminders_are_edited(office):
    (october_23,) = await office.moment(at(10, 23))
    (october_28,) = await office.moment(at(10, 28))
    (october_30,) = await office.moment(at(10, 30))
    (november_2,) = await office.moment(at(11, 2))
    await office.bot.say("/done 1", user=office.bot.admin)
    for recent in (october_28, october_30, november_2):
        assert "已完成" in _block_done(recent, 1)
    assert _reminder_edits(office, october_23) == [], "ten days old: left as it was"
    assert "未确认：高启秀" in _block(october_23, 1)


async def test_a_deleted_or_uneditable_reminder_is_skipped_without_a_word(office, caplog):
    caplog.set_level(logging.INFO, logger="bot.chat.reminder_edits")
    bot = office.bot
    (first,) = await office.moment(at(10, 23))
    (second,) = await office.moment(at(10, 28))
    (third,) = await office.moment(at(10, 30))
    bot.sandbox.delete_message(first)
    bot.sandbox.refuse_edits(second)
    admin = bot.admin
    (answer,) = await bot.say("/done 1", user=admin)
    assert answer.text.startswith("✅ 第 1 项")
    assert "已完成" in _block_done(third, 1), "the reminder that can be edited is"
    assert [c.error for c in _reminder_edits(office, second)] == [
        "Bad Request: message can't be edited"
    ]
    assert [c.error for c in _reminder_edits(office, first)] == [
        "Bad Request: message to edit not found"
    ]
    # Later changes to items there do not try again; nothing but the answers reaches the chat.
    office.new()
    replies = await bot.say("/done 2", user=admin)
    replies += await bot.say("/undo", user=admin)
    assert [r.text[:2] for r in office.new()] == [r.text[:2] for r in replies] == ["✅ ", "↩️"]
    assert len(_reminder_edits(office, second)) == len(_reminder_edits(office, first)) == 1
    assert "明天到期" in _block(third, 2) and len(third.buttons) == 27
    skipped = [r.getMessage() for r in caplog.records if r.name == "bot.chat.reminder_edits"]
    assert len(skipped) == 2, "each refusal logged once"
