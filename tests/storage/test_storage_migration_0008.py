"""Revision 0008: the Telegram message ids of sent reminders, their messages, extension requests
and digests are kept under the name tg_message_id, and go back to message_id on a downgrade."""

from datetime import UTC, datetime

from sqlalchemy import select, text

from storage.db import Database
from storage.messages import items_for_message
from storage.migrate import downgrade_async, upgrade_async
from storage.models import Reminder, ReminderMessage
from tests.support.old_schema import insert_march_meeting, insert_sent_reminder


async def test_message_ids_survive_the_rename_both_ways(database_url):
    await upgrade_async(database_url, "0007")
    old = Database.from_url(database_url)
    now = datetime.now(UTC)
    async with old.engine.begin() as connection:
        await insert_march_meeting(connection, now, quarter=0, archived=False)
        await insert_sent_reminder(connection, now, chat_column="tg_chat_id")
    await old.close()

    await upgrade_async(database_url)
    db = Database.from_url(database_url)
    try:
        async with db.session() as session:
            # A reply to the reminder sent before still finds its item.
            assert [i.title for i in await items_for_message(session, -1, 77)] == ["例会"]
            assert await session.scalar(select(Reminder.tg_message_id)) == 77
            # The pair stays unique under its new name.
            session.add(ReminderMessage(tg_chat_id=-1, tg_message_id=78))
    finally:
        await db.close()

    await downgrade_async(database_url, "0007")
    db = Database.from_url(database_url)
    try:
        async with db.engine.connect() as connection:
            query = text("SELECT tg_chat_id, message_id FROM reminder_message ORDER BY id")
            rows = [tuple(r) for r in (await connection.execute(query)).all()]
            assert rows == [(-1, 77), (-1, 78)]
            query = text("SELECT message_id FROM reminder")
            assert list((await connection.execute(query)).scalars()) == [77]
    finally:
        await db.close()
