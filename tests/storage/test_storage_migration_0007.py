"""Revision 0007: the history written before it (item_update) is the item_event table after it,
ids and all, and goes back to item_update on a downgrade; the Telegram chat ids of sent
reminders and their messages are kept under the name tg_chat_id."""

from datetime import UTC, datetime

from sqlalchemy import select, text

from storage.db import Database
from storage.item_queries import item_history
from storage.messages import items_for_message
from storage.migrate import downgrade_async, upgrade_async
from storage.models import ItemEvent, Reminder
from tests.support.old_schema import insert, insert_march_meeting, insert_sent_reminder


async def _history_rows(database_url: str, table: str) -> list[tuple]:
    db = Database.from_url(database_url)
    try:
        async with db.engine.connect() as connection:
            query = text(f"SELECT id, item_id, kind, text, percent FROM {table} ORDER BY id")
            return [tuple(r) for r in (await connection.execute(query)).all()]
    finally:
        await db.close()


async def test_history_before_0007_survives_the_rename_both_ways(database_url):
    await upgrade_async(database_url, "0006")
    old = Database.from_url(database_url)
    now = datetime.now(UTC)
    async with old.engine.begin() as connection:
        await insert_march_meeting(connection, now, quarter=0, archived=False)
        rows = (("ack", "", None), ("progress", "过半", 50), ("done", "完成", 100))
        for kind, note, percent in rows:
            await insert(
                connection,
                "item_update",
                item_id=1,
                author_tg_user_id=7,
                author_name="张三",
                kind=kind,
                text=note,
                percent=percent,
                created_at=now,
            )
        await insert_sent_reminder(connection, now, chat_column="chat_id")
        # Ids 2 and 3 stay: the copy must keep them (a deleted item's record and /undo use them).
        await connection.execute(text("DELETE FROM item_update WHERE id = 1"))
    await old.close()
    before = [(2, 1, "progress", "过半", 50), (3, 1, "done", "完成", 100)]

    await upgrade_async(database_url)
    assert await _history_rows(database_url, "item_event") == before
    db = Database.from_url(database_url)
    try:
        async with db.session() as session:
            history = await item_history(session, 1)
            assert [(e.kind, e.author_name) for e in history] == [
                ("progress", "张三"),
                ("done", "张三"),
            ]
            # New rows get ids after the copied ones, and the checks still hold.
            session.add(ItemEvent(item_id=1, kind="note", text="补充"))
            # A reply to the reminder sent before still finds its item.
            assert [i.title for i in await items_for_message(session, -1, 77)] == ["例会"]
            assert await session.scalar(select(Reminder.tg_chat_id)) == -1
        async with db.session() as session:
            ids = list(await session.scalars(select(ItemEvent.id).order_by(ItemEvent.id)))
            assert ids[:2] == [2, 3] and ids[2] > 3
    finally:
        await db.close()

    await downgrade_async(database_url, "0006")
    rows = await _history_rows(database_url, "item_update")
    assert rows[:2] == before and [r[2:4] for r in rows[2:]] == [("note", "补充")]
    db = Database.from_url(database_url)
    try:
        async with db.engine.connect() as connection:
            query = text("SELECT chat_id, message_id FROM reminder_message")
            assert [tuple(r) for r in (await connection.execute(query)).all()] == [(-1, 77)]
            query = text("SELECT chat_id FROM reminder")
            assert list((await connection.execute(query)).scalars()) == [-1]
    finally:
        await db.close()
