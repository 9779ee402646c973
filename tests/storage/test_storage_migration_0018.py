"""Revision 0018: pending_question.kind may be 'return reason' (a reviewer owes the reason for
a ↩️ 退回); a downgrade removes those questions, the others stay."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from storage.db import Database
from storage.migrate import downgrade_async, upgrade_async
from tests.support.old_schema import insert


async def _question(connection, token: str, kind: str, now: datetime) -> None:
    await insert(
        connection,
        "pending_question",
        tg_chat_id=-1,
        token=token,
        kind=kind,
        payload=json.dumps({}),
        asked_by_tg_user_id=7,
        created_at=now,
        expires_at=now + timedelta(minutes=10),
    )


async def test_a_return_reason_question_comes_and_goes_with_its_revision(database_url):
    await upgrade_async(database_url, "0017")
    db = Database.from_url(database_url)
    now = datetime.now(UTC)
    try:
        async with db.engine.begin() as connection:
            await _question(connection, "r1", "reply", now)
        with pytest.raises(IntegrityError):
            async with db.engine.begin() as connection:
                await _question(connection, "reason:7", "return reason", now)

        await upgrade_async(database_url, "0018")
        async with db.engine.begin() as connection:
            await _question(connection, "reason:7", "return reason", now)

        await downgrade_async(database_url, "0017")
        async with db.engine.connect() as connection:
            rows = await connection.execute(text("SELECT token, kind FROM pending_question"))
            assert [tuple(r) for r in rows] == [("r1", "reply")]
    finally:
        await db.close()
