"""Engine set-up, URL handling, the unit of work and UTC instants."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import StatementError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import Database, make_engine, normalize_url
from storage.models import Chat, Item, Plan, Reminder
from storage.types import UTCDateTime

CST = timezone(timedelta(hours=8))


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:///planbot.db", "sqlite+aiosqlite:///planbot.db"),
        ("sqlite+aiosqlite:////var/lib/planbot.db", "sqlite+aiosqlite:////var/lib/planbot.db"),
        ("postgres://bot:pw@db:5432/planbot", "postgresql+asyncpg://bot:pw@db:5432/planbot"),
        ("postgresql://bot@localhost/planbot", "postgresql+asyncpg://bot@localhost/planbot"),
        (
            "postgresql+asyncpg://bot@localhost/planbot",
            "postgresql+asyncpg://bot@localhost/planbot",
        ),
    ],
)
def test_normalize_url_picks_the_async_driver(url: str, expected: str) -> None:
    assert normalize_url(url).render_as_string(hide_password=False) == expected


@pytest.mark.parametrize(
    "url", ["mysql://root@localhost/x", "postgresql+psycopg2://u@h/d", "sqlite+pysqlite:///x.db"]
)
def test_normalize_url_rejects_what_we_cannot_drive(url: str) -> None:
    with pytest.raises(ValueError, match=r"URL scheme|not one planbot supports"):
        normalize_url(url)


async def test_sqlite_pragmas_on_every_new_connection(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'pragmas.db'}")
    try:
        for _ in range(2):
            async with engine.connect() as connection:
                journal = await connection.scalar(text("PRAGMA journal_mode"))
                foreign_keys = await connection.scalar(text("PRAGMA foreign_keys"))
                busy = await connection.scalar(text("PRAGMA busy_timeout"))
                assert (journal, foreign_keys, busy) == ("wal", 1, 5000)
            # Drop pooled connections so the next round really opens a new one.
            await engine.dispose()
    finally:
        await engine.dispose()


async def test_sqlite_writers_wait_for_each_other(tmp_path: Path) -> None:
    """Two sessions writing at once queue on busy_timeout instead of 'database is locked'."""
    db = Database.from_url(f"sqlite:///{tmp_path / 'busy.db'}")
    try:
        async with db.engine.begin() as connection:
            await connection.run_sync(Chat.metadata.create_all)

        async def add(tg_chat_id: int) -> None:
            async with db.session() as session:
                session.add(Chat(tg_chat_id=tg_chat_id))
                await session.flush()
                await asyncio.sleep(0.05)  # hold the write lock a little

        await asyncio.gather(add(1), add(2), add(3))
        async with db.session() as session:
            assert len((await session.scalars(select(Chat))).all()) == 3
    finally:
        await db.close()


async def test_session_commits_on_success_and_rolls_back_on_error(db: Database) -> None:
    async with db.session() as session:
        session.add(Chat(tg_chat_id=1, title="kept"))

    with pytest.raises(RuntimeError):
        async with db.session() as session:
            session.add(Chat(tg_chat_id=2, title="dropped"))
            await session.flush()
            raise RuntimeError("boom")

    async with db.session() as session:
        titles = (await session.scalars(select(Chat.title))).all()
    assert titles == ["kept"]


async def _reminder(session: AsyncSession, fire_at: datetime) -> Reminder:
    chat = Chat(tg_chat_id=-1)
    session.add(chat)
    await session.flush()
    plan = Plan(chat_id=chat.id, year=2024, month=10)
    session.add(plan)
    await session.flush()
    item = Item(plan_id=plan.id, seq=1, title="x")
    session.add(item)
    await session.flush()
    reminder = Reminder(item_id=item.id, kind="due", fire_at=fire_at)
    session.add(reminder)
    await session.flush()
    return reminder


async def test_aware_datetimes_come_back_as_utc(db: Database) -> None:
    local = datetime(2024, 10, 31, 9, 30, tzinfo=CST)
    async with db.session() as session:
        reminder_id = (await _reminder(session, local)).id

    async with db.session() as session:
        reminder = await session.get(Reminder, reminder_id)
        assert reminder is not None
        assert reminder.fire_at == local
        assert reminder.fire_at.tzinfo is UTC
        assert reminder.fire_at.hour == 1
        assert reminder.created_at.tzinfo is UTC

        # Comparisons in SQL see the same instant whatever zone the parameter is in.
        just_after = datetime(2024, 10, 31, 1, 31, tzinfo=UTC).astimezone(CST)
        due = await session.scalars(select(Reminder.id).where(Reminder.fire_at <= just_after))
        assert due.all() == [reminder_id]
        too_early = local - timedelta(minutes=1)
        due = await session.scalars(select(Reminder.id).where(Reminder.fire_at <= too_early))
        assert due.all() == []


async def test_naive_datetimes_are_refused(db: Database) -> None:
    with pytest.raises(StatementError, match="timezone-aware"):
        async with db.session() as session:
            await _reminder(session, datetime(2024, 10, 31, 9, 30))


def test_utc_type_normalises_without_a_database() -> None:
    from sqlalchemy.dialects import postgresql, sqlite

    value = datetime(2024, 1, 1, 8, tzinfo=CST)
    stored = UTCDateTime().process_bind_param(value, sqlite.dialect())
    assert stored == datetime(2024, 1, 1, 0)
    assert UTCDateTime().process_bind_param(value, postgresql.dialect()) == value
    assert UTCDateTime().process_result_value(stored, sqlite.dialect()) == value
