"""The monthly 通报's read (storage.bulletin): a plan's items with their lead parts only, as
office-local days, counted by plans.bulletin; which month's plan a bulletin is about."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from storage.bulletin import bulletin_plan, bulletin_rows, month_plans, plan_bulletin
from storage.departments import get_or_create_department
from storage.item_changes import Author
from storage.models import Plan
from storage.parts import mark_part_done
from storage.plans import save_parsed_plan
from tests.support.storage import october_plan_with

SH = ZoneInfo("Asia/Shanghai")
ZHANG = Author(tg_user_id=501, name="张三")
# 10-15 23:30 in UTC is already the 16th in the office.
LATE_EVENING = datetime(2024, 10, 15, 16, 30, tzinfo=UTC)


async def test_rows_hold_lead_parts_in_local_days_and_an_item_without_leads_once(db_session, chat):
    result = await save_parsed_plan(db_session, chat.id, october_plan_with(), "x")
    plan_id = result.plan.id
    first, second, third = result.added
    office = await get_or_create_department(db_session, chat.id, "办公室")
    publicity = await get_or_create_department(db_session, chat.id, "宣教部")
    await mark_part_done(db_session, second, publicity.id, ZHANG, LATE_EVENING)
    await db_session.commit()

    rows = await bulletin_rows(db_session, plan_id, SH)
    # Item 2's partners (办公室, 组织部) are informed, not counted.
    assert [(r.seq, r.department, r.part_done, r.part_done_on) for r in rows] == [
        (1, "办公室", False, None),
        (2, "宣教部", True, date(2024, 10, 16)),
        (3, "保障部", False, None),
    ]
    assert rows[1].item_done and rows[1].item_done_on == date(2024, 10, 16)

    # Item 2 was due on 10-15: its only lead part, done on the 16th, is late.
    bulletin = await plan_bulletin(db_session, result.plan, SH, date(2024, 10, 20))
    by_name = {g.name: (g.total, g.done, g.on_time) for g in bulletin.departments}
    assert by_name == {"办公室": (1, 0, 0), "宣教部": (1, 1, 0), "保障部": (1, 0, 0)}
    assert (bulletin.overall.total, bulletin.overall.done, bulletin.overall.on_time) == (3, 1, 0)
    assert office.id is not None and first and third


async def test_an_item_with_only_a_partner_comes_once_without_a_department(db_session, chat):
    plan = october_plan_with()
    partner_only = replace(plan.items[0], departments=[], partners=["组织部"])
    plan = replace(plan, items=[partner_only, *plan.items[1:]])
    result = await save_parsed_plan(db_session, chat.id, plan, "x")
    await db_session.commit()
    rows = await bulletin_rows(db_session, result.plan.id, SH)
    assert [(r.seq, r.department) for r in rows if r.seq == 1] == [(1, None)]


async def test_the_month_a_bulletin_is_about(db_session, chat):
    await save_parsed_plan(db_session, chat.id, october_plan_with(), "x")
    await save_parsed_plan(db_session, chat.id, october_plan_with(month=9, title="九月"), "x")
    db_session.add(Plan(chat_id=chat.id, year=2024, month=0, title="2024年重点工作"))
    await db_session.commit()
    today = date(2024, 11, 5)
    # None named and no plan this month: the latest month's, not the year's.
    latest = await bulletin_plan(db_session, chat.id, None, today)
    assert (latest.year, latest.month) == (2024, 10)
    named = await bulletin_plan(db_session, chat.id, (None, 9), today)
    assert (named.year, named.month) == (2024, 9)
    assert await bulletin_plan(db_session, chat.id, (2024, 8), today) is None
    assert await month_plans(db_session, chat.id) == [(2024, 10), (2024, 9)]
