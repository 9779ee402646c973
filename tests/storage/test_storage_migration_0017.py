"""Revision 0017: person gets its (tg_user_id, chat_id) index with the rows kept, the planner
gets statistics of the upgraded table at once, and a downgrade takes the index away again."""

from datetime import UTC, datetime

from sqlalchemy import text

from storage.db import Database
from storage.migrate import downgrade_async, upgrade_async
from tests.support.old_schema import insert, insert_march_meeting
from tests.support.query_plans import index_names, statistics_of

INDEX = "ix_person_tg_user_id_chat_id"


async def test_the_person_account_index_comes_and_goes_with_its_rows(database_url):
    await upgrade_async(database_url, "0016")
    db = Database.from_url(database_url)
    now = datetime.now(UTC)
    try:
        async with db.engine.begin() as connection:
            await insert_march_meeting(connection, now, quarter=0, archived=False)
            await insert(
                connection, "person", chat_id=1, name="高启秀", tg_user_id=2**40, created_at=now
            )
            before = await statistics_of(connection, "person")
        assert INDEX not in await index_names(db, "person")

        await upgrade_async(database_url, "0017")
        assert INDEX in await index_names(db, "person")
        async with db.engine.connect() as connection:
            after = await statistics_of(connection, "person")
            assert after and after != before, "the upgrade leaves statistics of the rows behind"
            rows = await connection.execute(
                text("SELECT chat_id, name FROM person WHERE tg_user_id = :id"), {"id": 2**40}
            )
            assert [tuple(r) for r in rows] == [(1, "高启秀")]

        await downgrade_async(database_url, "0016")
        assert INDEX not in await index_names(db, "person")
        async with db.engine.connect() as connection:
            assert await connection.scalar(text("SELECT count(*) FROM person")) == 1
    finally:
        await db.close()
