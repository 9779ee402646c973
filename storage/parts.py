"""Each lead department's own part of an item (issue 16 §1), in the caller's session (no commit).

A part is an ItemDepartment link: lead links are required, assist links (配合) are informed only
and never waited for. Item.status/progress/done_at stay stored as the aggregate, changed in the
same unit of work as the part: done when every lead part is done, progress the mean of the lead
parts. An item without lead departments has no parts and keeps its single state (close_item).

Every change writes one ItemEvent whose data is
    {"department_id": id or None (the whole item), "before": {item state}, "after": {item state},
     "parts": {"<department id>": {"before": {part state}, "after": {part state}}}}
so /undo's existing restore of "before" puts the item back and `restore_parts` the parts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.item_changes import Author, record_event
from storage.item_queries import load_item
from storage.models import (
    Department,
    DepartmentRole,
    Item,
    ItemDepartment,
    ItemEvent,
    ItemEventKind,
    ItemStatus,
    PartStatus,
)
from storage.rows import pk

PART_FIELDS = ("status", "progress", "done_at")


class PartOutcome(StrEnum):
    APPLIED = "applied"
    # Already in that state, the same progress, or a done part's progress.
    UNCHANGED = "unchanged"
    GONE = "gone"
    # The department is not a lead department of the item (assist, or not linked at all).
    NOT_A_PART = "not_a_part"


@dataclass(frozen=True, slots=True)
class Part:
    department_id: int
    name: str
    role: str
    status: str
    progress: int
    done_at: datetime | None

    @property
    def required(self) -> bool:
        return self.role == DepartmentRole.LEAD.value

    @property
    def owing(self) -> bool:
        """A lead part still to be done: not done and not a done claim awaiting review. Only
        these departments are reminded or listed as owing the item."""
        return self.required and self.status == PartStatus.OPEN.value


@dataclass(slots=True)
class PartChange:
    outcome: PartOutcome
    item: Item | None = None
    event: ItemEvent | None = None
    # The item's aggregate status moved (open → done or back) with this change.
    item_status_changed: bool = False

    @property
    def applied(self) -> bool:
        return self.outcome is PartOutcome.APPLIED


def _state(row: Item | ItemDepartment) -> dict[str, Any]:
    return {
        "status": row.status,
        "progress": row.progress,
        "done_at": row.done_at.isoformat() if row.done_at else None,
    }


def _set_state(row: Item | ItemDepartment, values: dict[str, Any]) -> None:
    row.status = values["status"]
    row.progress = values["progress"]
    row.done_at = datetime.fromisoformat(values["done_at"]) if values["done_at"] else None


def _leads(item: Item) -> list[ItemDepartment]:
    return [link for link in item.department_links if link.role == DepartmentRole.LEAD.value]


def aggregate(leads: list[ItemDepartment]) -> tuple[str, int]:
    """The item's status and progress from its lead parts (a part in review is not done yet)."""
    done = all(link.status == PartStatus.DONE.value for link in leads)
    progress = sum(100 if link.status == PartStatus.DONE.value else link.progress for link in leads)
    return (ItemStatus.DONE if done else ItemStatus.OPEN).value, progress // len(leads)


def _settle(item: Item, now: datetime) -> None:
    """Item state from its lead parts; done_at is the moment the last part was done."""
    leads = _leads(item)
    status, progress = aggregate(leads)
    item.status, item.progress = status, progress
    if status == ItemStatus.DONE.value:
        item.done_at = max((link.done_at or now for link in leads), default=now)
    else:
        item.done_at = None


async def item_parts(session: AsyncSession, item_id: int) -> list[Part]:
    """Every department link of the item in document order, leads and assists (PK range read)."""
    rows = await session.execute(
        select(ItemDepartment, col(Department.name))
        .join(Department, pk(Department.id) == col(ItemDepartment.department_id))
        .where(col(ItemDepartment.item_id) == item_id)
        .order_by(col(ItemDepartment.position))
    )
    return [_part(link, name) for link, name in rows]


def _part(link: ItemDepartment, name: str) -> Part:
    return Part(
        department_id=link.department_id or 0,
        name=name,
        role=link.role,
        status=link.status,
        progress=link.progress,
        done_at=link.done_at,
    )


def parts_of(item: Item) -> list[Part]:
    """item_parts from links already loaded with the item (department_links → department, as
    every loader of items does): a listing shows each item's parts without a query per item."""
    return [_part(link, link.department.name) for link in item.department_links]


async def _change(
    session: AsyncSession,
    item_id: int,
    department_id: int | None,
    author: Author,
    now: datetime,
    kind: ItemEventKind,
    apply: Any,
    *,
    text: str = "",
    percent: int | None = None,
) -> PartChange:
    """Lock the item, let `apply(links)` change the chosen lead links (returning whether it did),
    settle the aggregate and write the history row."""
    item = await load_item(session, item_id, for_update=True)
    if item is None:
        return PartChange(PartOutcome.GONE)
    leads = _leads(item)
    if department_id is not None:
        leads = [link for link in leads if link.department_id == department_id]
        if not leads:
            return PartChange(PartOutcome.NOT_A_PART, item)
    item_before = _state(item)
    parts_before = {str(link.department_id): _state(link) for link in leads}
    if not apply(leads):
        return PartChange(PartOutcome.UNCHANGED, item)
    if _leads(item):
        _settle(item, now)
    data = {
        "department_id": department_id,
        "before": item_before,
        "after": _state(item),
        "parts": {
            key: {"before": parts_before[key], "after": _state(link)}
            for key, link in ((str(link.department_id), link) for link in leads)
            if parts_before[key] != _state(link)
        },
    }
    event = record_event(session, item, kind, author, now, text=text, percent=percent, data=data)
    await session.flush()
    return PartChange(
        PartOutcome.APPLIED, item, event, item_status_changed=item_before["status"] != item.status
    )


