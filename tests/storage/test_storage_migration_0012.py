"""Revision 0012: an item's single state before it becomes every department's part (an assist
link of the release before may be a responsible department listed second, which a re-import
makes a lead), and a downgrade drops the parts."""

from datetime import UTC, datetime

from sqlalchemy import inspect, text

from storage.db import Database
from storage.migrate import downgrade_async, upgrade_async
from storage.parts import item_parts
from tests.support.old_schema import insert, insert_march_meeting


async def test_each_items_state_becomes_its_departments_parts(database_url):
    await upgrade_async(database_url, "0011")
    old = Database.from_url(database_url)
    now = datetime.now(UTC)
    done_at = datetime(2023, 3, 20, 8, 0, tzinfo=UTC)
    async with old.engine.begin() as connection:
        await insert_march_meeting(connection, now, quarter=0, archived=False)
        await connection.execute(
            text("UPDATE item SET status = 'done', progress = 100, done_at = :at WHERE id = 1"),
            {"at": done_at},
        )
        for seq, title in ((2, "书屋"), (3, "帮扶")):
            await insert(
                connection, "item", plan_id=1, seq=seq, title=title, content="",
                deadline_text="", recurring=False, status="open", progress=40 * (seq - 1),
                created_at=now, updated_at=now,
            )  # fmt: skip
        for name in ("组织部", "工联会", "办公室"):
            await insert(connection, "department", chat_id=1, name=name, created_at=now)
        links = [(1, 1, "lead"), (1, 2, "lead"), (1, 3, "assist"), (2, 2, "lead"), (2, 3, "assist")]
        for position, (item_id, department_id, role) in enumerate(links):
            await insert(
                connection, "item_department", item_id=item_id, department_id=department_id,
                position=position, role=role,
            )  # fmt: skip
    await old.close()

    await upgrade_async(database_url)
    db = Database.from_url(database_url)
    try:
        async with db.session() as session:
            first = [
                (p.name, p.status, p.progress, p.done_at) for p in await item_parts(session, 1)
            ]
            second = [(p.name, p.status, p.progress) for p in await item_parts(session, 2)]
            assert first == [
                ("组织部", "done", 100, done_at),
                ("工联会", "done", 100, done_at),
                ("办公室", "done", 100, done_at),
            ]
            assert second == [("工联会", "open", 40), ("办公室", "open", 40)]
            assert await item_parts(session, 3) == [], "an item without departments has no parts"
    finally:
        await db.close()

    await downgrade_async(database_url, "0011")
    check = Database.from_url(database_url)
    try:
        async with check.engine.connect() as connection:
            columns = await connection.run_sync(
                lambda c: {column["name"] for column in inspect(c).get_columns("item_department")}
            )
            assert not {"status", "progress", "done_at"} & columns
            count = await connection.scalar(text("SELECT count(*) FROM item_department"))
            assert count == len(links), "the downgrade keeps every link"
    finally:
        await check.close()
