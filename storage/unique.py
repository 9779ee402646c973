"""Insert-or-fetch for rows guarded by a unique constraint."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from functools import partial
from typing import TypeVar

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Department, Person
from storage.text import clean_text
from storage.types import utcnow

T = TypeVar("T")
# A chat's rows that are unique on (chat_id, name).
Named = TypeVar("Named", Person, Department)
# Names per IN (…) list: SQLite and asyncpg cap the number of bound parameters.
_NAMES_PER_QUERY = 5000


async def add_or_fetch(
    session: AsyncSession, obj: T, fetch: Callable[[], Awaitable[T | None]]
) -> T:
    """Insert `obj`; if a concurrent writer inserted the same key first, return that row instead.

    The insert runs in a savepoint so that losing the race does not poison the caller's
    transaction (PostgreSQL refuses every statement after an error until rollback).
    """
    try:
        async with session.begin_nested():
            session.add(obj)
            await session.flush()
    except IntegrityError:
        existing = await fetch()
        if existing is None:
            raise
        return existing
    return obj


async def named_rows(
    session: AsyncSession, model: type[Named], chat_id: int, names: Iterable[str]
) -> dict[str, Named]:
    """The chat's people or departments called `names` (already `clean_name`d), by name; the
    missing ones are created.

    However many names: one SELECT, one INSERT of all the missing (an import of a thousand
    items names its people once, not once per item) and one SELECT of what it inserted. The
    insert bypasses the ORM's flush, so its text is cleaned here as the flush would clean it
    (storage.text). If a concurrent writer (PostgreSQL; SQLite's writers queue) created one of
    them first, the savepoint goes and they are created one by one, each as add_or_fetch does.
    """
    stored = {name: clean_text(name) for name in names}
    found = await _named(session, model, chat_id, set(stored.values()))
    missing = sorted(set(stored.values()) - found.keys())
    if missing:
        stamp = utcnow()
        try:
            async with session.begin_nested():
                await session.execute(
                    insert(model),
                    [{"chat_id": chat_id, "name": name, "created_at": stamp} for name in missing],
                )
        except IntegrityError:
            for name in missing:
                await add_or_fetch(
                    session,
                    model(chat_id=chat_id, name=name),
                    partial(_one, session, model, chat_id, name),
                )
        found |= await _named(session, model, chat_id, set(missing))
    return {name: found[text] for name, text in stored.items()}


async def _named(
    session: AsyncSession, model: type[Named], chat_id: int, names: set[str]
) -> dict[str, Named]:
    ordered = sorted(names)
    found: dict[str, Named] = {}
    for start in range(0, len(ordered), _NAMES_PER_QUERY):
        rows = await session.scalars(
            select(model).where(
                col(model.chat_id) == chat_id,
                col(model.name).in_(ordered[start : start + _NAMES_PER_QUERY]),
            )
        )
        found |= {row.name: row for row in rows}
    return found


async def _one(session: AsyncSession, model: type[Named], chat_id: int, name: str) -> Named | None:
    return await session.scalar(
        select(model).where(col(model.chat_id) == chat_id, col(model.name) == name)
    )
