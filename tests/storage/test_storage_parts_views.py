"""The reads that show and count parts (issue 16 §1), on SQLite and PostgreSQL: /mine's items by
open part and its partner items, a department filter's partner-only items, and the month's
report with each link's part."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from plans.model import ParsedItem
from plans.summary import ReportPart, month_stats
from storage.departments import add_member, get_or_create_department
from storage.item_changes import Author
from storage.item_queries import FilterKind, ItemFilter, listing_of, my_items
from storage.parts import mark_part_done, report_part_progress
from storage.people import bind_person
from storage.plans import get_plan, save_parsed_plan
from storage.reports import month_report
from tests.support.storage import NOW, october_plan_with

CLERK = Author(tg_user_id=None, name="张三")
TODAY = date(2024, 10, 20)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _plan():
    return october_plan_with(
        items=[
            ParsedItem(
                seq=1,
                title="召开主席办公会",
                leaders=["张三"],
                departments=["办公室", "宣教部"],
                partners=["组织部"],
                deadline=date(2024, 10, 31),
            ),
            ParsedItem(
                seq=2,
                title="开展职工书屋建设",
                leaders=["李四"],
                departments=["宣教部"],
                partners=["办公室"],
                deadline=date(2024, 10, 15),
            ),
        ]
    )


async def _office(db_session, chat):
    """The plan, and 小王 (22) in 办公室, 小李 (33) in 宣教部, 小赵 (44) in 组织部, 张三 (11)."""
    result = await save_parsed_plan(db_session, chat.id, _plan(), "x")
    departments = {}
    for user, name, department in (
        (22, "小王", "办公室"),
        (33, "小李", "宣教部"),
        (44, "小赵", "组织部"),
    ):
        person = await bind_person(db_session, chat.id, name, user)
        row = await get_or_create_department(db_session, chat.id, department)
        await add_member(db_session, row.id, person.id)
        departments[department] = row.id
    await bind_person(db_session, chat.id, "张三", 11)
    await db_session.commit()
    return result.added, departments


async def _mine(db_session, chat, user: int) -> tuple[list[int], list[int]]:
    mine = await my_items(db_session, user, [chat.id])
    return [i.seq for i in mine.items], [i.seq for i in mine.partnered]


async def test_mine_is_the_items_whose_part_is_open_and_partner_items_apart(db_session, chat):
    (first, second), departments = await _office(db_session, chat)
    assert await _mine(db_session, chat, 22) == ([1], [2])
    assert await _mine(db_session, chat, 33) == ([2, 1], []), "nearest deadline first"
    assert await _mine(db_session, chat, 44) == ([], [1])

    # 办公室's part of item 1 done: nothing left for 小王 but the partner item; the item, still
    # open (宣教部's part is not), stays its leader's.
    await mark_part_done(db_session, first, departments["办公室"], CLERK, NOW)
    await db_session.commit()
    assert await _mine(db_session, chat, 22) == ([], [2])
    assert await _mine(db_session, chat, 11) == ([1], [])

    # A part awaiting review owes nothing either.
    await mark_part_done(db_session, second, departments["宣教部"], CLERK, NOW, review=True)
    await db_session.commit()
    assert await _mine(db_session, chat, 33) == ([1], [])


async def test_a_department_filter_tells_partner_only_items(db_session, chat):
    await _office(db_session, chat)
    plan = await get_plan(db_session, chat.id, 2024, 10)
    assert plan is not None
    for name, kept, partnered in (
        ("办公室", [1, 2], [2]),
        ("组织部", [1], [1]),
        ("宣教部", [1, 2], []),
    ):
        listing = await listing_of(db_session, plan, ItemFilter(FilterKind.NAME, name), TODAY)
        assert [i.seq for i in listing.items] == kept, name
        assert sorted(i.seq for i in listing.items if i.id in listing.partnered) == partnered


async def test_the_report_carries_each_part_and_stats_count_them(db_session, chat):
    (first, _), departments = await _office(db_session, chat)
    await mark_part_done(db_session, first, departments["办公室"], CLERK, NOW)
    await report_part_progress(db_session, first, departments["宣教部"], CLERK, 40, NOW)
    await db_session.commit()
    plan = await get_plan(db_session, chat.id, 2024, 10)
    assert plan is not None
    report = await month_report(db_session, chat, plan, SHANGHAI)
    item = report.items[0]
    assert (item.departments, item.partners) == (("办公室", "宣教部"), ("组织部",))
    assert item.parts == (
        ReportPart("办公室", True, "done", 100, date(2024, 10, 20)),
        ReportPart("宣教部", True, "open", 40, None),
        ReportPart("组织部", False, "open", 0, None),
    )
    stats = {g.name: (g.done, g.total, g.due) for g in month_stats(report, TODAY).departments}
    # 办公室: its part of item 1 done, item 2 only a partner's; 宣教部: item 2 overdue, item 1
    # at 40%; 组织部 only a partner: not counted at all.
    assert stats == {"办公室": (1, 1, 1), "宣教部": (0, 2, 1)}
