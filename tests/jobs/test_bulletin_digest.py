"""The month-end bulletin in the digest outbox: its day (the month's last working day, by the
调休 calendar), its time, and a row only for chats that switched it on."""

from __future__ import annotations

import asyncio
from datetime import date

from sqlalchemy import select

from jobs.calendar import WorkCalendar
from jobs.digest import bulletin_day
from jobs.digests import next_bulletin, plan_digests, wanted_digests
from jobs.outbox import SETTINGS_KEY
from jobs.policy import ReminderPolicy
from storage.chats import get_or_create_chat
from storage.models import Digest
from tests.support.dispatch import (
    GROUP,
    Recorder,
    at,
    dispatcher,
    local_day,
    planner,
    sample_office,
)

CN = WorkCalendar("CN")


def test_the_bulletin_day_is_the_months_last_working_day_by_the_holiday_calendar():
    # Saturday 10-31 is a day off: Friday.
    assert bulletin_day(2020, 10, CN) == date(2020, 10, 30)
    # National Day from 9-29: the Thursday before.
    assert bulletin_day(2023, 9, CN) == date(2023, 9, 28)
    # Sunday 2018-09-30 was a make-up working day (调休).
    assert bulletin_day(2018, 9, CN) == date(2018, 9, 30)
    # The Spring Festival from 1-28.
    assert bulletin_day(2025, 1, CN) == date(2025, 1, 27)


def test_only_a_policy_with_the_bulletin_on_wants_one_at_the_digests_time():
    plan = planner()
    quiet = ReminderPolicy(digest="off", month_post=False)
    assert wanted_digests(quiet, plan, at(2020, 10, 20, 10), 14) == set()
    on = ReminderPolicy(digest="fri 17:30", month_post=False, bulletin=True)
    wanted = wanted_digests(on, plan, at(2020, 10, 20, 10), 14)
    assert ("bulletin", at(2020, 10, 30, 17, 30)) in wanted
    # No weekly digest: at the reminders' time.
    alone = ReminderPolicy(digest="off", month_post=False, bulletin=True)
    assert wanted_digests(alone, plan, at(2020, 10, 20, 10), 14) == {
        ("bulletin", at(2020, 10, 30, 9))
    }
    # Past this month's: next month's, which lies beyond the two weeks planned ahead.
    assert wanted_digests(alone, plan, at(2020, 10, 30, 10), 14) == set()
    assert next_bulletin(alone, plan, at(2020, 10, 30, 10)) == at(2020, 11, 30, 9)
    assert next_bulletin(quiet, plan, at(2020, 10, 30, 10)) is None


async def test_switching_it_on_plans_one_row_and_off_drops_it(db):
    plan = planner()
    await sample_office(db, plan, at(2020, 10, 20, 10))
    async with db.session() as session:
        chat = await get_or_create_chat(session, GROUP)
        chat.settings = {SETTINGS_KEY: {"bulletin": True, "digest": "off", "month_post": False}}
        await session.flush()
        await plan_digests(session, plan, now=at(2020, 10, 20, 10))
        rows = list(await session.scalars(select(Digest)))
        assert [(r.kind, local_day(r.fire_at)) for r in rows] == [("bulletin", date(2020, 10, 30))]
        chat.settings = {SETTINGS_KEY: {"bulletin": False, "digest": "off", "month_post": False}}
        await session.flush()
        await plan_digests(session, plan, now=at(2020, 10, 20, 10))
        assert list(await session.scalars(select(Digest))) == []


async def test_two_instances_due_at_once_send_the_bulletin_once(db):
    plan = planner(digest="off", month_post=False, bulletin=True, enabled=False)
    await sample_office(db, plan, at(2020, 10, 20, 10))
    async with db.session() as session:
        await plan_digests(session, plan, now=at(2020, 10, 20, 10))
    first, second = Recorder(), Recorder()
    await asyncio.gather(
        dispatcher(db, plan, first).dispatch(at(2020, 10, 30, 9)),
        dispatcher(db, plan, second).dispatch(at(2020, 10, 30, 9)),
    )
    (content,) = first.delivered + second.delivered
    assert content.bulletin is not None and content.sections == ()
    assert (content.bulletin.year, content.bulletin.month) == (2020, 10)
    assert content.bulletin.overall.total == 10 and len(content.bulletin.departments) == 7
    async with db.session() as session:
        states = list(await session.scalars(select(Digest.state)))
    assert states == ["sent"]
    # Later passes find nothing more to send.
    await dispatcher(db, plan, first).dispatch(at(2020, 10, 30, 10))
    assert len(first.delivered + second.delivered) == 1


async def test_a_month_without_a_plan_cancels_its_bulletin_without_a_word(db):
    plan = planner(digest="off", month_post=False, bulletin=True, enabled=False)
    await sample_office(db, plan, at(2020, 10, 20, 10))
    async with db.session() as session:
        await plan_digests(session, plan, now=at(2020, 11, 20, 10))
    recorder = Recorder()
    await dispatcher(db, plan, recorder).dispatch(at(2020, 11, 30, 9))
    assert recorder.delivered == []
    async with db.session() as session:
        states = list(await session.scalars(select(Digest.state)))
    assert states == ["cancelled"]
