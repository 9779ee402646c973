"""The rounds of progress collection (storage/report_rounds.py) and revision 0015, on both
databases: a round asked twice is one round, an item finds its rounds, a chase finds its own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, inspect, select, text

from storage.db import Database
from storage.departments import get_or_create_department
from storage.migrate import downgrade_async, upgrade_async
from storage.models import Item, ReportRound
from storage.report_rounds import (
    Asked,
    add_round_message,
    mark_chased,
    message_round,
    open_round,
    round_asked,
    round_messages,
    round_to_chase,
    rounds_asking,
)
from storage.rows import row_id
from tests.support.old_schema import insert, insert_march_meeting

FRIDAY = datetime(2020, 10, 23, 8, 0, tzinfo=UTC)


async def test_a_round_is_asked_once_and_found_by_its_items_messages_and_chase(
    db_session, chat, items
):
    chat_id = row_id(chat)
    office = await get_or_create_department(db_session, chat.id, "办公室")
    union = await get_or_create_department(db_session, chat.id, "工联会")
    office_id, union_id = row_id(office), row_id(union)
    asked = [Asked(office_id, (items[0], items[1])), Asked(union_id, (items[1],))]
    made, what = await open_round(db_session, chat.id, FRIDAY, asked)
    made_id = row_id(made)
    await db_session.commit()
    assert what == asked

    # An instance that takes the ask over later (its lease ran out) asks the same things,
    # whatever the plan says by then.
    again, what = await open_round(
        db_session, chat.id, FRIDAY, [Asked(row_id(office), (items[2],))]
    )
    assert row_id(again) == row_id(made) and what == asked
    assert await round_asked(db_session, row_id(made)) == asked

    await add_round_message(db_session, row_id(made), -100123, 77, "report", [row_id(office)])
    found = await message_round(db_session, -100123, 77)
    assert found is not None and found.round_id == row_id(made)
    assert found.departments == [row_id(office)]
    assert await message_round(db_session, -100123, 78) is None
    assert [
        m.tg_message_id for m in await round_messages(db_session, [row_id(made)], "report")
    ] == [77]

    later = FRIDAY + timedelta(days=7)
    next_round, _ = await open_round(
        db_session, chat.id, later, [Asked(row_id(office), (items[2],))]
    )
    asking = await rounds_asking(db_session, [items[1]], FRIDAY - timedelta(days=1))
    assert [row_id(r) for r in asking] == [row_id(made)]
    assert [row_id(r) for r in await rounds_asking(db_session, [items[2]], FRIDAY)] == [
        row_id(next_round)
    ]
    assert await rounds_asking(db_session, [items[1]], FRIDAY + timedelta(seconds=1)) == []

    # The chase on Monday finds Friday's round, once.
    monday = FRIDAY + timedelta(days=3)
    chased = await round_to_chase(db_session, chat.id, monday, monday - timedelta(days=45))
    assert chased is not None and row_id(chased) == row_id(made)
    await mark_chased(db_session, row_id(made), monday)
    await db_session.commit()
    db_session.expire_all()
    assert await round_to_chase(db_session, chat_id, monday, monday - timedelta(days=45)) is None

    # A deleted item leaves the rounds that asked about it.
    await db_session.execute(delete(Item).where(Item.id == items[0]))
    await db_session.commit()
    assert await round_asked(db_session, made_id) == [
        Asked(office_id, (items[1],)),
        Asked(union_id, (items[1],)),
    ]


async def test_revision_0015_adds_the_round_tables_to_a_database_with_data_and_drops_them(
    database_url,
):
    await upgrade_async(database_url, "0014")
    old = Database.from_url(database_url)
    now = datetime.now(UTC)
    async with old.engine.begin() as connection:
        await insert_march_meeting(connection, now, quarter=0, archived=False)
        await insert(connection, "department", chat_id=1, name="办公室", created_at=now)
    await old.close()

    await upgrade_async(database_url)
    db = Database.from_url(database_url)
    try:
        async with db.session() as session:
            made, _ = await open_round(session, 1, FRIDAY, [Asked(1, (1,))])
            await add_round_message(session, row_id(made), -1, 5, "report", [1])
        async with db.session() as session:
            assert len(list(await session.scalars(select(ReportRound)))) == 1
            assert (await message_round(session, -1, 5)) is not None
    finally:
        await db.close()

    await downgrade_async(database_url, "0014")
    check = Database.from_url(database_url)
    try:
        async with check.engine.connect() as connection:
            tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
            assert not {"report_round", "report_round_item", "report_round_message"} & tables
            assert await connection.scalar(text("SELECT count(*) FROM item")) == 1
    finally:
        await check.close()
