"""Revision 0013: parts that drifted from their items under the release at 0012 (its chat
changed items, never their department links) take their item's state again."""

from datetime import UTC, datetime

from sqlalchemy import text

from storage.db import Database
from storage.migrate import downgrade_async, upgrade_async
from storage.parts import item_parts
from tests.support.old_schema import insert, insert_march_meeting


async def test_drifted_parts_take_their_items_state(database_url):
    await upgrade_async(database_url, "0012")
    old = Database.from_url(database_url)
    now = datetime.now(UTC)
    done_at = datetime(2023, 3, 20, 8, 0, tzinfo=UTC)
    async with old.engine.begin() as connection:
        await insert_march_meeting(connection, now, quarter=0, archived=False)
        await insert(
            connection, "item", plan_id=1, seq=2, title="书屋", content="", deadline_text="",
            recurring=False, status="open", progress=0, created_at=now, updated_at=now,
        )  # fmt: skip
        for name in ("组织部", "工联会"):
            await insert(connection, "department", chat_id=1, name=name, created_at=now)
        for position, (item_id, department_id) in enumerate([(1, 1), (1, 2), (2, 1)]):
            await insert(
                connection, "item_department", item_id=item_id, department_id=department_id,
                position=position, role="lead",
            )  # fmt: skip
        # What the release at 0012 did: /done and /progress changed the items only.
        await connection.execute(
            text("UPDATE item SET status = 'done', progress = 100, done_at = :at WHERE id = 1"),
            {"at": done_at},
        )
        await connection.execute(text("UPDATE item SET progress = 60 WHERE id = 2"))
        drifted = await connection.scalar(
            text("SELECT count(*) FROM item_department WHERE status = 'open'")
        )
        assert drifted == 3
    await old.close()

    await upgrade_async(database_url, "0013")
    db = Database.from_url(database_url)
    try:
        async with db.session() as session:
            parts = await item_parts(session, 1)
            first = [(p.name, p.status, p.progress, p.done_at) for p in parts]
            second = [(p.name, p.status, p.progress) for p in await item_parts(session, 2)]
        assert first == [("组织部", "done", 100, done_at), ("工联会", "done", 100, done_at)]
        assert second == [("组织部", "open", 60)]
    finally:
        await db.close()
    # The downgrade keeps the parts (they are 0012's columns).
    await downgrade_async(database_url, "0012")
    await upgrade_async(database_url)
