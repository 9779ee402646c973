"""Run the Alembic migrations from code, without an alembic.ini on disk."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import pool, text
from sqlalchemy.engine import URL, Connection
from sqlalchemy.ext.asyncio import create_async_engine

from storage.db import is_sqlite, normalize_url

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str | URL | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        # An attribute rather than sqlalchemy.url: configparser would choke on a "%" in a password.
        config.attributes["url"] = normalize_url(url).render_as_string(hide_password=False)
    return config


def head() -> str:
    """The revision the code expects the database to be at."""
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"expected one migration head, found {heads}")
    return heads[0]


# Held while migrating, so that instances starting together on one PostgreSQL take turns
# instead of racing to create the same tables ("migrate" in ASCII).
MIGRATION_LOCK = 0x6D696772617465
_LOCAL_LOCK = threading.Lock()


@asynccontextmanager
async def migration_lock(url: str | URL) -> AsyncIterator[None]:
    if is_sqlite(url):
        # One SQLite file means one process; within it, upgrades still take turns.
        await asyncio.to_thread(_LOCAL_LOCK.acquire)
        try:
            yield
        finally:
            _LOCAL_LOCK.release()
        return
    engine = create_async_engine(normalize_url(url), poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK})
            try:
                yield
            finally:
                await connection.execute(
                    text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK}
                )
    finally:
        await engine.dispose()


def _upgrade_unlocked(url: str | URL, revision: str) -> None:
    command.upgrade(alembic_config(url), revision)


def upgrade(url: str | URL, revision: str = "head") -> None:
    """Migrate the database up to `revision`. Blocking; from async code use upgrade_async."""
    asyncio.run(upgrade_async(url, revision))


def downgrade(url: str | URL, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)


async def upgrade_async(url: str | URL, revision: str = "head") -> None:
    async with migration_lock(url):
        # env.py runs its own event loop (asyncio.run), which cannot nest inside a running one.
        await asyncio.to_thread(_upgrade_unlocked, url, revision)


async def downgrade_async(url: str | URL, revision: str) -> None:
    await asyncio.to_thread(downgrade, url, revision)


def _current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


async def current_async(url: str | URL) -> str | None:
    """The revision the database is at, or None if it was never migrated."""
    engine = create_async_engine(normalize_url(url), poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(_current_revision)
    finally:
        await engine.dispose()


def current(url: str | URL) -> str | None:
    """Blocking variant of current_async, for scripts and the CLI (not inside an event loop)."""
    return asyncio.run(current_async(url))
