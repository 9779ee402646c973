"""Test databases: which backends the tests run on, and migrated databases made fast.

Every test that needs a database runs on SQLite, and on PostgreSQL when PLANBOT_TEST_DATABASE_URL
names a server; without one, the PostgreSQL case is skipped with a reason rather than missing.
Migrating takes most of a database's set-up time, so each test process migrates one template
per backend, once, and every test gets a copy of it: SQLite copies the file, PostgreSQL runs
CREATE DATABASE … TEMPLATE.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import ClassVar

import pytest
from sqlalchemy import pool, text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import create_async_engine

from storage.db import normalize_url
from storage.migrate import upgrade_async

POSTGRES_URL_ENV = "PLANBOT_TEST_DATABASE_URL"
BACKENDS = ("sqlite", "postgres")
NO_POSTGRES = f"PostgreSQL case: set {POSTGRES_URL_ENV} to a server's URL to run it"


def postgres_server() -> str | None:
    """The PostgreSQL server tests may create databases on, if any."""
    return os.environ.get(POSTGRES_URL_ENV) or None


def skip_unless_available(backend: str) -> None:
    """Skip the running test, with the reason, when `backend` has no server here."""
    if backend == "postgres" and postgres_server() is None:
        pytest.skip(NO_POSTGRES)


def sqlite_url(directory: Path, name: str = "planbot.sqlite3") -> str:
    return f"sqlite+aiosqlite:///{directory / name}"


def _admin_engine(server_url: str | URL):
    # CREATE/DROP DATABASE cannot run inside a transaction.
    return create_async_engine(
        normalize_url(server_url), isolation_level="AUTOCOMMIT", poolclass=pool.NullPool
    )


@asynccontextmanager
async def fresh_postgres_database(
    server_url: str, *, template: str | None = None
) -> AsyncIterator[str]:
    """Create a uniquely named database on the server of `server_url` (a copy of `template`
    if given, else empty); drop it afterwards."""
    server = normalize_url(server_url)
    name = f"planbot_test_{uuid.uuid4().hex[:16]}"
    copy_of = f' TEMPLATE "{template}"' if template else ""
    admin = _admin_engine(server)
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{name}"{copy_of}'))
        try:
            yield server.set(database=name).render_as_string(hide_password=False)
        finally:
            # FORCE: a test that leaked a connection must not leak its database too.
            async with admin.connect() as connection:
                await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()


class _Templates:
    """This process's migrated templates, made on first use and removed by `drop_templates`."""

    sqlite_dir: Path | None = None
    postgres_name: str | None = None


async def _sqlite_template() -> Path:
    if _Templates.sqlite_dir is None:
        directory = Path(tempfile.mkdtemp(prefix="planbot-template-"))
        await upgrade_async(sqlite_url(directory))
        _Templates.sqlite_dir = directory
    return _Templates.sqlite_dir / "planbot.sqlite3"


async def _postgres_template(server_url: str) -> str:
    if _Templates.postgres_name is None:
        name = f"planbot_template_{uuid.uuid4().hex[:16]}"
        server = normalize_url(server_url)
        admin = _admin_engine(server)
        try:
            async with admin.connect() as connection:
                await connection.execute(text(f'CREATE DATABASE "{name}"'))
        finally:
            await admin.dispose()
        # upgrade_async disposes its engine: nobody is left connected, as TEMPLATE requires.
        await upgrade_async(server.set(database=name).render_as_string(hide_password=False))
        _Templates.postgres_name = name
    return _Templates.postgres_name


@asynccontextmanager
async def migrated_database(backend: str, directory: Path) -> AsyncIterator[str]:
    """The URL of a database of its own migrated to head (a SQLite file in `directory`)."""
    if backend == "sqlite":
        template = await _sqlite_template()
        # The template engine is gone, so its WAL is checkpointed into the one file.
        shutil.copyfile(template, directory / template.name)
        yield sqlite_url(directory, template.name)
        return
    server = postgres_server()
    if server is None:
        raise RuntimeError(NO_POSTGRES)
    name = await _postgres_template(server)
    async with fresh_postgres_database(server, template=name) as url:
        yield url


