"""The reminder window: overdue reminders are planned 14 days ahead, and each day's roll adds
only the day that entered it; after a long downtime, an edit, or two instances rolling at once
nothing is lost and nothing is planned twice.

The sample plan's ten items are all due on Friday 2020-10-30: 11-02 is their first overdue
day, 11-04 the third (escalated), 11-07/08 a weekend.
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta

import time_machine
from sqlalchemy import select

from jobs.outbox import HORIZON_DAYS
from jobs.upkeep import upkeep
from storage.db import Database
from storage.migrate import upgrade_async
from storage.models import Item, ItemStatus, Reminder, ReminderState
from storage.reminder_window import read_window
from tests.support.dispatch import (
    Recorder,
    at,
    dispatcher,
    local_day,
    planner,
    sample_office,
)

PENDING = ReminderState.PENDING.value
ALL = list(range(1, 11))


def roll_at(day: date) -> datetime:
    """The daily upkeep's time on `day` (00:05 in the office's zone)."""
    return at(day.year, day.month, day.day, 0, 5)


async def _pending(db: Database) -> dict[int, list[tuple[int, date, str]]]:
    """Each item's pending rows: (row id, day, kind), by day."""
    async with db.session() as session:
        rows = await session.execute(
            select(Reminder.id, Reminder.item_id, Reminder.fire_at, Reminder.kind)
            .where(Reminder.state == PENDING)
            .order_by(Reminder.fire_at)
        )
        out: dict[int, list[tuple[int, date, str]]] = {}
        for row in rows:
            out.setdefault(row.item_id, []).append((row.id, local_day(row.fire_at), row.kind))
        return out


def _days(rows: list[tuple[int, date, str]]) -> list[date]:
    return [day for _, day, _ in rows]


async def test_a_day_passing_adds_only_that_days_reminders(db):
    plan = planner()
    ids = await sample_office(db, plan, at(2020, 10, 20, 0, 1))
    assert await plan.replan_rolling(db, now=roll_at(date(2020, 10, 20))) == 0
    before = await _pending(db)
    assert HORIZON_DAYS == 14
    assert _days(before[ids[0]]) == [
        date(2020, 10, 23),
        date(2020, 10, 28),
        date(2020, 10, 30),
        date(2020, 11, 2),
        date(2020, 11, 3),  # 10-20 + 14 days
    ]

    assert await plan.replan_rolling(db, now=roll_at(date(2020, 10, 21))) == 10
    after = await _pending(db)
    for item_id in ids:
        old, new = after[item_id][:-1], after[item_id][-1]
        assert old == before[item_id], "the rows planned before are left as they were"
        assert new[1:] == (date(2020, 11, 4), "overdue")
    async with db.session() as session:
        escalated = await session.scalars(
            select(Reminder.escalated).where(Reminder.id.in_([r[-1][0] for r in after.values()]))
        )
        assert all(escalated), "the third overdue day is escalated, as a full re-plan says"

    # A restart the same day adds nothing; a weekend entering the window adds nothing; a roll
    # after two days without one adds both days that entered since.
    assert await plan.replan_rolling(db, now=roll_at(date(2020, 10, 21)) + timedelta(hours=3)) == 0
    assert await plan.replan_rolling(db, now=roll_at(date(2020, 10, 22))) == 10  # 11-05
    assert await plan.replan_rolling(db, now=roll_at(date(2020, 10, 24))) == 10  # 11-06, 11-07
    assert await plan.replan_rolling(db, now=roll_at(date(2020, 10, 25))) == 0  # 11-08
    assert await plan.replan_rolling(db, now=roll_at(date(2020, 10, 27))) == 20  # 11-09, 11-10
    assert _days((await _pending(db))[ids[0]])[-7:] == [
        date(2020, 11, 2),
        date(2020, 11, 3),
        date(2020, 11, 4),
        date(2020, 11, 5),
        date(2020, 11, 6),
        date(2020, 11, 9),
        date(2020, 11, 10),
    ]
    async with db.session() as session:
        window = await read_window(session)
    assert window is not None and window.through == date(2020, 11, 10)


