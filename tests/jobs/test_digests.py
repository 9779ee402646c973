"""Planning the digest outbox: the weekly overview and the month post, from each chat's policy."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from jobs.digests import plan_digests, wanted_digests
from jobs.outbox import SETTINGS_KEY
from jobs.policy import ReminderPolicy
from storage.chats import get_or_create_chat
from storage.models import Digest, ReminderState
from tests.support.dispatch import GROUP, at, local_day, planner, sample_office


def _days(wanted) -> list[tuple[str, date]]:
    return sorted((kind, local_day(when)) for kind, when in wanted)


def test_weekly_and_month_post_over_two_weeks_only_in_the_future():
    plan = planner()
    wanted = wanted_digests(ReminderPolicy(), plan, at(2020, 10, 26, 10), 14)
    # Monday 10-26's digest at 09:00 is already past at 10:00; November's first working day
    # is Monday 11-02 (the 1st is a Sunday).
    assert _days(wanted) == [
        ("month_post", date(2020, 11, 2)),
        ("weekly", date(2020, 11, 2)),
        ("weekly", date(2020, 11, 9)),
    ]
    quiet = ReminderPolicy(digest="off", month_post=False)
    assert wanted_digests(quiet, plan, at(2020, 10, 26, 10), 14) == set()


async def test_rows_follow_the_chats_policy_and_only_chats_with_plans_get_them(db):
    plan = planner()
    async with db.session() as session:
        await get_or_create_chat(session, -777, "no plan here")
    await sample_office(db, plan, at(2020, 10, 20, 10))
    async with db.session() as session:
        added = await plan_digests(session, plan, now=at(2020, 10, 20, 10))
        assert await plan_digests(session, plan, now=at(2020, 10, 20, 10)) == 0
    assert added == 3

    async with db.session() as session:
        chat = await get_or_create_chat(session, GROUP)
        chat.settings = {SETTINGS_KEY: {"digest": "fri 17:30", "month_post": False}}
        await session.flush()
        await plan_digests(session, plan, now=at(2020, 10, 20, 10))
        rows = list(await session.scalars(select(Digest).order_by(Digest.fire_at)))
    assert [(r.kind, r.fire_at) for r in rows] == [
        ("weekly", at(2020, 10, 23, 17, 30)),
        ("weekly", at(2020, 10, 30, 17, 30)),
    ]
    assert {r.state for r in rows} == {ReminderState.PENDING.value}
