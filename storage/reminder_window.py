"""The reminder window's one row (revision 0011): how far ahead the overdue reminders of every
open item are planned. Several instances may roll it at once, so it only ever moves forward."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Table, inspect, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ReminderWindow
from storage.types import utcnow

ROW_ID = 1


@dataclass(frozen=True, slots=True)
class Window:
    through: date
    rolled_on: date


def _table() -> Table:
    table = inspect(ReminderWindow).local_table
    assert isinstance(table, Table)
    return table


def insert_ignoring_duplicates(session: AsyncSession, table: Table) -> Any:
    """An INSERT that leaves out rows whose unique key is there already (another instance, or a
    command, planned the same row a moment before), on either backend."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


async def read_window(session: AsyncSession) -> Window | None:
    """The window as the last complete roll left it; None before the first one."""
    table = _table()
    row = (
        await session.execute(
            select(table.c.through, table.c.rolled_on).where(table.c.id == ROW_ID)
        )
    ).first()
    return None if row is None else Window(row.through, row.rolled_on)


async def advance_window(session: AsyncSession, window: Window) -> None:
    """Record a complete roll; a window further ahead (another instance's) stays."""
    table = _table()
    values = {
        "id": ROW_ID,
        "through": window.through,
        "rolled_on": window.rolled_on,
        "updated_at": utcnow(),
    }
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table).values(values)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[table.c.id],
            set_={k: statement.excluded[k] for k in ("through", "rolled_on", "updated_at")},
            where=table.c.through <= statement.excluded.through,
        )
    )
