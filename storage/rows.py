"""What a row read back from the database is sure to have: its primary key.

The tables declare `id: int | None` because a row built in Python has no key until it is
flushed; every row loaded or flushed has one. `row_id` says so once, with a check that holds
under `python -O` too, instead of an `assert` at each use; `pk` says it for a key column in a
query; `related` for a relationship in a loader option.
"""

from __future__ import annotations

from typing import Any, Protocol, cast

from sqlalchemy.orm import Mapped, QueryableAttribute
from sqlmodel import col


class _Keyed(Protocol):
    @property
    def id(self) -> int | None: ...


def row_id(row: _Keyed) -> int:
    """The primary key of a flushed or loaded row."""
    if row.id is None:
        raise RuntimeError(f"{type(row).__name__} has no id yet; flush first")
    return row.id


def pk(column: int | None) -> Mapped[int]:
    """A primary-key column in a query, typed as what it holds: NOT NULL, so always an int.

    `col(Item.id)` would say `int | None`, the type of the attribute of a row not yet flushed.
    """
    return cast("Mapped[int]", col(column))


def related(attribute: object) -> QueryableAttribute[Any]:
    """A relationship named in a loader option (`selectinload(related(Item.plan))`).

    The class attribute is typed as what an instance holds (a `Plan`); this says what it is.
    """
    if not isinstance(attribute, QueryableAttribute):
        raise TypeError(f"{attribute!r} is not a mapped attribute")
    return attribute
