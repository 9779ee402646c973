"""Database fixtures shared by every test package.

`backend` is sqlite, and postgres too: that case runs when PLANBOT_TEST_DATABASE_URL names a
server and is skipped with the reason otherwise. `database_url` is an empty database of the
backend (a SQLite file, or a fresh PostgreSQL database). `db` is a database of its own already
migrated to head (a copy of this process's migrated template, see tests/support/databases.py),
wrapped in a storage.db.Database; `db_session` is one AsyncSession on it (commit yourself if you
need to).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import Database
from tests.support.databases import (
    BACKENDS,
    drop_templates,
    fresh_postgres_database,
    migrated_database,
    postgres_server,
    skip_unless_available,
    sqlite_url,
)

# The hostile suite's figures, summed over workers and printed at the end of the run.
pytest_plugins = ["tests.support.hostile_tally"]


@pytest.fixture(scope="session", autouse=True)
def _templates() -> Iterator[None]:
    """Each test process removes the migrated templates it made."""
    yield
    asyncio.run(drop_templates())


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The database backend of this case (ids: sqlite, postgres)."""
    skip_unless_available(request.param)
    return request.param


@pytest.fixture
async def database_url(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    """URL of an empty, unmigrated database of its own."""
    server = postgres_server()
    if backend == "sqlite" or server is None:
        yield sqlite_url(tmp_path)
        return
    async with fresh_postgres_database(server) as url:
        yield url


@pytest.fixture
async def db(backend: str, tmp_path: Path) -> AsyncIterator[Database]:
    """A Database of its own at head, migrated the way the application does it."""
    async with migrated_database(backend, tmp_path) as url:
        database = Database.from_url(url)
        try:
            yield database
        finally:
            await database.close()


@pytest.fixture
async def db_session(db: Database) -> AsyncIterator[AsyncSession]:
    """One session on `db`; whatever is not committed is rolled back at the end."""
    async with db.sessionmaker() as session:
        yield session
