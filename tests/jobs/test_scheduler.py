"""The real AsyncIOScheduler, driven by a clock moved with time-machine.

The scheduler's timer counts real seconds; `run_pending` does what the timer does when a fire
time arrives, so each step here is the scheduler deciding, by the moved wall clock, which of
its jobs are due.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import time_machine
from sqlalchemy import func, select

from jobs.scheduler import NEXT, SWEEP, UPKEEP, ReminderScheduler
from storage.models import Digest, PendingKind, Reminder, ReminderState
from storage.pending import Where, get_question, put_question
from tests.support.dispatch import Recorder, at, dispatcher, local_day, planner, sample_office

ALL = list(range(1, 11))


def _now() -> datetime:
    return datetime.now(UTC)


async def started(scheduler: ReminderScheduler) -> None:
    """Start it and wait for the rebuild that follows in the background (the backlog pass,
    then the upkeep)."""
    await scheduler.start()
    await asyncio.wait_for(scheduler.rebuilt.wait(), 30)


async def test_armed_for_the_next_fire_time_and_re_armed_after_each_pass(db):
    with time_machine.travel(at(2020, 10, 20, 10), tick=False) as clock:
        plan, notifier = planner(), Recorder()
        await sample_office(db, plan, at(2020, 10, 20, 10))
        scheduler = ReminderScheduler(dispatcher(db, plan, notifier), clock=_now)
        await started(scheduler)
        try:
            assert scheduler.running
            assert scheduler.next_run_time(NEXT) == at(2020, 10, 23)
            assert scheduler.next_run_time(UPKEEP) == at(2020, 10, 21, 0, 5)
            assert scheduler.next_run_time(SWEEP) == at(2020, 10, 20, 10, 1)

            clock.move_to(at(2020, 10, 23, 9))
            await scheduler.run_pending()
            assert notifier.items() == [ALL]
            assert scheduler.next_run_time(NEXT) == at(2020, 10, 26)  # the weekly digest

            for day in (24, 25):
                clock.move_to(at(2020, 10, day, 9))
                await scheduler.run_pending()
            assert len(notifier.delivered) == 1
        finally:
            await scheduler.stop()
        assert not scheduler.running


async def test_a_restart_after_missing_two_fire_times_sends_one_reminder_per_item(db):
    plan, notifier = planner(), Recorder()
    await sample_office(db, plan, at(2020, 10, 20, 10))
    # Down from before Friday 10-23 until Wednesday 10-28 noon: two fire times missed.
    with time_machine.travel(at(2020, 10, 28, 12), tick=False):
        scheduler = ReminderScheduler(dispatcher(db, plan, notifier), clock=_now)
        await started(scheduler)
        try:
            assert notifier.items() == [ALL], "the backlog goes out right after the start, once"
            await scheduler.run_pending()
            assert len(notifier.delivered) == 1
            assert scheduler.next_run_time(NEXT) == at(2020, 10, 30)
        finally:
            await scheduler.stop()
    async with db.session() as session:
        rows = list(
            await session.scalars(select(Reminder).where(Reminder.fire_at <= at(2020, 10, 28, 12)))
        )
    # The missed 10-23 rows were superseded by 10-28's, which went out; nothing else is left.
    assert {(local_day(r.fire_at), r.state) for r in rows} == {
        (date(2020, 10, 23), ReminderState.CANCELLED.value),
        (date(2020, 10, 28), ReminderState.SENT.value),
    }
    assert len(rows) == 20


async def test_the_daily_upkeep_rolls_the_overdue_window_and_plans_digests(db):
    plan, notifier = planner(), Recorder()
    await sample_office(db, plan, at(2020, 10, 20, 10))

    async def last_pending() -> date:
        async with db.session() as session:
            latest = await session.scalar(
                select(func.max(Reminder.fire_at)).where(
                    Reminder.state == ReminderState.PENDING.value
                )
            )
        return local_day(latest)

    before = await last_pending()
    with time_machine.travel(at(2020, 10, 20, 10), tick=False) as clock:
        scheduler = ReminderScheduler(dispatcher(db, plan, notifier), clock=_now)
        await started(scheduler)
        try:
            await scheduler.run_pending()  # the rebuild that follows every start
            async with db.session() as session:
                digests = list(
                    await session.scalars(
                        select(Digest).order_by(Digest.fire_at, Digest.kind.desc())
                    )
                )
            assert [(d.kind, local_day(d.fire_at)) for d in digests] == [
                ("weekly", date(2020, 10, 26)),
                ("weekly", date(2020, 11, 2)),
                ("month_post", date(2020, 11, 2)),
            ]
            clock.move_to(at(2020, 11, 20, 0, 6))
            await scheduler.run_pending()
        finally:
            await scheduler.stop()
    assert (await last_pending() - before).days >= 28


async def test_after_an_outage_longer_than_the_planned_window_each_item_is_reminded_once(db):
    plan, notifier = planner(), Recorder()
    await sample_office(db, plan, at(2020, 10, 20, 10))
    # Down for months: the outbox ran out of overdue rows on 12-18.
    with time_machine.travel(at(2021, 2, 1, 10), tick=False) as clock:
        scheduler = ReminderScheduler(dispatcher(db, plan, notifier), clock=_now)
        await started(scheduler)
        try:
            await scheduler.run_pending()  # the rebuild plans from today on
            clock.move_to(at(2021, 2, 1, 10, 5))
            await scheduler.run_pending()
            assert notifier.items() == [ALL], "one late reminder today, not a second one"
            assert scheduler.next_run_time(NEXT) == at(2021, 2, 2)
            clock.move_to(at(2021, 2, 2))
            await scheduler.run_pending()
        finally:
            await scheduler.stop()
    assert [c.as_of for c in notifier.delivered] == [date(2021, 2, 1), date(2021, 2, 2)]


async def test_the_daily_upkeep_forgets_questions_nobody_answered(db):
    plan, notifier = planner(), Recorder()
    preview = Where(-1001, PendingKind.IMPORT, "left-alone")
    async with db.session() as session:
        await put_question(
            session, preview, {"text": "…"}, 7, at(2020, 10, 20, 10), timedelta(hours=1)
        )
    with time_machine.travel(at(2020, 10, 21, 0, 6), tick=False):
        scheduler = ReminderScheduler(dispatcher(db, plan, notifier), clock=_now)
        await started(scheduler)
        try:
            await scheduler.run_pending()  # the rebuild that follows every start
        finally:
            await scheduler.stop()
    async with db.session() as session:
        # Looked up as of the day it was asked: gone from the table, not merely expired.
        assert await get_question(session, preview, at(2020, 10, 20, 10, 30)) is None


class HeldRecorder(Recorder):
    """A notifier whose first delivery waits until the test lets it go: a slow backlog."""

    def __init__(self) -> None:
        super().__init__()
        self.release = asyncio.Event()

    async def deliver(self, content, *, stopped, recording):
        await self.release.wait()
        return await super().deliver(content, stopped=stopped, recording=recording)


async def test_the_start_does_not_wait_for_the_backlog_or_the_rebuild(db):
    plan, notifier = planner(), HeldRecorder()
    await sample_office(db, plan, at(2020, 10, 20, 10))
    # Down over Friday 10-23's fire time: a backlog to send at the start.
    with time_machine.travel(at(2020, 10, 26, 12), tick=False):
        scheduler = ReminderScheduler(dispatcher(db, plan, notifier), clock=_now)
        try:
            # The bot polls as soon as this returns; the backlog is still on its way.
            await asyncio.wait_for(scheduler.start(), 10)
            assert scheduler.running and not scheduler.rebuilt.is_set()
            assert notifier.delivered == []
            notifier.release.set()
            await asyncio.wait_for(scheduler.rebuilt.wait(), 30)
            assert notifier.items() == [ALL], "what fell due while down still goes out, once"
        finally:
            notifier.release.set()
            await scheduler.stop()
