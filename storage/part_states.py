"""The state of an item and of its parts as values: read, set, aggregated, put back from a
history row. Pure (no session): storage/parts.py changes parts with these, and
storage/item_changes.py (/edit of the departments, /undo) keeps parts and item consistent with
the same functions, so there is one rule for the aggregate.

A part is an ItemDepartment link; only lead links are required (an assist link, 配合, is
informed and never waited for). The item's own status/progress/done_at are the aggregate of
its lead parts; an item without lead links keeps its single state.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from storage.models import DepartmentRole, Item, ItemDepartment, ItemStatus, PartStatus

STATE_FIELDS = ("status", "progress", "done_at")


def state_of(row: Item | ItemDepartment) -> dict[str, Any]:
    """An item's or a part's state, JSON-ready (the history rows keep it so)."""
    return {
        "status": row.status,
        "progress": row.progress,
        "done_at": row.done_at.isoformat() if row.done_at else None,
    }


def set_state(row: Item | ItemDepartment, values: dict[str, Any]) -> None:
    row.status = values["status"]
    row.progress = values["progress"]
    row.done_at = datetime.fromisoformat(values["done_at"]) if values["done_at"] else None


def lead_links(item: Item) -> list[ItemDepartment]:
    """The item's required parts (department links loaded), in document order."""
    return [link for link in item.department_links if link.role == DepartmentRole.LEAD.value]


def aggregate(leads: list[ItemDepartment]) -> tuple[str, int]:
    """The item's status and progress from its lead parts (a part in review is not done yet)."""
    done = all(link.status == PartStatus.DONE.value for link in leads)
    progress = sum(100 if link.status == PartStatus.DONE.value else link.progress for link in leads)
    return (ItemStatus.DONE if done else ItemStatus.OPEN).value, progress // len(leads)


def settle(item: Item, now: datetime) -> None:
    """The item's state from its lead parts, if it has any; done_at is the moment the last part
    was done. An item without lead parts keeps its own state."""
    leads = lead_links(item)
    if not leads:
        return
    status, progress = aggregate(leads)
    item.status, item.progress = status, progress
    if status == ItemStatus.DONE.value:
        item.done_at = max((link.done_at or now for link in leads), default=now)
    else:
        item.done_at = None


def restore_parts(item: Item, data: dict[str, Any]) -> dict[str, dict[str, Any]] | None:
    """Put the item's parts back as a part change's history row found them (the item's own
    fields are the row's "before", which /undo restores); the parts' states just before, by
    department id, for the undo's own row; None if `data` is not a part change. `item` must
    have its department links loaded (load_item)."""
    parts = data.get("parts")
    if "department_id" not in data or not isinstance(parts, dict):
        return None
    links = {str(link.department_id): link for link in item.department_links}
    current: dict[str, dict[str, Any]] = {}
    for key, states in parts.items():
        link = links.get(key)
        if link is not None:  # a department removed since by /edit has no part to restore
            current[key] = state_of(link)
            set_state(link, states["before"])
    return current


def awaiting_review(item: Item) -> bool:
    """待审核: every lead part done or claimed done, at least one awaiting a supervisor's
    approval (issue 16 §3). Derived, not stored: item.status stays open until approved, so
    every reader of the item's status reads it as it always did."""
    leads = lead_links(item)
    return (
        bool(leads)
        and all(link.status != PartStatus.OPEN.value for link in leads)
        and any(link.status == PartStatus.REVIEW.value for link in leads)
    )
