"""Revision 0014: the attachment table arrives empty on a database with items and history,
takes files, and a downgrade drops it leaving the rest as it was.

Written on the evidence branch after 0012 (0013 is parts-chat's; the merge chains 0014 after
it): the revision before is read from the script's down_revision."""

from datetime import UTC, datetime

from sqlalchemy import inspect, text

from storage.db import Database
from storage.migrate import alembic_config, downgrade_async, upgrade_async
from tests.support.old_schema import insert, insert_march_meeting


def _before() -> str:
    """The revision 0014 follows, as its script says (0012 on this branch, 0013 once merged)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config()).get_revision("0014")
    assert script is not None and isinstance(script.down_revision, str)
    return script.down_revision


BEFORE = _before()


async def _tables(database_url: str) -> set[str]:
    db = Database.from_url(database_url)
    try:
        async with db.engine.connect() as connection:
            return set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
    finally:
        await db.close()


async def test_upgrade_adds_an_empty_table_that_takes_files_and_downgrade_drops_it(database_url):
    await upgrade_async(database_url, BEFORE)
    now = datetime.now(UTC)
    old = Database.from_url(database_url)
    async with old.engine.begin() as connection:
        await insert_march_meeting(connection, now, quarter=0, archived=False)
        await insert(
            connection, "item_event", item_id=1, author_tg_user_id=7, author_name="张三",
            kind="done", text="已开", created_at=now,
        )  # fmt: skip
    await old.close()

    await upgrade_async(database_url, "0014")
    db = Database.from_url(database_url)
    try:
        async with db.engine.begin() as connection:
            assert await connection.scalar(text("SELECT count(*) FROM attachment")) == 0
            await insert(
                connection, "attachment", item_id=1, item_event_id=1, kind="photo",
                tg_file_id="AgAC", tg_file_unique_id="AQAD", file_name="", size=10,
                mime_type="", author_tg_user_id=7, author_name="张三", created_at=now,
            )  # fmt: skip
            row = (await connection.execute(text("SELECT item_id, kind FROM attachment"))).one()
            assert tuple(row) == (1, "photo")
            event = await connection.scalar(text("SELECT text FROM item_event WHERE id = 1"))
            assert event == "已开", "the history is untouched"
    finally:
        await db.close()

    await downgrade_async(database_url, BEFORE)
    assert "attachment" not in await _tables(database_url)
    check = Database.from_url(database_url)
    try:
        async with check.engine.connect() as connection:
            assert await connection.scalar(text("SELECT count(*) FROM item_event")) == 1
    finally:
        await check.close()
