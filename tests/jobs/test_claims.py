"""Claims: each reminder to one dispatcher once, a dead one's claim expires, back-off waits."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select

from jobs.claims import Retry, backoff, claim_due, next_fire_at, release
from storage.db import Database
from storage.models import Reminder, ReminderState
from tests.support.dispatch import Recorder, at, dispatcher, planner, sample_office


async def _count(db, state: str) -> int:
    async with db.session() as session:
        return await session.scalar(
            select(func.count()).select_from(Reminder).where(Reminder.state == state)
        )


async def test_a_claim_takes_the_newest_due_row_per_item_and_cancels_the_older(db):
    await sample_office(db, planner(), at(2020, 10, 20, 10))
    async with db.session() as session:
        claim = await claim_due(session, at(2020, 10, 28, 9))
    assert len(claim.reminders) == 10 and claim.superseded == 10
    assert {c.fire_at for c in claim.reminders} == {at(2020, 10, 28)}
    assert await _count(db, ReminderState.CLAIMED.value) == 10
    assert await _count(db, ReminderState.CANCELLED.value) == 10
    async with db.session() as session:
        again = await claim_due(session, at(2020, 10, 28, 9, 5))
    assert not again


async def test_a_dead_dispatchers_claim_expires_after_the_lease(db):
    await sample_office(db, planner(), at(2020, 10, 20, 10))
    lease = timedelta(minutes=30)
    async with db.session() as session:
        first = await claim_due(session, at(2020, 10, 23), lease=lease)
    # The instance that claimed them dies without sending: nobody may take them yet…
    async with db.session() as session:
        assert not await claim_due(session, at(2020, 10, 23, 9, 29), lease=lease)
    # …and once the lease is over, another instance does.
    async with db.session() as session:
        second = await claim_due(session, at(2020, 10, 23, 9, 31), lease=lease)
    assert {c.id for c in second.reminders} == {c.id for c in first.reminders}


async def test_a_dry_claim_writes_nothing(db):
    await sample_office(db, planner(), at(2020, 10, 20, 10))
    async with db.session() as session:
        claim = await claim_due(session, at(2020, 10, 28), lock=False)
    assert len(claim.reminders) == 10
    assert await _count(db, ReminderState.CLAIMED.value) == 0
    assert await _count(db, ReminderState.CANCELLED.value) == 0


async def test_release_backs_off_then_fails_after_max_attempts(db):
    await sample_office(db, planner(), at(2020, 10, 20, 10))
    now = at(2020, 10, 23)
    async with db.session() as session:
        claim = await claim_due(session, now)
        rows = {c.id: c.attempts for c in claim.reminders}
        failed = await release(
            session, Reminder, rows, Retry("5xx"), now=now, max_attempts=2, base=30, cap=600
        )
    assert failed == []
    async with db.session() as session:
        waiting = list(await session.scalars(select(Reminder).where(Reminder.id.in_(rows))))
    assert {(r.state, r.attempts, r.claimed_until) for r in waiting} == {
        (ReminderState.PENDING.value, 1, now + timedelta(seconds=30))
    }
    async with db.session() as session:
        failed = await release(
            session,
            Reminder,
            dict.fromkeys(rows, 1),
            Retry("5xx"),
            now=now,
            max_attempts=2,
            base=30,
            cap=600,
        )
    assert sorted(failed) == sorted(rows)


def test_backoff_doubles_up_to_the_cap():
    assert [backoff(n, 30, 200).total_seconds() for n in (1, 2, 3, 4, 5)] == [
        30,
        60,
        120,
        200,
        200,
    ]


async def test_the_next_fire_time_is_the_earliest_pending_one_after_now(db):
    await sample_office(db, planner(), at(2020, 10, 20, 10))
    async with db.session() as session:
        assert await next_fire_at(session, at(2020, 10, 20, 10)) == at(2020, 10, 23)
        assert await next_fire_at(session, at(2020, 10, 23)) == at(2020, 10, 28)


async def test_two_dispatchers_on_one_database_send_each_reminder_exactly_once(db):
    """Two processes (two engines) dispatching at the same moment, many times over."""
    plan = planner()
    for chat in range(8):
        await sample_office(db, plan, at(2020, 10, 20, 10), tg_chat_id=-5000 - chat)
    other = Database.from_url(db.url)
    try:
        first, second = Recorder(), Recorder(next_id=10_000)
        one, two = dispatcher(db, plan, first), dispatcher(other, plan, second)
        for moment in (at(2020, 10, 23), at(2020, 10, 28), at(2020, 10, 30), at(2020, 11, 2)):
            await asyncio.gather(one.dispatch(moment), two.dispatch(moment))
    finally:
        await other.close()
    sent = Counter(
        (c.tg_chat_id, c.as_of, e.item_id)
        for c in [*first.delivered, *second.delivered]
        for s in c.sections
        for e in s.entries
    )
    assert len(sent) == 8 * 10 * 4
    assert set(sent.values()) == {1}
    assert await _count(db, ReminderState.SENT.value) == 8 * 10 * 4
