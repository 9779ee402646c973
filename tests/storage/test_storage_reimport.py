"""Re-importing a revised plan: the chat's changes since the last import stay unless the
document changed that very field, and a different task under an old number replaces it."""

from __future__ import annotations

import dataclasses
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.extensions import approve_request, create_request, load_request
from storage.item_changes import Author, EditField, edit_item
from storage.models import Chat, DeletedItem, Item, Plan
from storage.plans import FieldFate, ImportResult, items_with_links, save_parsed_plan
from tests.storage.conftest import PlanFactory
from tests.support.storage import NOW

ADMIN = Author(99, "管理员")


async def _extend(session: AsyncSession, item_id: int, day: date) -> None:
    request, _ = await create_request(
        session, item_id, requester_tg_user_id=11, requester_name="张三", new_deadline=day
    )
    loaded = await load_request(session, request.id, for_update=True)
    await approve_request(session, loaded, by_tg_user_id=99, by_name="领导", now=NOW)
    await session.commit()


def _fates(result: ImportResult) -> list[tuple[int, str, FieldFate, str | None]]:
    return [(result.items[c.item_id].seq, c.field, c.fate, c.via) for c in result.fields]


async def test_chat_changes_stay_until_the_document_changes_that_field(
    db_session: AsyncSession, chat: Chat, october_plan: PlanFactory
) -> None:
    first = await save_parsed_plan(db_session, chat.id, october_plan(), "v1")
    await db_session.commit()
    ids = {item.seq: item.id for item in first.plan.items}
    await _extend(db_session, ids[1], date(2024, 11, 15))
    await edit_item(
        db_session,
        ids[2],
        EditField.TITLE,
        "开展职工书屋建设（二期）",
        ADMIN,
        NOW,
        today=NOW.date(),
    )
    await db_session.commit()

    # The same document again: nothing is written, both chat changes are listed as kept.
    again = await save_parsed_plan(db_session, chat.id, october_plan(), "v1")
    await db_session.commit()
    assert again.changed == [] and again.added == []
    assert _fates(again) == [
        (1, "deadline", FieldFate.KEPT, "extend"),
        (2, "title", FieldFate.KEPT, "edit"),
    ]
    items = await items_with_links(db_session, first.plan.id)
    assert items[0].deadline == date(2024, 11, 15) and items[0].deadline_text == "11月15日"
    assert items[1].title == "开展职工书屋建设（二期）"

    # The document changes item 1's deadline: the document's stands over the extension.
    one, two, three = october_plan().items
    moved = dataclasses.replace(one, deadline=date(2024, 11, 20))
    revised = october_plan(items=[moved, two, three])
    result = await save_parsed_plan(db_session, chat.id, revised, "v2")
    await db_session.commit()
    assert _fates(result) == [
        (1, "deadline", FieldFate.OVERRIDDEN, "extend"),
        (2, "title", FieldFate.KEPT, "edit"),
    ]
    assert result.changed == [ids[1]]
    items = await items_with_links(db_session, first.plan.id)
    assert items[0].deadline == date(2024, 11, 20)
    assert items[1].title == "开展职工书屋建设（二期）"


async def test_a_plan_imported_before_the_snapshot_was_kept_reads_the_history(
    db_session: AsyncSession, chat: Chat, october_plan: PlanFactory
) -> None:
    first = await save_parsed_plan(db_session, chat.id, october_plan(), "v1")
    await db_session.commit()
    ids = {item.seq: item.id for item in first.plan.items}
    await _extend(db_session, ids[1], date(2024, 11, 15))
    # As a database upgraded to 0006 has it: no snapshot.
    plan = await db_session.get(Plan, first.plan.id)
    plan.imported = None
    await db_session.commit()

    again = await save_parsed_plan(db_session, chat.id, october_plan(), "v1")
    await db_session.commit()
    assert _fates(again) == [(1, "deadline", FieldFate.KEPT, "extend")]
    item = await db_session.get(Item, ids[1], populate_existing=True)
    assert item.deadline == date(2024, 11, 15)


async def test_a_different_task_under_an_old_number_is_deleted_with_a_record(
    db_session: AsyncSession, chat: Chat, october_plan: PlanFactory
) -> None:
    first = await save_parsed_plan(db_session, chat.id, october_plan(), "v1")
    await db_session.commit()
    ids = {item.seq: item.id for item in first.plan.items}
    one, two, three = october_plan().items
    revised = october_plan(items=[one, dataclasses.replace(two, title="安全生产大检查"), three])

    result = await save_parsed_plan(
        db_session, chat.id, revised, "v2", author_tg_user_id=99, author_name="管理员"
    )
    await db_session.commit()

    (new_id,) = result.added
    assert result.replaced == [(ids[2], new_id)]
    assert result.removed == [] and result.changed == []
    assert await db_session.get(Item, ids[2]) is None
    record = await db_session.scalar(select(DeletedItem))
    assert (record.seq, record.title, record.how, record.deleted_by_name) == (
        2,
        "开展职工书屋建设",
        "import",
        "管理员",
    )
    items = await items_with_links(db_session, first.plan.id)
    assert [(item.seq, item.title) for item in items] == [
        (1, "召开十月份主席办公会"),
        (2, "安全生产大检查"),
        (3, "困难职工帮扶"),
    ]
