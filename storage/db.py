"""The async engine, sessions and a unit-of-work helper."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

# Imported for its effect: every session cleans the text it writes (see storage.text).
import storage.text  # noqa: F401

SQLITE_BUSY_TIMEOUT_MS = 5000
# Rows ANALYZE looks at per index on SQLite: a sample, so refreshing the statistics of a
# database of millions of reminders takes milliseconds, not seconds.
SQLITE_ANALYSIS_LIMIT = 1000

# What a user may paste, mapped to the async driver we ship.
_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
}


def normalize_url(url: str | URL) -> URL:
    """Parse `url` and swap a sync driver for the async one (`postgres://` → asyncpg)."""
    parsed = make_url(url) if isinstance(url, str) else url
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql", "postgres"):
        raise ValueError(
            f"unsupported database URL scheme {parsed.drivername!r}: "
            "expected sqlite:///path/to/file.db or postgresql://user@host/dbname"
        )
    if parsed.drivername in _ASYNC_DRIVERS:
        return parsed.set(drivername=_ASYNC_DRIVERS[parsed.drivername])
    if parsed.drivername not in _ASYNC_DRIVERS.values():
        raise ValueError(
            f"database driver {parsed.drivername!r} is not one planbot supports: "
            f"use {_ASYNC_DRIVERS[backend]}:// (or just {backend}://)"
        )
    return parsed


def is_sqlite(url: str | URL) -> bool:
    return normalize_url(url).get_backend_name() == "sqlite"


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the driver, decide when transactions begin (see _on_sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        # WAL lets readers run alongside the one writer; busy_timeout makes a second writer
        # wait instead of failing at once with "database is locked"; SQLite ignores foreign keys
        # (and so ON DELETE CASCADE) unless asked, per connection.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


# The execution option that marks a Database.reading() session's connection.
_READS_ONLY = "planbot_reads_only"


def _on_sqlite_begin(connection: Any) -> None:
    # The sqlite3 module would only BEGIN before the first write, leaving earlier SELECTs outside
    # the transaction (a claim that reads then updates could then hand one row to two workers).
    # IMMEDIATE takes the write lock up front, so concurrent writers queue on busy_timeout rather
    # than failing mid-transaction when a read lock cannot be upgraded. A session that only
    # reads (health, metrics) begins DEFERRED: under WAL it reads beside a writer holding the
    # lock, however long that takes, instead of queueing behind it.
    if connection.get_execution_options().get(_READS_ONLY):
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def statistics_statements(dialect: str) -> list[str]:
    """What refreshes the query planner's statistics of every table (ANALYZE).

    Correct plans do not depend on it: the indexes leave the planner one sane choice for every
    hot statement, with statistics or without (tests/storage/test_storage_query_plans.py). But
    a planner that knows how the rows spread keeps choosing well as the tables grow. SQLite's
    recommended `PRAGMA optimize` considers only the tables the same connection queried (before
    3.46), which a pooled connection may not have; ANALYZE with an analysis_limit samples every
    index at a bounded cost instead (milliseconds for millions of reminders). On PostgreSQL
    autovacuum analyzes tables as they change; ANALYZE samples too, and keeps both alike.
    """
    if dialect == "sqlite":
        return [f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}", "ANALYZE"]
    return ["ANALYZE"]


def is_locked(error: BaseException) -> bool:
    """SQLite's "database is locked": another writer held the file longer than busy_timeout."""
    return isinstance(error, OperationalError) and "database is locked" in str(error).lower()


def is_transient(error: BaseException) -> bool:
    """The database could not do it now (locked, connection lost, server restarting); the same
    work again a little later may succeed. A wrong statement or a broken constraint is not."""
    if isinstance(error, DBAPIError):
        return error.connection_invalidated or isinstance(error, OperationalError | InterfaceError)
    return isinstance(error, OSError | TimeoutError)


def make_engine(url: str | URL, *, echo: bool = False, **kwargs: Any) -> AsyncEngine:
    """An AsyncEngine for SQLite (aiosqlite) or PostgreSQL (asyncpg).

    On SQLite every new connection gets WAL, busy_timeout, foreign_keys=ON, and every transaction
    starts with BEGIN IMMEDIATE. Extra keyword arguments go to `create_async_engine`.
    """
    normalized = normalize_url(url)
    if normalized.get_backend_name() == "sqlite":
        # Every use goes through a Connection, whose close rolls back what it began: the pool's
        # own rollback on return would be a second trip to aiosqlite's thread for nothing.
        kwargs.setdefault("pool_reset_on_return", None)
        engine = create_async_engine(normalized, echo=echo, **kwargs)
        event.listen(engine.sync_engine, "connect", _on_sqlite_connect)
        event.listen(engine.sync_engine, "begin", _on_sqlite_begin)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_async_engine(normalized, echo=echo, **kwargs)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # expire_on_commit=False: objects stay readable after commit; reloading an expired attribute
    # would be an implicit query, which AsyncSession cannot do.
    return async_sessionmaker(engine, expire_on_commit=False)


@dataclass(slots=True)
class Database:
    """The engine and its session factory; one per process."""

    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    # Sessions on the same pool whose transactions only read (see `reading`).
    readers: async_sessionmaker[AsyncSession] | None = None

    @classmethod
    def from_url(cls, url: str | URL, **engine_kwargs: Any) -> Database:
        engine = make_engine(url, **engine_kwargs)
        return cls(engine=engine, sessionmaker=make_sessionmaker(engine))

    @property
    def url(self) -> URL:
        return self.engine.url

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A unit of work: commits if the block succeeds, rolls back if it raises.

        One session per task: an AsyncSession must not be shared by concurrent coroutines.
        """
        async with self.sessionmaker() as session:
            try:
                yield session
            except BaseException:
                await session.rollback()
                raise
            await session.commit()

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        """A session for reads only, rolled back at the end. On SQLite its transaction takes
        no write lock, so /healthz and /metrics answer while a long write (a re-plan, another
        process) holds it; on PostgreSQL it is an ordinary session."""
        if self.readers is None:
            self.readers = make_sessionmaker(self.engine.execution_options(**{_READS_ONLY: True}))
        async with self.readers() as session:
            try:
                yield session
            finally:
                await session.rollback()

    async def refresh_statistics(self) -> None:
        """Let the query planner know the tables again (see `statistics_statements`); the
        daily upkeep runs it, and the migrations after changing the schema."""
        async with self.engine.connect() as connection:
            for statement in statistics_statements(self.engine.dialect.name):
                await connection.exec_driver_sql(statement)
            await connection.commit()

    async def close(self) -> None:
        await self.engine.dispose()