async def test_after_a_downtime_longer_than_the_window_what_is_due_now_is_planned(db):
    plan, notifier = planner(), Recorder()
    ids = await sample_office(db, plan, at(2020, 10, 20, 0, 1))
    await upkeep(db, plan, now=roll_at(date(2020, 10, 20)))  # planned through 11-03

    # Down from then until Friday 11-20 at 10:00. The start sends the backlog first, then rolls:
    # one reminder per item today (the newest one planned), and from Monday on every working
    # day again, up to 12-04.
    d = dispatcher(db, plan, notifier)
    back = at(2020, 11, 20, 10)
    with time_machine.travel(back, tick=False):  # a sent row records when it went out
        await d.dispatch(back)
        assert notifier.items() == [ALL]
        await upkeep(db, plan, now=back)
    pending = await _pending(db)
    assert _days(pending[ids[0]]) == [
        date(2020, 11, 23),
        date(2020, 11, 24),
        date(2020, 11, 25),
        date(2020, 11, 26),
        date(2020, 11, 27),
        date(2020, 11, 30),
        date(2020, 12, 1),
        date(2020, 12, 2),
        date(2020, 12, 3),
        date(2020, 12, 4),
    ]
    assert set(pending) == set(ids)
    assert (await d.dispatch(at(2020, 11, 20, 10, 5))).claimed == 0, "one reminder a day"
    await d.dispatch(at(2020, 11, 23, 9))
    assert notifier.items() == [ALL, ALL]
    assert all(e.escalated for e in notifier.delivered[1].sections[0].entries)

    # From then on the daily roll is a top-up again: Saturday 12-05 adds nothing.
    assert await plan.replan_rolling(db, now=roll_at(date(2020, 11, 21))) == 0


async def test_items_changed_since_the_last_roll_keep_their_own_reminders(db):
    plan = planner()
    ids = await sample_office(db, plan, at(2020, 10, 20, 0, 1))
    await plan.replan_rolling(db, now=roll_at(date(2020, 10, 20)))
    extended, earlier, done, snoozed = ids[:4]

    # Just after midnight, before the roll: edits re-plan their items with today's window.
    edited = at(2020, 10, 21, 0, 1)
    async with db.session() as session:
        for item_id, change in (
            (extended, {"deadline": date(2020, 11, 10)}),
            (earlier, {"deadline": date(2020, 10, 26)}),
            (snoozed, {"snoozed_until": date(2020, 11, 5)}),
        ):
            item = await session.get(Item, item_id)
            for name, value in change.items():
                setattr(item, name, value)
            await plan.replan(session, [item_id], now=edited)
        (await session.get(Item, done)).status = ItemStatus.DONE.value
        await plan.cancel(session, [done])

    assert await plan.replan_rolling(db, now=roll_at(date(2020, 10, 21))) == 6
    pending = await _pending(db)
    # Due 11-10 now: its reminders before that day, no overdue one on 11-04.
    assert _days(pending[extended]) == [
        date(2020, 11, 3),
        date(2020, 11, 6),
        date(2020, 11, 9),
        date(2020, 11, 10),
    ]
    # Due 10-26: the edit planned it through 11-04 already; the roll adds no second row.
    assert [(day, kind) for _, day, kind in pending[earlier]][-1] == (date(2020, 11, 4), "overdue")
    assert _days(pending[earlier]).count(date(2020, 11, 4)) == 1
    assert done not in pending
    # Snoozed to 11-05: nothing before it, so nothing on 11-04 either.
    assert snoozed not in pending
    for item_id in ids[4:]:
        assert _days(pending[item_id])[-1] == date(2020, 11, 4)

    # The next day: 11-05 for every item overdue then, the snoozed one included.
    assert await plan.replan_rolling(db, now=roll_at(date(2020, 10, 22))) == 8
    assert _days((await _pending(db))[snoozed]) == [date(2020, 11, 5)]


async def test_two_instances_rolling_at_once_plan_each_day_once(database_url):
    await upgrade_async(database_url)
    first, second = Database.from_url(database_url), Database.from_url(database_url)
    try:
        plan = planner()
        ids = await sample_office(first, plan, at(2020, 10, 20, 0, 1))
        # Both start on 10-21 with no roll recorded (every item re-planned), then both roll
        # on 10-22 (the day entering the window added).
        for day in (date(2020, 10, 21), date(2020, 10, 22)):
            now = roll_at(day)
            await asyncio.gather(
                plan.replan_rolling(first, now=now), plan.replan_rolling(second, now=now)
            )
        pending = await _pending(first)
        for item_id in ids:
            days = _days(pending[item_id])
            assert days.count(date(2020, 11, 4)) == days.count(date(2020, 11, 5)) == 1
    finally:
        await first.close()
        await second.close()


async def test_a_roll_stopped_half_way_is_done_again_next_time(db):
    plan = planner()
    ids = await sample_office(db, plan, at(2020, 10, 20, 0, 1))
    await plan.replan_rolling(db, now=roll_at(date(2020, 10, 20)))
    await plan.replan_rolling(db, now=roll_at(date(2020, 10, 21)), stopping=lambda: True)
    async with db.session() as session:
        window = await read_window(session)
    assert window is not None and window.through == date(2020, 11, 3), "not moved on"
    assert await plan.replan_rolling(db, now=roll_at(date(2020, 10, 21))) == len(ids)
