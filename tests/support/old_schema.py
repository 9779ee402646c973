"""Rows written straight into an older schema, for migration tests: the models describe only the
newest schema, so rows from before a revision go in as SQL."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection


async def insert(connection: AsyncConnection, table: str, **values: object) -> None:
    """One row of `table` (a name from the test itself, never from outside)."""
    columns = ", ".join(values)
    params = ", ".join(f":{column}" for column in values)
    await connection.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({params})"), values)


async def insert_march_meeting(
    connection: AsyncConnection, now: datetime, **plan_columns: object
) -> None:
    """Chat row 1 (Telegram group -1), its plan for March 2023, and that plan's item 1 「例会」;
    `plan_columns` are the plan's columns that the revision under test already has."""
    await insert(
        connection,
        "chat",
        tg_chat_id=-1,
        title="g",
        type="group",
        is_forum=False,
        settings="{}",
        created_at=now,
    )
    await insert(
        connection,
        "plan",
        chat_id=1,
        year=2023,
        month=3,
        title="三月计划",
        source_text="x",
        created_at=now,
        updated_at=now,
        **plan_columns,
    )
    await insert(
        connection,
        "item",
        plan_id=1,
        seq=1,
        title="例会",
        content="",
        deadline_text="",
        recurring=False,
        status="open",
        progress=0,
        created_at=now,
        updated_at=now,
    )


async def insert_sent_reminder(
    connection: AsyncConnection,
    now: datetime,
    *,
    chat_column: str,
    message_column: str = "message_id",
) -> None:
    """Item 1's reminder as sent to chat -1 in message 77, with the message that lists it, under
    the column names the schema being upgraded uses."""
    where = {chat_column: -1, message_column: 77}
    await insert(
        connection,
        "reminder",
        item_id=1,
        kind="due",
        fire_at=now,
        state="sent",
        attempts=1,
        escalated=False,
        created_at=now,
        updated_at=now,
        **where,
    )
    await insert(connection, "reminder_message", kind="reminder", sent_at=now, **where)
    await insert(connection, "reminder_message_item", reminder_message_id=1, item_id=1, position=0)
