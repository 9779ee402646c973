"""Item changes from the chat: history rows, undo, items by hand, queries; and reminders in
step once the operations layer follows a change (bot.operations.reports.follow_state)."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from bot.operations.reports import follow_state
from storage.departments import add_member, get_or_create_department
from storage.item_changes import (
    Author,
    EditField,
    NewItem,
    Outcome,
    UndoOutcome,
    add_item,
    delete_item,
    edit_item,
    mark_done,
    reopen,
    report_progress,
    undo_last,
)
from storage.item_queries import (
    FilterKind,
    item_history,
    latest_year_of_month,
    load_item,
    matches,
    open_items_of_user,
    read_filter,
    reported_item_ids,
)
from storage.models import Item, ItemEvent, Reminder, ReminderState
from storage.people import bind_person
from tests.support.storage import NOW

TODAY = date(2024, 10, 20)  # NOW in the office, a Sunday

ALICE = Author(11, "张三")
BOB = Author(22, "李四")


async def _pending(session, item_id) -> int:
    return await session.scalar(
        select(func.count()).where(
            Reminder.item_id == item_id, Reminder.state == ReminderState.PENDING.value
        )
    )


async def test_done_records_once_and_cancels_reminders(db_session, items, planner):
    first = items[0]
    assert await _pending(db_session, first) > 0
    change = await mark_done(db_session, first, ALICE, "材料已报送", NOW)
    assert change.applied and change.item.status == "done" and change.item.progress == 100
    assert change.item.done_at == NOW
    await follow_state(db_session, planner, change.item, NOW)
    assert await _pending(db_session, first) == 0
    again = await mark_done(db_session, first, BOB, "", NOW)
    assert again.outcome is Outcome.UNCHANGED
    history = await item_history(db_session, first)
    assert [(u.kind, u.text, u.author_name) for u in history] == [("done", "材料已报送", "张三")]
    assert history[0].data["before"] == {"status": "open", "progress": 0, "done_at": None}


async def test_progress_and_notes(db_session, items, planner):
    change = await report_progress(db_session, items[1], ALICE, 60, "初稿", NOW)
    assert change.applied and change.item.progress == 60
    note = await report_progress(db_session, items[1], ALICE, None, "等待审批", NOW)
    assert note.event.kind == "note" and note.item.progress == 60
    with pytest.raises(ValueError):
        await report_progress(db_session, items[1], ALICE, 150, "", NOW)
    await mark_done(db_session, items[1], ALICE, "", NOW)
    refused = await report_progress(db_session, items[1], ALICE, 30, "", NOW)
    assert refused.outcome is Outcome.UNCHANGED and refused.item.progress == 100
    assert await reported_item_ids(db_session, items) == {items[1]}


async def test_reopen_goes_back_to_the_progress_before_done_and_replans(db_session, items, planner):
    assert (await reopen(db_session, items[0], ALICE, NOW)).outcome is Outcome.UNCHANGED
    await report_progress(db_session, items[0], ALICE, 40, "", NOW)
    await mark_done(db_session, items[0], ALICE, "", NOW)
    change = await reopen(db_session, items[0], ALICE, NOW)
    assert change.applied and change.item.status == "open" and change.item.progress == 40
    assert change.item.done_at is None
    assert change.event.data["before"]["progress"] == 100
    assert change.event.data["after"]["progress"] == 40
    await follow_state(db_session, planner, change.item, NOW)
    assert await _pending(db_session, items[0]) > 0


async def test_undo_takes_back_the_senders_changes_newest_first(db_session, chat, items, planner):
    await report_progress(db_session, items[0], ALICE, 40, "", NOW)
    await mark_done(db_session, items[0], ALICE, "", NOW + timedelta(minutes=1))
    later = NOW + timedelta(minutes=2)
    undo = await undo_last(db_session, chat.id, ALICE, later)
    assert undo.outcome is UndoOutcome.UNDONE and undo.undone.kind == "done"
    assert (undo.item.status, undo.item.progress, undo.item.done_at) == ("open", 40, None)
    await follow_state(db_session, planner, undo.item, later)
    assert await _pending(db_session, items[0]) > 0, "reminders come back"
    undo = await undo_last(db_session, chat.id, ALICE, later)
    assert undo.undone.kind == "progress" and undo.item.progress == 0
    assert (await undo_last(db_session, chat.id, ALICE, later)).outcome is (UndoOutcome.NOTHING)
    kinds = [u.kind for u in await item_history(db_session, items[0])]
    assert kinds == ["progress", "done", "undo", "undo"]


async def test_undo_only_within_ten_minutes_and_only_ones_own(db_session, chat, items, planner):
    await mark_done(db_session, items[0], ALICE, "", NOW)
    assert (await undo_last(db_session, chat.id, BOB, NOW)).outcome is (UndoOutcome.NOTHING)
    late = NOW + timedelta(minutes=11)
    assert (await undo_last(db_session, chat.id, ALICE, late)).outcome is (UndoOutcome.NOTHING)


async def test_undo_refuses_to_overwrite_someone_elses_later_change(
    db_session, chat, items, planner
):
    await report_progress(db_session, items[0], ALICE, 40, "", NOW)
    await report_progress(db_session, items[0], BOB, 70, "", NOW + timedelta(seconds=5))
    undo = await undo_last(db_session, chat.id, ALICE, NOW + timedelta(minutes=1))
    assert undo.outcome is UndoOutcome.CONFLICT and undo.later.author_name == "李四"
    assert (await load_item(db_session, items[0])).progress == 70


async def test_edit_each_field_and_undo_an_edit(db_session, chat, items, planner):
    item_id = items[0]
    change = await edit_item(
        db_session, item_id, EditField.LEADERS, "王五、张三", ALICE, NOW, today=TODAY
    )
    assert [p.name for p in change.item.leaders] == ["王五", "张三"]
    change = await edit_item(
        db_session, item_id, EditField.DEPARTMENTS, "组织部，办公室", ALICE, NOW, today=TODAY
    )
    assert [d.name for d in change.item.departments] == ["组织部", "办公室"]
    # Every department named is responsible, as under an import's 责任部室 label.
    assert [link.role for link in change.item.department_links] == ["lead", "lead"]
    change = await edit_item(
        db_session, item_id, EditField.DEADLINE, "11月15日前", ALICE, NOW, today=TODAY
    )
    assert change.item.deadline == date(2024, 11, 15) and change.item.deadline_text == "11月15日前"
    assert change.event.data["before"]["deadline"] == "2024-10-31"
    bad = await edit_item(db_session, item_id, EditField.DEADLINE, "下周", ALICE, NOW, today=TODAY)
    assert bad.outcome is Outcome.BAD_DEADLINE
    same = await edit_item(
        db_session, item_id, EditField.TITLE, "召开十月份主席办公会", ALICE, NOW, today=TODAY
    )
    assert same.outcome is Outcome.UNCHANGED
    await edit_item(db_session, item_id, EditField.CONTENT, "议题三项", ALICE, NOW, today=TODAY)

    undo = await undo_last(db_session, chat.id, ALICE, NOW)
    assert undo.item.content == ""
    undo = await undo_last(db_session, chat.id, ALICE, NOW)
    assert undo.item.deadline == date(2024, 10, 31) and undo.item.deadline_text == "十月份"
    await undo_last(db_session, chat.id, ALICE, NOW)
    undo = await undo_last(db_session, chat.id, ALICE, NOW)
    assert [p.name for p in undo.item.leaders] == ["张三"]
    assert [d.name for d in undo.item.departments] == ["办公室"]


async def test_edit_a_deadline_relative_to_today(db_session, items):
    item_id = items[0]
    # 下周五 is next week's Friday; stored as that date, since 下周五 means another day next week.
    change = await edit_item(
        db_session, item_id, EditField.DEADLINE, "下周五", ALICE, NOW, today=TODAY
    )
    assert (change.item.deadline, change.item.deadline_text) == (date(2024, 10, 25), "10月25日")
    # Words that mean the same date whatever the day are kept as typed.
    change = await edit_item(
        db_session, item_id, EditField.DEADLINE, "月底", ALICE, NOW, today=TODAY
    )
    assert (change.item.deadline, change.item.deadline_text) == (date(2024, 10, 31), "月底")
    change = await edit_item(
        db_session, item_id, EditField.DEADLINE, "元旦前", ALICE, NOW, today=TODAY
    )
    assert (change.item.deadline, change.item.deadline_text) == (date(2024, 12, 31), "12月31日")


async def test_add_to_the_current_plan_or_a_new_one(db_session, chat, items, planner):
    change = await add_item(
        db_session,
        chat.id,
        date(2024, 10, 20),
        NewItem("召开职代会", "高启秀", "办公室、组织部", "10月28日"),
        ALICE,
        NOW,
    )
    assert change.applied and change.item.seq == 4 and change.item.deadline == date(2024, 10, 28)
    assert [d.name for d in change.item.departments] == ["办公室", "组织部"]
    await follow_state(db_session, planner, change.item, NOW)
    assert await _pending(db_session, change.item.id) > 0
    bad = await add_item(
        db_session, chat.id, date(2024, 10, 20), NewItem("x", deadline="改天"), ALICE, NOW
    )
    assert bad.outcome is Outcome.BAD_DEADLINE

    other = await get_or_create_chat_row(db_session)
    fresh = await add_item(
        db_session,
        other,
        date(2024, 12, 2),
        NewItem("长期任务", deadline="长期"),
        ALICE,
        NOW,
    )
    assert fresh.item.seq == 1 and fresh.item.recurring
    assert (fresh.item.plan.year, fresh.item.plan.month) == (2024, 12)


async def get_or_create_chat_row(session) -> int:
    from storage.chats import get_or_create_chat

    row = await get_or_create_chat(session, -100999, "另一个群", "supergroup")
    await session.flush()
    return row.id


async def test_delete_takes_history_and_pending_reminders(db_session, items, planner):
    await mark_done(db_session, items[2], ALICE, "", NOW)
    change = await delete_item(db_session, items[2], BOB, NOW)
    assert change.applied and change.item.title == "困难职工帮扶"
    assert await db_session.get(Item, items[2]) is None
    assert await db_session.scalar(select(func.count()).where(ItemEvent.item_id == items[2])) == 0
    assert await db_session.scalar(select(func.count()).where(Reminder.item_id == items[2])) == 0
    assert (await delete_item(db_session, items[2], BOB, NOW)).outcome is Outcome.GONE


async def test_open_items_of_a_leader_or_department_member(db_session, chat, items, planner):
    await bind_person(db_session, chat.id, "张三", 11)
    clerk = await bind_person(db_session, chat.id, "小王", 22)
    security = await get_or_create_department(db_session, chat.id, "保障部")
    await add_member(db_session, security.id, clerk.id)
    mine = await open_items_of_user(db_session, 11, [chat.id])
    assert [i.seq for i in mine] == [2, 1], "nearest deadline first"
    await mark_done(db_session, items[1], ALICE, "", NOW)
    assert [i.seq for i in await open_items_of_user(db_session, 11, [chat.id])] == [1]
    assert [i.seq for i in await open_items_of_user(db_session, 22, [chat.id])] == [3]
    assert await open_items_of_user(db_session, 33, [chat.id]) == []


async def test_filters_and_month_years(db_session, chat, items):
    assert await latest_year_of_month(db_session, chat.id, 10) == 2024
    assert await latest_year_of_month(db_session, chat.id, 9) is None
    overdue = await read_filter(db_session, chat.id, "逾期")
    assert overdue.kind is FilterKind.OVERDUE
    office = await read_filter(db_session, chat.id, "办公 ")
    assert office.kind is FilterKind.NAME and office.name == "办公"
    assert await read_filter(db_session, chat.id, "人事处") is None
    assert await read_filter(db_session, chat.id, "100%") is None
    loaded = [await load_item(db_session, i) for i in items]
    today = date(2024, 10, 20)
    assert [i.seq for i in loaded if matches(i, office, today)] == [1, 2]
    assert [i.seq for i in loaded if matches(i, overdue, today)] == [2]
    leader = await read_filter(db_session, chat.id, "李 四")
    assert [i.seq for i in loaded if matches(i, leader, today)] == [2]
