"""Counting the database transactions a piece of work opens (each BEGIN on the engine)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine


@dataclass
class Tally:
    transactions: int = 0
    statements: int = 0
    counting: bool = False


@contextmanager
def counted(engine: AsyncEngine) -> Iterator[Tally]:
    """Transactions and statements run on `engine` inside the block.

    The listeners stay on the engine afterwards, switched off: removing a listener while
    another task's connection is beginning would mutate the list SQLAlchemy is iterating."""
    tally = Tally(counting=True)

    def began(_connection: Any) -> None:
        if tally.counting:
            tally.transactions += 1

    def ran(*_args: Any) -> None:
        if tally.counting:
            tally.statements += 1

    sync = engine.sync_engine
    event.listen(sync, "begin", began)
    event.listen(sync, "before_cursor_execute", ran)
    try:
        yield tally
    finally:
        tally.counting = False
