"""Database fixtures shared by every test package.

`database_url` is an empty database: a SQLite file always, plus a fresh PostgreSQL database per
test when PLANBOT_TEST_DATABASE_URL is set (without it there is no postgres case at all, rather
than a skipped one). `db` is that database migrated to head through storage.migrate, wrapped in a
storage.db.Database; `db_session` is one AsyncSession on it (commit yourself if you need to).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy import pool, text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from storage.db import Database, normalize_url
from storage.migrate import upgrade_async

POSTGRES_URL_ENV = "PLANBOT_TEST_DATABASE_URL"


def _backends() -> list[str]:
    return ["sqlite", "postgres"] if os.environ.get(POSTGRES_URL_ENV) else ["sqlite"]


def sqlite_url(directory: Path) -> str:
    return f"sqlite+aiosqlite:///{directory / 'planbot.sqlite3'}"


@asynccontextmanager
async def fresh_postgres_database(server_url: str) -> AsyncIterator[str]:
    """Create a uniquely named database on the server of `server_url`; drop it afterwards."""
    server = normalize_url(server_url)
    name = f"planbot_test_{uuid.uuid4().hex[:16]}"
    # CREATE/DROP DATABASE cannot run inside a transaction.
    admin = create_async_engine(server, isolation_level="AUTOCOMMIT", poolclass=pool.NullPool)
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield server.set(database=name).render_as_string(hide_password=False)
        finally:
            # FORCE: a test that leaked a connection must not leak its database too.
            async with admin.connect() as connection:
                await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()


@pytest.fixture(params=_backends())
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """URL of an empty, unmigrated database of its own (ids: sqlite, postgres)."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
        return
    async with fresh_postgres_database(os.environ[POSTGRES_URL_ENV]) as url:
        yield url


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    """A Database migrated to head the way the application does it."""
    await upgrade_async(database_url)
    database = Database.from_url(database_url)
    try:
        yield database
    finally:
        await database.close()


@pytest.fixture
async def db_session(db: Database) -> AsyncIterator[AsyncSession]:
    """One session on `db`; whatever is not committed is rolled back at the end."""
    async with db.sessionmaker() as session:
        yield session
