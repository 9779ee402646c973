"""Migrations reach head, can go back down, and describe exactly the models."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (tables on SQLModel.metadata)
from storage import migrate
from storage.db import normalize_url


def _diff(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, SQLModel.metadata)


async def _schema_diff(url: str) -> list[Any]:
    engine = create_async_engine(normalize_url(url), poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(_diff)
    finally:
        await engine.dispose()


async def test_fresh_database_has_no_revision(database_url: str) -> None:
    assert await migrate.current_async(database_url) is None


async def test_upgrade_reaches_head_and_matches_models(database_url: str) -> None:
    await migrate.upgrade_async(database_url)

    assert await migrate.current_async(database_url) == migrate.head()
    assert await _schema_diff(database_url) == []


async def test_upgrade_is_idempotent(database_url: str) -> None:
    await migrate.upgrade_async(database_url)
    await migrate.upgrade_async(database_url)

    assert await migrate.current_async(database_url) == migrate.head()


async def test_downgrade_to_base_and_up_again(database_url: str) -> None:
    await migrate.upgrade_async(database_url)
    await migrate.downgrade_async(database_url, "base")
    assert await migrate.current_async(database_url) is None
    diff = await _schema_diff(database_url)
    missing = {table.name for op, table, *_ in diff if op == "add_table"}
    assert missing == set(SQLModel.metadata.tables)

    await migrate.upgrade_async(database_url)
    assert await _schema_diff(database_url) == []


def test_sync_api_accepts_a_plain_sqlite_url(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'plain.db'}"

    migrate.upgrade(url)

    assert migrate.current(url) == migrate.head()


async def test_instances_starting_together_migrate_one_after_the_other(database_url):
    import asyncio

    from storage.migrate import current_async, head, upgrade_async

    await asyncio.gather(*(upgrade_async(database_url) for _ in range(3)))
    assert await current_async(database_url) == head()
