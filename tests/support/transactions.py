"""Counting the database transactions a piece of work opens (each BEGIN on the engine), and
the statements it runs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine


@dataclass
class Tally:
    transactions: int = 0
    statements: int = 0
    counting: bool = False
    # Each statement as sent to the driver, with its parameters (the first set of an
    # executemany), in order.
    executed: list[tuple[str, Any]] = field(default_factory=list)


@contextmanager
def counted(engine: AsyncEngine) -> Iterator[Tally]:
    """Transactions and statements run on `engine` inside the block.

    The listeners stay on the engine afterwards, switched off: removing a listener while
    another task's connection is beginning would mutate the list SQLAlchemy is iterating."""
    tally = Tally(counting=True)

    def began(_connection: Any) -> None:
        if tally.counting:
            tally.transactions += 1

    def ran(
        _connection: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, many: bool
    ) -> None:
        if tally.counting:
            tally.statements += 1
            tally.executed.append((statement, parameters[0] if many else parameters))

    sync = engine.sync_engine
    event.listen(sync, "begin", began)
    event.listen(sync, "before_cursor_execute", ran)
    try:
        yield tally
    finally:
        tally.counting = False
