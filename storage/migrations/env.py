"""Alembic environment for planbot.

Run through storage.migrate (no alembic.ini needed), or for authoring a revision:
    alembic -c storage/migrations/alembic.ini -x url=sqlite:///dev.db \
        revision --autogenerate --rev-id 0002 -m "..."
It deliberately never calls logging.config.fileConfig: the application owns logging.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from alembic import context
from alembic.autogenerate.api import AutogenContext
from alembic.operations.ops import MigrationScript
from sqlalchemy import event, pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import async_engine_from_config
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from storage.db import SQLITE_BUSY_TIMEOUT_MS, normalize_url, statistics_statements
from storage.types import UTCDateTime

config = context.config
target_metadata = SQLModel.metadata


def _database_url() -> str:
    # storage.migrate passes the URL as an attribute, which avoids configparser's "%" handling.
    url = (
        config.attributes.get("url")
        or context.get_x_argument(as_dictionary=True).get("url")
        or config.get_main_option("sqlalchemy.url")
        or os.environ.get("PLANBOT_DATABASE_URL")
    )
    if not url:
        raise RuntimeError(
            "no database URL: pass -x url=..., set sqlalchemy.url or PLANBOT_DATABASE_URL"
        )
    return normalize_url(url).render_as_string(hide_password=False)


def _render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | bool:
    # Migrations must not import application types: they are frozen history, the types are not.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _skip_empty_revision(ctx: Any, revision: Any, directives: list[MigrationScript]) -> None:
    if getattr(config.cmd_opts, "autogenerate", False):
        script = directives[0]
        if script.upgrade_ops is not None and script.upgrade_ops.is_empty():
            directives[:] = []


def _configure(**kwargs: Any) -> None:
    context.configure(
        target_metadata=target_metadata,
        # Batch mode is how SQLite alters tables (copy and swap); on PostgreSQL it emits plain
        # ALTERs, so revisions written this way run on both.
        render_as_batch=True,
        compare_type=True,
        render_item=_render_item,
        process_revision_directives=_skip_empty_revision,
        **kwargs,
    )


def run_migrations_offline() -> None:
    _configure(url=_database_url(), literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def _do_run_migrations(connection: Connection) -> None:
    _configure(connection=connection)
    before = context.get_context().get_current_revision()
    with context.begin_transaction():
        context.run_migrations()
        if context.get_context().get_current_revision() != before:
            # A new index has no statistics yet, and the planner would guess until the next
            # daily upkeep.
            for statement in statistics_statements(connection.dialect.name):
                connection.exec_driver_sql(statement)


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        # Batch mode drops and recreates tables; with foreign keys on, dropping a parent table
        # would run its ON DELETE CASCADE and empty the children.
        cursor.execute("PRAGMA foreign_keys=OFF")
    finally:
        cursor.close()


async def run_async_migrations() -> None:
    url = _database_url()
    engine = async_engine_from_config(
        {"sqlalchemy.url": url}, prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _on_sqlite_connect)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_do_run_migrations)
            await connection.commit()
    finally:
        await engine.dispose()


def run_migrations_online() -> None:
    asyncio.run(run_async_migrations())


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
