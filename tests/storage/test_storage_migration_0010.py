"""Revision 0010: the reminder lookups of /done and /ack get their indexes (rows kept), the
planner gets statistics of the upgraded tables at once, and a downgrade takes the indexes
away again."""

from datetime import UTC, datetime

from sqlalchemy import text

from storage.db import Database
from storage.migrate import downgrade_async, upgrade_async
from tests.support.old_schema import insert_march_meeting, insert_sent_reminder
from tests.support.query_plans import index_names, statistics_of

NEW = {"ix_reminder_item_id_state", "ix_reminder_tg_message"}


async def test_reminder_lookup_indexes_come_and_go_with_their_rows(database_url):
    await upgrade_async(database_url, "0009")
    db = Database.from_url(database_url)
    now = datetime.now(UTC)
    try:
        async with db.engine.begin() as connection:
            await insert_march_meeting(connection, now, quarter=0, archived=False)
            await insert_sent_reminder(
                connection, now, chat_column="tg_chat_id", message_column="tg_message_id"
            )
            before = await statistics_of(connection, "reminder")
        assert not NEW & await index_names(db, "reminder")

        await upgrade_async(database_url)
        assert NEW <= await index_names(db, "reminder")
        async with db.engine.connect() as connection:
            after = await statistics_of(connection, "reminder")
            assert after and after != before, "the upgrade leaves statistics of the rows behind"
            rows = await connection.execute(
                text("SELECT item_id, state FROM reminder WHERE tg_message_id = 77")
            )
            assert [tuple(r) for r in rows] == [(1, "sent")]

        await downgrade_async(database_url, "0009")
        assert not NEW & await index_names(db, "reminder")
        async with db.engine.connect() as connection:
            assert await connection.scalar(text("SELECT count(*) FROM reminder")) == 1
    finally:
        await db.close()
