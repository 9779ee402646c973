"""Revision 0002: rows written before it survive, and the new history kinds are accepted."""

from datetime import UTC, date, datetime

from sqlalchemy import select, text

from storage.db import Database
from storage.migrate import downgrade_async, upgrade_async
from storage.models import Item, ItemEvent, ItemEventKind, Reminder, ReminderMessage
from storage.plans import save_parsed_plan


async def test_existing_reminders_keep_working_after_the_upgrade(database_url, october_plan):
    await upgrade_async(database_url, "0001")
    old = Database.from_url(database_url)
    async with old.engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO chat (tg_chat_id, title, type, is_forum, settings, created_at) "
                "VALUES (-1, 'g', 'group', false, '{}', :now)"
            ),
            {"now": datetime.now(UTC)},
        )
        await connection.execute(
            text(
                "INSERT INTO reminder_message (chat_id, message_id, sent_at) VALUES (-1, 7, :now)"
            ),
            {"now": datetime.now(UTC)},
        )
    await old.close()

    await upgrade_async(database_url)
    db = Database.from_url(database_url)
    try:
        async with db.session() as session:
            message = await session.scalar(select(ReminderMessage))
            assert message is not None and message.kind == "reminder"
            chat_id = await session.scalar(text("SELECT id FROM chat"))
            result = await save_parsed_plan(session, chat_id, october_plan(), "text")
            item = result.items[result.added[0]]
            item.snoozed_until = date(2024, 10, 20)
            session.add(
                Reminder(
                    item_id=item.id, kind="overdue", fire_at=datetime(2024, 11, 4, 1, tzinfo=UTC)
                )
            )
            for kind in (ItemEventKind.SNOOZE, ItemEventKind.UNDO):
                session.add(ItemEvent(item_id=item.id, kind=kind.value, data={"previous": 1}))
        async with db.session() as session:
            reminder = await session.scalar(select(Reminder))
            assert reminder is not None and reminder.escalated is False
            kinds = set((await session.scalars(select(ItemEvent.kind))).all())
            assert {"snooze", "undo"} <= kinds
            data = await session.scalar(select(ItemEvent.data).where(ItemEvent.kind == "undo"))
            assert data == {"previous": 1}
            snoozed = await session.scalar(select(Item.snoozed_until).where(Item.id == item.id))
            assert snoozed == date(2024, 10, 20)
    finally:
        await db.close()
    await downgrade_async(database_url, "0001")