async def mark_part_done(
    session: AsyncSession,
    item_id: int,
    department_id: int,
    author: Author,
    now: datetime,
    note: str = "",
) -> PartChange:
    """The department's part done at `now` (100%); the item is done once every lead part is."""

    def apply(links: list[ItemDepartment]) -> bool:
        link = links[0]
        if link.status == PartStatus.DONE.value:
            return False
        link.status, link.progress, link.done_at = PartStatus.DONE.value, 100, now
        return True

    return await _change(
        session, item_id, department_id, author, now, ItemEventKind.DONE, apply,
        text=note, percent=100,
    )  # fmt: skip


async def reopen_part(
    session: AsyncSession,
    item_id: int,
    department_id: int,
    author: Author,
    now: datetime,
    progress: int = 0,
) -> PartChange:
    """A done (or in-review) part open again at `progress`; the item reopens with it."""

    def apply(links: list[ItemDepartment]) -> bool:
        link = links[0]
        if link.status == PartStatus.OPEN.value:
            return False
        link.status, link.progress, link.done_at = PartStatus.OPEN.value, progress, None
        return True

    return await _change(session, item_id, department_id, author, now, ItemEventKind.REOPEN, apply)


async def report_part_progress(
    session: AsyncSession,
    item_id: int,
    department_id: int,
    author: Author,
    percent: int,
    now: datetime,
    note: str = "",
) -> PartChange:
    """The part's progress; UNCHANGED for a part not open or at the same value."""
    if not 0 <= percent <= 100:
        raise ValueError(f"progress {percent} is not between 0 and 100")

    def apply(links: list[ItemDepartment]) -> bool:
        link = links[0]
        if link.status != PartStatus.OPEN.value or link.progress == percent:
            return False
        link.progress = percent
        return True

    return await _change(
        session, item_id, department_id, author, now, ItemEventKind.PROGRESS, apply,
        text=note, percent=percent,
    )  # fmt: skip


async def close_item(
    session: AsyncSession, item_id: int, author: Author, now: datetime, note: str = ""
) -> PartChange:
    """A leader or admin closes the whole item: every lead part not yet done is done at `now`.

    An item without lead departments is simply done, as before parts existed.
    """
    item = await load_item(session, item_id, for_update=True)
    if item is None:
        return PartChange(PartOutcome.GONE)
    if not _leads(item):
        if item.status == ItemStatus.DONE.value:
            return PartChange(PartOutcome.UNCHANGED, item)
        before = _state(item)
        item.status, item.progress, item.done_at = ItemStatus.DONE.value, 100, now
        data = {"department_id": None, "before": before, "after": _state(item), "parts": {}}
        event = record_event(
            session, item, ItemEventKind.DONE, author, now, text=note, percent=100, data=data
        )
        await session.flush()
        return PartChange(PartOutcome.APPLIED, item, event, item_status_changed=True)

    def apply(links: list[ItemDepartment]) -> bool:
        open_links = [link for link in links if link.status != PartStatus.DONE.value]
        for link in open_links:
            link.status, link.progress, link.done_at = PartStatus.DONE.value, 100, now
        return bool(open_links)

    return await _change(
        session, item_id, None, author, now, ItemEventKind.DONE, apply, text=note, percent=100
    )


def restore_parts(item: Item, data: dict[str, Any]) -> bool:
    """Put the item's parts back as a part change's history row found them (the item's own
    fields are the row's "before", which /undo already restores); False if `data` is not a
    part change. `item` must have its department links loaded (load_item)."""
    parts = data.get("parts")
    if "department_id" not in data or not isinstance(parts, dict):
        return False
    links = {str(link.department_id): link for link in item.department_links}
    for key, states in parts.items():
        link = links.get(key)
        if link is not None:  # a department removed since by /edit has no part to restore
            _set_state(link, states["before"])
    return True


async def undo_part_change(
    session: AsyncSession, event: ItemEvent, author: Author, now: datetime
) -> PartChange:
    """Take back one part change (`event`): the item and its parts as they were before it, with
    an UNDO history row saying so. The caller decides whether it may (window, later changes)."""
    data = dict(event.data or {})
    item = await load_item(session, event.item_id, for_update=True)
    if item is None:
        return PartChange(PartOutcome.GONE)
    if "department_id" not in data:
        return PartChange(PartOutcome.NOT_A_PART, item)
    item_before = _state(item)
    current = {
        str(link.department_id): _state(link)
        for link in item.department_links
        if str(link.department_id) in data.get("parts", {})
    }
    _set_state(item, data["before"])
    restore_parts(item, data)
    undo = {
        "undoes": event.id,
        "kind": event.kind,
        "department_id": data["department_id"],
        "before": item_before,
        "after": data["before"],
        "parts": {
            key: {"before": state, "after": data["parts"][key]["before"]}
            for key, state in current.items()
        },
    }
    record = record_event(session, item, ItemEventKind.UNDO, author, now, data=undo)
    await session.flush()
    return PartChange(
        PartOutcome.APPLIED, item, record, item_status_changed=item_before["status"] != item.status
    )
