"""One row of one statement, read with as little between the caller and the database as there
can be: the version statements of what is polled (a calendar's feed, a board page kept by its
version; storage/feeds.py, storage/board_version.py). A calendar asking every few minutes, or
a board opened again, costs this one read when nothing changed (issue 17: a 304 in < 5 ms).

On SQLite a statement through SQLAlchemy's aiosqlite adapter makes five trips to aiosqlite's
thread (a cursor, execute, fetch, close, then the rollback) plus a BEGIN; each trip is a
wake-up of the event loop, and together they were most of a 304. Here the statement is
compiled once and run with aiosqlite's `execute_fetchall`: one trip, on a pooled connection,
outside any transaction (a lone SELECT is its own transaction in SQLite). On PostgreSQL it is
an ordinary read-only session.

The values come back as the driver gives them, with none of SQLAlchemy's type processing: the
statements read here select integers and text only (an instant cast to text), so both paths
give the same values. Bound values are integers and text too, which sqlite3 takes as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, String, cast
from sqlalchemy.engine import Dialect

from storage.db import Database


def as_text(instant: ColumnElement[Any]) -> ColumnElement[str]:
    """An instant selected as text, as a statement read here selects it."""
    return cast(instant, String())


def text_instant(text: str | None) -> datetime | None:
    """The instant `as_text` read (aware, UTC): SQLite's naive UTC digits, or PostgreSQL's
    with their offset."""
    if not text:
        return None
    value = datetime.fromisoformat(text)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class _Compiled:
    # Kept with its compiled form so that an id reused by another statement never matches.
    statement: Select[Any]
    sql: str
    # The bound parameters' names in the order of the statement's "?" marks, and the values
    # the statement carries itself (literals such as a role's name), by name.
    names: tuple[str, ...]
    carried: dict[str, Any]


# Statement id → compiled, for the few statements read here (each built once: functools.cache).
_COMPILED: dict[int, _Compiled] = {}


def _compiled(statement: Select[Any], dialect: Dialect) -> _Compiled:
    kept = _COMPILED.get(id(statement))
    if kept is not None and kept.statement is statement:
        return kept
    compiled = statement.compile(dialect=dialect)
    names = tuple(compiled.positiontup or ())
    kept = _Compiled(statement, compiled.string, names, dict(compiled.params))
    _COMPILED[id(statement)] = kept
    return kept


async def read_row(
    db: Database, statement: Select[Any], params: dict[str, Any]
) -> tuple[Any, ...] | None:
    """The statement's first row (None when it has none), its bound parameters from `params`."""
    if db.engine.dialect.name != "sqlite":
        async with db.reading() as session:
            row = (await session.execute(statement, params)).first()
            return tuple(row) if row is not None else None
    compiled = _compiled(statement, db.engine.dialect)
    values = compiled.carried | params
    arguments = tuple(values[name] for name in compiled.names)
    async with db.engine.connect() as connection:
        # The pooled connection without SQLAlchemy's transaction: nothing begins, so nothing
        # is rolled back either (the SQLite pool resets nothing on return: storage.db).
        driver = (await connection.get_raw_connection()).driver_connection
        assert driver is not None, "a pooled connection has its driver's"
        rows = await driver.execute_fetchall(compiled.sql, arguments)
    return tuple(rows[0]) if rows else None
