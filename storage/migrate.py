"""Run the Alembic migrations from code, without an alembic.ini on disk.

Every start upgrades, and nearly always the database is already at the newest revision: that is
one SELECT from alembic_version against the newest revision id read from the scripts' headers;
Alembic itself (its imports, loading every revision script) only runs when there is something
to do (tests/bot/test_lean_imports.py).
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import pool, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine

from storage.db import is_sqlite, normalize_url

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# `revision: str = "0009"` and `down_revision: … = "0008"` (or None) in a revision script.
_REVISION_LINE = re.compile(r'^(down_revision|revision)\b[^=\n]*=\s*(?:"([^"]*)"|None)', re.M)


def alembic_config(url: str | URL | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        # An attribute rather than sqlalchemy.url: configparser would choke on a "%" in a password.
        config.attributes["url"] = normalize_url(url).render_as_string(hide_password=False)
    return config


def head() -> str:
    """The revision the code expects the database to be at: the one no other revises.

    Read from the scripts' headers rather than through Alembic, which would import and run them
    all; a test checks it against Alembic's own answer."""
    revised: set[str | None] = set()
    revisions: set[str | None] = set()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        fields = dict(_REVISION_LINE.findall(script.read_text(encoding="utf-8")))
        revisions.add(fields.get("revision") or None)
        revised.add(fields.get("down_revision") or None)
    heads = sorted(r for r in revisions - revised if r is not None)
    if len(heads) != 1 or None in revisions:
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
    from alembic import command

    command.upgrade(alembic_config(url), revision)


def upgrade(url: str | URL, revision: str = "head") -> None:
    """Migrate the database up to `revision`. Blocking; from async code use upgrade_async."""
    asyncio.run(upgrade_async(url, revision))


def downgrade(url: str | URL, revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(url), revision)


async def upgrade_async(url: str | URL, revision: str = "head") -> None:
    if revision == "head" and await current_async(url) == head():
        return
    async with migration_lock(url):
        # env.py runs its own event loop (asyncio.run), which cannot nest inside a running one.
        await asyncio.to_thread(_upgrade_unlocked, url, revision)


async def downgrade_async(url: str | URL, revision: str) -> None:
    await asyncio.to_thread(downgrade, url, revision)


async def current_async(url: str | URL) -> str | None:
    """The revision the database is at, or None if it was never migrated."""
    engine = create_async_engine(normalize_url(url), poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            try:
                rows = await connection.execute(text("SELECT version_num FROM alembic_version"))
            except DBAPIError:  # no such table: never migrated
                return None
            versions = list(rows.scalars())
    finally:
        await engine.dispose()
    if len(versions) > 1:
        raise RuntimeError(f"the database is at several revisions at once: {versions}")
    return versions[0] if versions else None


def current(url: str | URL) -> str | None:
    """Blocking variant of current_async, for scripts and the CLI (not inside an event loop)."""
    return asyncio.run(current_async(url))
