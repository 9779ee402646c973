"""Outbox rows follow the items: planned on import, re-planned on change, cancelled when done."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from jobs.calendar import WorkCalendar
from jobs.outbox import SETTINGS_KEY, ReminderPlanner, chat_policy
from jobs.policy import ReminderPolicy
from plans.parser import parse_plan
from plans.sample import sample_text
from storage.chats import get_or_create_chat
from storage.models import Item, ItemStatus, Reminder, ReminderState
from storage.plans import save_parsed_plan

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2020, 10, 20, 2, 0, tzinfo=UTC)


def _planner() -> ReminderPlanner:
    return ReminderPlanner(ReminderPolicy(), WorkCalendar("CN"), SHANGHAI)


async def _sample_items(session) -> list[Item]:
    chat = await get_or_create_chat(session, -100, "群", "supergroup")
    await session.flush()
    result = await save_parsed_plan(session, chat.id, parse_plan(sample_text()), "x")
    return [result.items[i] for i in result.added]


async def _days(session, item_id, state=ReminderState.PENDING.value) -> list[date]:
    rows = await session.scalars(
        select(Reminder.fire_at)
        .where(Reminder.item_id == item_id, Reminder.state == state)
        .order_by(Reminder.fire_at)
    )
    return [r.astimezone(SHANGHAI).date() for r in rows]


async def test_import_plans_the_reference_reminders_once(db):
    planner = _planner()
    async with db.session() as session:
        items = await _sample_items(session)
        added = await planner.replan(session, [i.id for i in items], now=NOW)
        assert await planner.replan(session, [i.id for i in items], now=NOW) == 0
        days = await _days(session, items[0].id)
    assert added == 10 * len(days)
    # 7, 3, 1 and 0 days before (10-30 is a Friday, so the due day's reminder merges into it),
    # then every working day overdue up to the window's end, 14 days after 10-20.
    assert days == [
        date(2020, 10, 23),
        date(2020, 10, 28),
        date(2020, 10, 30),
        date(2020, 11, 2),
        date(2020, 11, 3),
    ]


async def test_done_cancels_and_reopen_brings_them_back(db):
    planner = _planner()
    async with db.session() as session:
        item = (await _sample_items(session))[0]
        await planner.replan(session, [item.id], now=NOW)
        before = await _days(session, item.id)
        item.status = ItemStatus.DONE.value
        await planner.cancel(session, [item.id])
        assert await _days(session, item.id) == []
        assert await _days(session, item.id, ReminderState.CANCELLED.value) == before
        item.status = ItemStatus.OPEN.value
        await planner.replan(session, [item.id], now=NOW)
        assert await _days(session, item.id) == before


async def test_a_snooze_drops_the_days_it_covers_and_sent_rows_stay(db):
    planner = _planner()
    async with db.session() as session:
        item = (await _sample_items(session))[0]
        await planner.replan(session, [item.id], now=NOW)
        first = await session.scalar(
            select(Reminder).where(Reminder.item_id == item.id).order_by(Reminder.fire_at)
        )
        first.state = ReminderState.SENT.value
        item.snoozed_until = date(2020, 10, 29)
        await planner.replan(session, [item.id], now=NOW)
        days = await _days(session, item.id)
        # The snoozed 10-28 reminder comes back on the day the snooze ends.
        assert days[:2] == [date(2020, 10, 29), date(2020, 10, 30)]
        assert await _days(session, item.id, ReminderState.SENT.value) == [date(2020, 10, 23)]


async def test_a_chat_turning_reminders_off_plans_nothing(db):
    planner = _planner()
    async with db.session() as session:
        items = await _sample_items(session)
        chat = await get_or_create_chat(session, -100)
        chat.settings = {SETTINGS_KEY: {"enabled": False}}
        await session.flush()
        assert await planner.replan(session, [i.id for i in items], now=NOW) == 0


async def test_a_new_escalation_setting_reaches_the_rows_already_planned(db):
    planner = _planner()
    now = NOW + timedelta(days=2)  # the window reaches 11-05: three overdue days
    async with db.session() as session:
        item = (await _sample_items(session))[0]
        await planner.replan(session, [item.id], now=now)

        async def escalated_days() -> list[date]:
            rows = await session.scalars(
                select(Reminder.fire_at).where(
                    Reminder.item_id == item.id, Reminder.escalated.is_(True)
                )
            )
            return sorted(r.astimezone(SHANGHAI).date() for r in rows)

        assert (await escalated_days())[0] == date(2020, 11, 4)  # the default: the 3rd
        chat = await get_or_create_chat(session, -100)
        for escalate_after, first in ((1, date(2020, 11, 2)), (0, None)):
            chat.settings = {SETTINGS_KEY: {"escalate_after": escalate_after}}
            await session.flush()
            assert await planner.replan(session, [item.id], now=now) == 0, "same rows"
            assert (await escalated_days() or [None])[0] == first


def test_chat_settings_override_the_defaults_and_bad_values_are_ignored():
    policy = chat_policy(
        ReminderPolicy(),
        {SETTINGS_KEY: {"remind_at": "08:30", "days_before": [5, 2, 0], "escalate_after": "x"}},
    )
    assert policy.remind_at.hour == 8 and policy.remind_at.minute == 30
    assert policy.days_before == (5, 2, 0)
    assert policy.escalate_after == 3
