"""Extension requests: one pending per item, approval moves the deadline, both leave history."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from storage.extensions import (
    approve_request,
    attach_message,
    create_request,
    deadline_words,
    load_request,
    pending_request,
    reject_request,
    withdraw_request,
)
from storage.models import ExtensionState, Item, ItemEvent
from storage.plans import save_parsed_plan

NOW = datetime(2024, 10, 20, 2, 0, tzinfo=UTC)


async def _first_item(db_session, chat, october_plan) -> int:
    result = await save_parsed_plan(db_session, chat.id, october_plan(), "x")
    return result.added[0]


def test_deadline_words_name_the_year_only_when_it_is_not_the_plans():
    assert deadline_words(date(2024, 11, 15), 2024) == "11月15日"
    assert deadline_words(date(2025, 1, 5), 2024) == "2025年1月5日"


async def test_a_second_request_for_an_item_gets_the_pending_one(db_session, chat, october_plan):
    item_id = await _first_item(db_session, chat, october_plan)
    first, created = await create_request(
        db_session,
        item_id,
        requester_tg_user_id=11,
        requester_name="张三",
        new_deadline=date(2024, 11, 15),
        reason="等材料",
    )
    assert created and first.old_deadline == date(2024, 10, 31)
    again, created_again = await create_request(
        db_session,
        item_id,
        requester_tg_user_id=22,
        requester_name="李四",
        new_deadline=date(2024, 11, 30),
    )
    assert not created_again and again.id == first.id
    assert (await pending_request(db_session, item_id)).id == first.id


async def test_approval_moves_the_deadline_and_records_old_and_new(db_session, chat, october_plan):
    item_id = await _first_item(db_session, chat, october_plan)
    request, _ = await create_request(
        db_session,
        item_id,
        requester_tg_user_id=11,
        requester_name="张三",
        new_deadline=date(2024, 11, 15),
        reason="等材料",
    )
    await attach_message(db_session, request.id, -100123, 7)
    await db_session.commit()

    loaded = await load_request(db_session, request.id, for_update=True)
    assert loaded.tg_message_id == 7 and loaded.item.plan.year == 2024
    update = await approve_request(db_session, loaded, by_tg_user_id=99, by_name="领导", now=NOW)
    await db_session.commit()

    item = await db_session.get(Item, item_id)
    assert item.deadline == date(2024, 11, 15) and item.deadline_text == "11月15日"
    assert update.kind == "extend" and update.text == "等材料"
    assert update.data["old"] == "2024-10-31" and update.data["new"] == "2024-11-15"
    assert update.data["old_text"] == "十月份" and update.data["approved_by"] == "领导"
    assert loaded.state == ExtensionState.APPROVED and loaded.decided_at == NOW
    assert await pending_request(db_session, item_id) is None
    with pytest.raises(ValueError, match="already approved"):
        await reject_request(
            db_session, loaded, by_tg_user_id=98, by_name="别人", now=NOW, note="x"
        )


async def test_rejection_keeps_the_deadline_and_leaves_a_note(db_session, chat, october_plan):
    item_id = await _first_item(db_session, chat, october_plan)
    request, _ = await create_request(
        db_session,
        item_id,
        requester_tg_user_id=11,
        requester_name="张三",
        new_deadline=date(2024, 11, 15),
    )
    loaded = await load_request(db_session, request.id)
    await reject_request(
        db_session, loaded, by_tg_user_id=99, by_name="领导", now=NOW, note="延期未批准"
    )
    await db_session.commit()

    item = await db_session.get(Item, item_id)
    assert item.deadline == date(2024, 10, 31)
    query = select(ItemEvent).where(ItemEvent.item_id == item_id)
    notes = (await db_session.scalars(query)).all()
    assert [(n.kind, n.text, n.data["requested"]) for n in notes] == [
        ("note", "延期未批准", "2024-11-15")
    ]
    assert loaded.state == ExtensionState.REJECTED and loaded.decided_by_name == "领导"


async def test_a_request_nobody_saw_can_be_withdrawn(db_session, chat, october_plan):
    item_id = await _first_item(db_session, chat, october_plan)
    request, _ = await create_request(
        db_session,
        item_id,
        requester_tg_user_id=11,
        requester_name="张三",
        new_deadline=date(2024, 11, 15),
    )
    await withdraw_request(db_session, request.id)
    assert await pending_request(db_session, item_id) is None
    assert await load_request(db_session, request.id) is None