async def drop_templates() -> None:
    """Remove this process's templates (end of the test session)."""
    if _Templates.sqlite_dir is not None:
        shutil.rmtree(_Templates.sqlite_dir, ignore_errors=True)
        _Templates.sqlite_dir = None
    server = postgres_server()
    if _Templates.postgres_name is not None and server is not None:
        admin = _admin_engine(server)
        try:
            async with admin.connect() as connection:
                await connection.execute(
                    text(f'DROP DATABASE IF EXISTS "{_Templates.postgres_name}" WITH (FORCE)')
                )
        finally:
            await admin.dispose()
        _Templates.postgres_name = None


class _Chat:
    """The backend `running_bot` puts the chat tests' database on (set by tests/bot/conftest),
    and the PostgreSQL database each test directory got, kept for the whole test."""

    backend = "sqlite"
    postgres: ClassVar[dict[Path, str]] = {}


def chat_backend() -> str:
    return _Chat.backend


def use_chat_backend(backend: str) -> None:
    _Chat.backend = backend


async def chat_database(directory: Path) -> str:
    """The URL of the chat tests' database for `directory`, migrated: made on first use, the
    same one again after (a bot started twice in one test finds what the first one stored).
    On SQLite it is the file bot.sqlite3 in `directory`; `drop_chat_databases` ends the rest."""
    if _Chat.backend == "sqlite":
        path = directory / "bot.sqlite3"
        if not path.exists():
            shutil.copyfile(await _sqlite_template(), path)
        return sqlite_url(directory, path.name)
    if directory not in _Chat.postgres:
        server = postgres_server()
        if server is None:
            raise RuntimeError(NO_POSTGRES)
        template = await _postgres_template(server)
        name = f"planbot_test_{uuid.uuid4().hex[:16]}"
        admin = _admin_engine(server)
        try:
            async with admin.connect() as connection:
                await connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        finally:
            await admin.dispose()
        _Chat.postgres[directory] = (
            normalize_url(server).set(database=name).render_as_string(hide_password=False)
        )
    return _Chat.postgres[directory]


async def drop_chat_databases() -> None:
    """Drop the PostgreSQL databases `chat_database` made (end of each test)."""
    server = postgres_server()
    urls, _Chat.postgres = list(_Chat.postgres.values()), {}
    if server is None or not urls:
        return
    admin = _admin_engine(server)
    try:
        async with admin.connect() as connection:
            for url in urls:
                name = normalize_url(url).database
                await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()


async def terminate_connections(server_url: str, database_url: str) -> int:
    """End every connection to `database_url`'s database, as a server restart or an operator's
    pg_terminate_backend would; how many were ended."""
    name = normalize_url(database_url).database
    admin = _admin_engine(server_url)
    try:
        async with admin.connect() as connection:
            result = await connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
            return sum(1 for (ended,) in result if ended)
    finally:
        await admin.dispose()


@asynccontextmanager
async def sqlite_write_lock(url: str) -> AsyncIterator[None]:
    """Another writer on the SQLite file of `url`: it holds the write lock (BEGIN IMMEDIATE)
    until the block ends, so every write planbot tries meanwhile waits, then fails."""
    path = normalize_url(url).database
    assert path, url
    # Used from whichever worker thread asyncio.to_thread picks, one call at a time.
    holder = await asyncio.to_thread(
        sqlite3.connect, path, isolation_level=None, check_same_thread=False
    )
    try:
        await asyncio.to_thread(holder.execute, "BEGIN IMMEDIATE")
        yield
    finally:
        await asyncio.to_thread(holder.execute, "ROLLBACK")
        await asyncio.to_thread(holder.close)
