"""The attachment table (storage.attachments) on both databases: a file kept with the update it
came with, listed oldest first, the newest few with a count, grouped by update for the exports;
an undone update's files go, a deleted item's go with it, and names from clients are cleaned."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlmodel import col

from storage.attachments import (
    MAX_NAME,
    FileRef,
    attach,
    attachments_by_event,
    drop_for_event,
    item_attachments,
    newest_attachments,
)
from storage.item_changes import Author, add_note
from storage.models import Attachment, AttachmentKind, Item, ItemEvent
from storage.parts import close_item, report_item_progress
from tests.support.storage import NOW

ZHANG = Author(tg_user_id=501, name="张三")
PHOTO = FileRef(AttachmentKind.PHOTO, "AgACAgUAAx0", "AQADb", size=48213)


def _document(name: str, size: int | None = 1024) -> FileRef:
    return FileRef(AttachmentKind.DOCUMENT, f"BQACAgUAA-{name}", f"AgAD-{name}", name, size, "x")


async def _count(db_session) -> int:
    return await db_session.scalar(select(func.count()).select_from(Attachment))


async def test_a_file_is_kept_with_its_update_and_listed_oldest_first(db_session, items):
    first = await report_item_progress(db_session, items[0], ZHANG, 40, NOW, "初稿")
    attach(db_session, first.event, PHOTO)
    later = await close_item(db_session, items[0], ZHANG, NOW + timedelta(hours=1), "已报送")
    await db_session.flush()
    attach(db_session, later.event, _document("纪要.pdf"))
    await db_session.commit()

    listed = await item_attachments(db_session, items[0])
    assert [(a.kind, a.file_name, a.size, a.author_name) for a in listed] == [
        ("photo", "", 48213, "张三"),
        ("document", "纪要.pdf", 1024, "张三"),
    ]
    assert [a.item_event_id for a in listed] == [first.event.id, later.event.id]
    assert [a.created_at for a in listed] == [NOW, NOW + timedelta(hours=1)], "the update's time"
    assert listed[0].author_tg_user_id == 501
    assert await item_attachments(db_session, items[1]) == []

    grouped = await attachments_by_event(db_session, items)
    assert {k: [a.id for a in v] for k, v in grouped.items()} == {
        first.event.id: [listed[0].id],
        later.event.id: [listed[1].id],
    }
    assert await attachments_by_event(db_session, []) == {}


async def test_the_newest_few_and_how_many_in_all(db_session, items):
    for n in range(5):
        change = await add_note(db_session, items[0], ZHANG, f"第{n}张", NOW)
        attach(db_session, change.event, _document(f"{n}.jpg"))
    await db_session.commit()
    newest, total = await newest_attachments(db_session, items[0], 3)
    assert [a.file_name for a in newest] == ["2.jpg", "3.jpg", "4.jpg"]
    assert total == 5
    assert await newest_attachments(db_session, items[1], 3) == ([], 0)


async def test_an_undone_update_drops_its_files_only(db_session, items):
    kept = await report_item_progress(db_session, items[0], ZHANG, 30, NOW, "")
    attach(db_session, kept.event, PHOTO)
    undone = await report_item_progress(db_session, items[0], ZHANG, 60, NOW, "")
    attach(db_session, undone.event, _document("a.pdf"))
    attach(db_session, undone.event, _document("b.pdf"))
    await db_session.commit()
    assert await drop_for_event(db_session, undone.event.id) == 2
    await db_session.commit()
    assert [a.item_event_id for a in await item_attachments(db_session, items[0])] == [
        kept.event.id
    ]
    assert await drop_for_event(db_session, undone.event.id) == 0


async def test_deleting_the_item_takes_its_files_and_a_gone_update_leaves_them_unlinked(
    db_session, items
):
    one = await report_item_progress(db_session, items[0], ZHANG, 30, NOW, "")
    attach(db_session, one.event, PHOTO)
    other = await report_item_progress(db_session, items[1], ZHANG, 30, NOW, "")
    attach(db_session, other.event, PHOTO)
    await db_session.commit()

    await db_session.execute(delete(ItemEvent).where(col(ItemEvent.id) == other.event.id))
    await db_session.commit()
    (left,) = await item_attachments(db_session, items[1])
    assert left.item_event_id is None, "the file stays the item's; ON DELETE SET NULL"
    assert await attachments_by_event(db_session, [items[1]]) == {}

    await db_session.execute(delete(Item).where(col(Item.id) == items[0]))
    await db_session.commit()
    assert await _count(db_session) == 1, "the deleted item's file went with it"


async def test_names_from_a_client_are_cleaned_and_cut(db_session, items):
    change = await add_note(db_session, items[0], ZHANG, "x", NOW)
    hostile = "a\x00b\r\n  c.pdf" + "长" * 400
    attach(db_session, change.event, FileRef(AttachmentKind.DOCUMENT, "id", "u", hostile, -5))
    await db_session.commit()
    (kept,) = await item_attachments(db_session, items[0])
    assert kept.file_name.startswith("ab c.pdf长")
    assert len(kept.file_name) == MAX_NAME
    assert kept.size is None, "a negative size is no size"
