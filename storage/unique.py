"""Insert-or-fetch for rows guarded by a unique constraint."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")


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
