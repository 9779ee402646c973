"""Each lead department's part of an item (storage.parts): the item is done only when every lead
part is, assist departments are never waited for, and a part change can be taken back."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from sqlmodel import col

from storage.departments import get_or_create_department
from storage.item_changes import Author, Outcome, undo_last
from storage.item_queries import load_item
from storage.models import DepartmentRole, Item, ItemDepartment, ItemEvent, ItemEventKind
from storage.part_states import awaiting_review
from storage.parts import (
    approve_part,
    awaiting_review_clause,
    close_item,
    item_parts,
    mark_part_done,
    reopen_part,
    report_part_progress,
    return_part,
)
from storage.plans import save_parsed_plan
from tests.support.storage import NOW, october_plan_with

ZHANG = Author(tg_user_id=501, name="张三")


async def _book_corner(db_session, chat):
    """Item 2 「开展职工书屋建设」 led by 宣教部 and 办公室, with 组织部 assisting."""
    result = await save_parsed_plan(db_session, chat.id, october_plan_with(), "x")
    item_id = result.added[1]
    ids = {
        name: (await get_or_create_department(db_session, chat.id, name)).id
        for name in ("宣教部", "办公室", "组织部")
    }
    await db_session.execute(
        update(ItemDepartment)
        .where(col(ItemDepartment.item_id) == item_id)
        .values(role=DepartmentRole.ASSIST.value)
    )
    await db_session.execute(
        update(ItemDepartment)
        .where(
            col(ItemDepartment.item_id) == item_id,
            col(ItemDepartment.department_id).in_([ids["宣教部"], ids["办公室"]]),
        )
        .values(role=DepartmentRole.LEAD.value)
    )
    await db_session.commit()
    return item_id, ids


async def _item(db_session, item_id) -> Item:
    item = await db_session.scalar(
        select(Item).where(col(Item.id) == item_id).execution_options(populate_existing=True)
    )
    assert item is not None
    return item


async def test_item_done_only_when_every_lead_part_is_and_assists_never_count(db_session, chat):
    item_id, ids = await _book_corner(db_session, chat)

    first = await mark_part_done(db_session, item_id, ids["宣教部"], ZHANG, NOW, "书屋已挂牌")
    assert first.applied and not first.item_status_changed
    await db_session.commit()
    item = await _item(db_session, item_id)
    assert (item.status, item.progress, item.done_at) == ("open", 50, None)
    found = await item_parts(db_session, item_id)
    parts = {p.name: (p.status, p.progress, p.required) for p in found}
    assert parts == {
        "宣教部": ("done", 100, True),
        "办公室": ("open", 0, True),
        "组织部": ("open", 0, False),
    }

    # An assist department has no part to mark, and marking a done part again changes nothing.
    assert (await mark_part_done(db_session, item_id, ids["组织部"], ZHANG, NOW)).outcome is (
        Outcome.NOT_A_PART
    )
    assert (await mark_part_done(db_session, item_id, ids["宣教部"], ZHANG, NOW)).outcome is (
        Outcome.UNCHANGED
    )

    later = NOW + timedelta(hours=3)
    assert (await report_part_progress(db_session, item_id, ids["办公室"], ZHANG, 60, NOW)).applied
    assert (await _item(db_session, item_id)).progress == 80
    last = await mark_part_done(db_session, item_id, ids["办公室"], ZHANG, later)
    assert last.applied and last.item_status_changed
    await db_session.commit()
    item = await _item(db_session, item_id)
    assert (item.status, item.progress, item.done_at) == ("done", 100, later)
    events = list(
        await db_session.scalars(
            select(ItemEvent).where(col(ItemEvent.item_id) == item_id).order_by(col(ItemEvent.id))
        )
    )
    assert [e.kind for e in events] == ["done", "progress", "done"]
    assert events[-1].data["department_id"] == ids["办公室"]
    assert events[-1].data["parts"][str(ids["办公室"])]["before"]["progress"] == 60

    # Reopening one part reopens the item, the other part stays done.
    again = await reopen_part(db_session, item_id, ids["宣教部"], ZHANG, later, progress=90)
    assert again.applied and again.item_status_changed
    item = await _item(db_session, item_id)
    assert (item.status, item.progress, item.done_at) == ("open", 95, None)


async def test_closing_the_whole_item_marks_every_lead_part_and_undo_restores(db_session, chat):
    item_id, ids = await _book_corner(db_session, chat)
    await mark_part_done(db_session, item_id, ids["宣教部"], ZHANG, NOW)
    await db_session.commit()

    closed = await close_item(db_session, item_id, ZHANG, NOW + timedelta(minutes=1), "领导办结")
    assert closed.applied and closed.item_status_changed and closed.event is not None
    assert set(closed.event.data["parts"]) == {str(ids["办公室"])}, "only the open part changed"
    await db_session.commit()
    parts = {p.name: p.status for p in await item_parts(db_session, item_id)}
    assert parts == {"宣教部": "done", "办公室": "done", "组织部": "open"}

    undone = await undo_last(db_session, chat.id, ZHANG, NOW + timedelta(minutes=2))
    assert undone.undone is not None and undone.undone.id == closed.event.id
    assert undone.item is not None and undone.item.status == "open"
    await db_session.commit()
    item = await _item(db_session, item_id)
    assert (item.status, item.progress) == ("open", 50)
    parts = {p.name: (p.status, p.progress) for p in await item_parts(db_session, item_id)}
    assert parts == {"宣教部": ("done", 100), "办公室": ("open", 0), "组织部": ("open", 0)}
    kinds = await db_session.scalars(
        select(ItemEvent.kind).where(col(ItemEvent.item_id) == item_id).order_by(col(ItemEvent.id))
    )
    assert list(kinds) == ["done", "done", "undo"]


async def test_undo_last_takes_back_a_part(db_session, chat):
    """/undo puts the item back from the row's "before" and the parts with restore_parts."""
    item_id, ids = await _book_corner(db_session, chat)
    await mark_part_done(db_session, item_id, ids["宣教部"], ZHANG, NOW)
    change = await mark_part_done(db_session, item_id, ids["办公室"], ZHANG, NOW)
    await db_session.commit()
    assert change.event is not None and change.item_status_changed

    result = await undo_last(db_session, chat.id, ZHANG, NOW + timedelta(minutes=1))
    assert result.undone is not None and result.undone.id == change.event.id
    await db_session.commit()
    assert (await _item(db_session, item_id)).status == "open"
    parts = {p.name: p.status for p in await item_parts(db_session, item_id)}
    assert parts == {"宣教部": "done", "办公室": "open", "组织部": "open"}
    undo = await db_session.scalar(
        select(ItemEvent).where(col(ItemEvent.kind) == "undo").order_by(col(ItemEvent.id).desc())
    )
    assert undo.data["department_id"] == ids["办公室"]
    assert undo.data["parts"][str(ids["办公室"])]["after"]["status"] == "open"


