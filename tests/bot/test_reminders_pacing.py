"""Reminders keep to Telegram's rule of one message a second in any chat, groups included.

The sandbox enforces it (a second window per group, next to the 20-a-minute one) and answers
429 to a message that comes too soon; the bot's limiter spaces a group's messages so none does.
"""

from __future__ import annotations

import time
from datetime import date, datetime
from itertools import pairwise
from zoneinfo import ZoneInfo

import time_machine

from bot.operations.imports import import_plan
from bot.operations.who import Origin
from bot.sandbox import Message
from plans.model import ParsedItem, ParsedPlan
from tests.support.harness import Harness, running_bot

SH = ZoneInfo("Asia/Shanghai")
ONE_A_SECOND = {
    "sandbox_options": {"group_burst_limit": (1, 1.0)},
    "telegram": {"rate_limits": {"group_burst_max_rate": 1, "group_burst_time_period": 1.0}},
}
# Long titles: one reminder for all of them is split into several messages.
TITLE = "组织开展全市职工技能大赛暨劳动和技能竞赛表彰活动，做好赛事组织、评审和宣传报道工作"


async def _plan_due_on(bot: Harness, deadline: date, items: int) -> None:
    parsed = ParsedPlan(
        year=deadline.year,
        month=deadline.month,
        title="十月份工作计划",
        items=[
            ParsedItem(
                seq=n,
                title=f"{TITLE}（{n}）",
                leaders=["高启秀"],
                departments=["办公室"],
                deadline=deadline,
                deadline_text=f"{deadline.month}月{deadline.day}日前",
            )
            for n in range(1, items + 1)
        ],
    )
    svc = bot.application.bot_data.services
    group = Origin(bot.group.id, bot.group.title or "", bot.group.type)
    await import_plan(bot.db, svc.planner, group, parsed, "")


async def _pass_at(bot: Harness, clock: time_machine.Traveller, when: datetime) -> None:
    clock.move_to(when)
    scheduler = bot.application.bot_data.reminders.scheduler
    assert scheduler is not None
    await scheduler.run_pending()


async def test_a_groups_reminder_in_several_messages_goes_one_a_second_without_a_429(tmp_path):
    with time_machine.travel(datetime(2020, 10, 22, 10, tzinfo=SH), tick=False) as clock:
        async with running_bot(tmp_path, **ONE_A_SECOND) as bot:
            await _plan_due_on(bot, date(2020, 10, 23), items=100)
            arrived: list[tuple[float, Message]] = []
            bot.sandbox.add_listener(
                lambda event, message: arrived.append((time.monotonic(), message))
            )
            await _pass_at(bot, clock, datetime(2020, 10, 23, 9, tzinfo=SH))

            reminders = bot.sandbox.sent(bot.group)
            assert len(reminders) >= 3, "the 100 items fill several messages"
            assert bot.sandbox.stats.too_many_requests == 0
            stamps = [at for at, message in arrived if message.chat.id == bot.group.id]
            assert len(stamps) == len(reminders)
            gaps = [later - earlier for earlier, later in pairwise(stamps)]
            # The sandbox counts a message when it arrives; its own check already refused
            # anything closer than 1 s, and none was refused.
            assert min(gaps) >= 0.99, f"messages {gaps} s apart"


async def test_a_429_is_waited_out_for_the_seconds_telegram_names(tmp_path):
    with time_machine.travel(datetime(2020, 10, 22, 10, tzinfo=SH), tick=False) as clock:
        async with running_bot(tmp_path, **ONE_A_SECOND) as bot:
            await _plan_due_on(bot, date(2020, 10, 23), items=3)
            bot.sandbox.inject_faults(1, "429", retry_after=2, methods=["sendMessage"])
            started = time.monotonic()
            arrived: list[float] = []
            bot.sandbox.add_listener(lambda event, message: arrived.append(time.monotonic()))
            await _pass_at(bot, clock, datetime(2020, 10, 23, 9, tzinfo=SH))
            (reminder,) = bot.sandbox.sent(bot.group)
            assert "（3）" in reminder.text
            statuses = [c.status for c in bot.sandbox.calls_to("sendMessage")]
            assert statuses == [429, 200]
            assert arrived[0] - started >= 2.0, "sent again only after retry_after"