async def test_an_item_without_lead_departments_keeps_its_single_state(db_session, chat):
    result = await save_parsed_plan(db_session, chat.id, october_plan_with(), "x")
    item_id = result.added[0]
    await db_session.execute(
        update(ItemDepartment)
        .where(col(ItemDepartment.item_id) == item_id)
        .values(role=DepartmentRole.ASSIST.value)
    )
    await db_session.commit()
    assert [p.required for p in await item_parts(db_session, item_id)] == [False]

    closed = await close_item(db_session, item_id, ZHANG, NOW)
    assert closed.applied and closed.item_status_changed
    assert closed.event is not None and closed.event.kind == ItemEventKind.DONE.value
    await db_session.commit()
    item = await _item(db_session, item_id)
    assert (item.status, item.progress, item.done_at) == ("done", 100, NOW)
    assert (await close_item(db_session, item_id, ZHANG, NOW)).outcome is Outcome.UNCHANGED
    assert [p.status for p in await item_parts(db_session, item_id)] == ["open"]


async def test_a_claim_awaits_review_until_approved_or_returned(db_session, chat):
    """Issue 16 §3: a claimed part is not done; approval makes it done at the approval (the item
    done on that day once every part is); a return opens it at its last progress below 100."""
    item_id, ids = await _book_corner(db_session, chat)
    await report_part_progress(db_session, item_id, ids["办公室"], ZHANG, 70, NOW)
    claim = await mark_part_done(db_session, item_id, ids["办公室"], ZHANG, NOW, review=True)
    assert claim.applied and claim.event.data["review"] == "claimed"
    await mark_part_done(db_session, item_id, ids["宣教部"], ZHANG, NOW, review=True)
    await db_session.commit()
    item = await load_item(db_session, item_id)
    assert (item.status, item.done_at) == ("open", None) and awaiting_review(item)
    in_review = select(Item.id).where(Item.id == item_id, awaiting_review_clause())
    assert (await db_session.scalars(in_review)).all() == [item_id]

    approved_at = NOW + timedelta(days=2)
    approved = await approve_part(db_session, item_id, ids["宣教部"], ZHANG, approved_at)
    assert approved.applied and approved.event.data["review"] == "approved"
    assert (
        await approve_part(db_session, item_id, ids["宣教部"], ZHANG, approved_at)
    ).outcome is Outcome.UNCHANGED, "approved already"
    returned = await return_part(db_session, item_id, ids["办公室"], ZHANG, "材料不全", NOW)
    assert returned.applied and returned.event.text == "材料不全"
    await db_session.commit()
    parts = {p.name: (p.status, p.progress) for p in await item_parts(db_session, item_id)}
    assert parts == {"宣教部": ("done", 100), "办公室": ("open", 70), "组织部": ("open", 0)}
    item = await load_item(db_session, item_id)
    assert not awaiting_review(item)
    assert (await db_session.scalars(in_review)).all() == []

    await mark_part_done(db_session, item_id, ids["办公室"], ZHANG, NOW, review=True)
    last = await approve_part(db_session, item_id, ids["办公室"], ZHANG, approved_at)
    assert last.item_status_changed
    await db_session.commit()
    item = await _item(db_session, item_id)
    assert (item.status, item.done_at) == ("done", approved_at)


async def test_a_member_of_two_lead_departments_marks_both_in_one_row(db_session, chat):
    item_id, ids = await _book_corner(db_session, chat)
    both = [ids["宣教部"], ids["办公室"]]
    change = await mark_part_done(db_session, item_id, both, ZHANG, NOW)
    assert change.applied and change.item_status_changed
    assert change.event.data["department_ids"] == both
    assert set(change.event.data["parts"]) == {str(i) for i in both}
    result = await undo_last(db_session, chat.id, ZHANG, NOW + timedelta(minutes=1))
    assert result.item is not None and result.item.status == "open"
    await db_session.commit()
    assert {p.status for p in await item_parts(db_session, item_id)} == {"open"}
