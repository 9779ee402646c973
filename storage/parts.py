"""Each lead department's part of an item (issue 16 §1), in the caller's session (no commit).

A part is an ItemDepartment link: lead links are required, assist links (配合) are informed only
and never waited for. Item.status/progress/done_at stay stored as the aggregate, changed in the
same unit of work as the part (storage/part_states.py): done when every lead part is done,
progress the mean of the lead parts. An item without lead departments has no parts and keeps its
single state: the whole-item changes here (close_item, reopen_item, report_item_progress) then
change the item itself, so every change of an item's state from the chat goes through here.

Every change writes one ItemEvent whose data is
    {"department_id": id or None (the whole item), "before": {item state}, "after": {item state},
     "parts": {"<department id>": {"before": {part state}, "after": {part state}}}}
(a change of several departments' parts at once, a member of two, also has "department_ids"),
so /undo (storage.item_changes.undo_last) puts the item back from "before" and the parts with
`restore_parts`.

Completion review (issue 16 §3) adds "review" to the data: "claimed" (a part put in review by
its department), "approved" (销号: the part done at the approval) or "returned" (退回: the part
open again, the reason in the row's text). No new history kind: a claim and an approval are
DONE rows, a return a REOPEN row, so the history, /undo and the exports read them as today.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

from storage.item_changes import Author, ItemChange, Outcome, record_event, undone_ids
from storage.item_queries import load_item
from storage.models import (
    Department,
    DepartmentMember,
    DepartmentRole,
    Item,
    ItemDepartment,
    ItemEvent,
    ItemEventKind,
    ItemStatus,
    PartStatus,
    Person,
)
from storage.part_states import lead_links, restore_parts, settle, state_of
from storage.rows import pk

__all__ = [
    "Part",
    "Review",
    "approve_part",
    "awaiting_review_clause",
    "close_item",
    "item_parts",
    "mark_part_done",
    "member_departments",
    "reopen_item",
    "reopen_part",
    "report_item_progress",
    "report_part_progress",
    "restore_parts",
    "return_part",
    "review_times",
]


class Review(StrEnum):
    """What a history row's data["review"] says of a completion review (issue 16 §3)."""

    CLAIMED = "claimed"
    APPROVED = "approved"
    RETURNED = "returned"


def _event_departments(data: dict[str, Any]) -> list[Any]:
    several = data.get("department_ids")
    return list(several) if isinstance(several, list) else [data.get("department_id")]


def review_times(history: Iterable[ItemEvent]) -> dict[int, timedelta]:
    """How long each approval (销号) in the history rows given (oldest first: an item's, or a
    whole plan's) took: its time minus that of the latest claim of the same item's same
    department before it; by the approval's row id. Pure, over the rows the caller already read,
    so the exports need no query per item."""
    claimed: dict[tuple[int, Any], datetime] = {}
    times: dict[int, timedelta] = {}
    for row in history:
        data = row.data or {}
        review = data.get("review")
        if review == Review.CLAIMED.value:
            for department in _event_departments(data):
                claimed[(row.item_id, department)] = row.created_at
        elif review == Review.APPROVED.value and row.id is not None:
            since = claimed.get((row.item_id, data.get("department_id")))
            if since is not None:
                times[row.id] = max(row.created_at - since, timedelta(0))
    return times


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


# Changes the chosen lead links (the item itself when it has none and the change is the whole
# item's); whether it changed anything.
Apply = Callable[[Item, list[ItemDepartment]], bool]


def _ids(department_ids: int | Iterable[int] | None) -> list[int] | None:
    if department_ids is None:
        return None
    return [department_ids] if isinstance(department_ids, int) else list(department_ids)


async def _change(
    session: AsyncSession,
    item_id: int,
    department_ids: int | Iterable[int] | None,
    author: Author,
    now: datetime,
    kind: ItemEventKind,
    apply: Apply,
    *,
    text: str = "",
    percent: int | None = None,
    extra: dict[str, Any] | None = None,
) -> ItemChange:
    """Lock the item, let `apply` change the chosen lead links (all of them for None), settle
    the aggregate and write the history row."""
    item = await load_item(session, item_id, for_update=True)
    if item is None:
        return ItemChange(Outcome.GONE)
    leads = lead_links(item)
    wanted = _ids(department_ids)
    if wanted is not None:
        leads = [link for link in leads if link.department_id in wanted]
        if not leads:
            return ItemChange(Outcome.NOT_A_PART, item)
    item_before = state_of(item)
    parts_before = {str(link.department_id): state_of(link) for link in leads}
    if not apply(item, leads):
        return ItemChange(Outcome.UNCHANGED, item)
    settle(item, now)
    data: dict[str, Any] = {
        "department_id": wanted[0] if wanted else None,
        "before": item_before,
        "after": state_of(item),
        "parts": {
            key: {"before": parts_before[key], "after": state_of(link)}
            for key, link in ((str(link.department_id), link) for link in leads)
            if parts_before[key] != state_of(link)
        },
        **(extra or {}),
    }
    if wanted is not None and len(wanted) > 1:
        data["department_ids"] = wanted
    event = record_event(session, item, kind, author, now, text=text, percent=percent, data=data)
    await session.flush()
    return ItemChange(
        Outcome.APPLIED, item, event, item_status_changed=item_before["status"] != item.status
    )


def _finish(link: ItemDepartment | Item, now: datetime) -> None:
    link.status, link.progress, link.done_at = PartStatus.DONE.value, 100, now


async def mark_part_done(
    session: AsyncSession,
    item_id: int,
    department_ids: int | Sequence[int],
    author: Author,
    now: datetime,
    note: str = "",
    *,
    review: bool = False,
) -> ItemChange:
    """The departments' parts done at `now` (100%); the item is done once every lead part is.
    With `review` the parts go to review instead (a claim a supervisor approves or returns):
    not done, so the item is not either. UNCHANGED when every part already is so."""
    target = PartStatus.REVIEW if review else PartStatus.DONE

    def apply(item: Item, links: list[ItemDepartment]) -> bool:
        moving = [link for link in links if link.status == PartStatus.OPEN.value]
        if not review:
            moving += [link for link in links if link.status == PartStatus.REVIEW.value]
        for link in moving:
            if review:
                link.status, link.progress, link.done_at = target.value, 100, None
            else:
                _finish(link, now)
        return bool(moving)

    extra = {"review": Review.CLAIMED.value} if review else None
    return await _change(
        session, item_id, department_ids, author, now, ItemEventKind.DONE, apply,
        text=note, percent=100, extra=extra,
    )  # fmt: skip


async def approve_part(
    session: AsyncSession, item_id: int, department_id: int, author: Author, now: datetime
) -> ItemChange:
    """销号: a part in review done at `now` (the item done on the day approved, if it was the
    last); UNCHANGED when the part is not in review (approved or returned meanwhile)."""

    def apply(item: Item, links: list[ItemDepartment]) -> bool:
        link = links[0]
        if link.status != PartStatus.REVIEW.value:
            return False
        _finish(link, now)
        return True

    return await _change(
        session, item_id, department_id, author, now, ItemEventKind.DONE, apply,
        percent=100, extra={"review": Review.APPROVED.value},
    )  # fmt: skip


async def return_part(
    session: AsyncSession,
    item_id: int,
    department_id: int,
    author: Author,
    reason: str,
    now: datetime,
) -> ItemChange:
    """退回: a part in review open again, at its last progress below 100, with the reason in
    the history; UNCHANGED when the part is not in review."""
    back = await _last_progress_below_done(session, item_id, department_id)

    def apply(item: Item, links: list[ItemDepartment]) -> bool:
        link = links[0]
        if link.status != PartStatus.REVIEW.value:
            return False
        link.status, link.progress, link.done_at = PartStatus.OPEN.value, back, None
        return True

    return await _change(
        session, item_id, department_id, author, now, ItemEventKind.REOPEN, apply,
        text=reason, extra={"review": Review.RETURNED.value},
    )  # fmt: skip


async def reopen_part(
    session: AsyncSession,
    item_id: int,
    department_id: int,
    author: Author,
    now: datetime,
    progress: int | None = None,
) -> ItemChange:
    """A done (or in-review) part open again at `progress`, by default the last percentage
    below 100 its history recorded; the item reopens with it."""
    if progress is None:
        progress = await _last_progress_below_done(session, item_id, department_id)
    back = progress

    def apply(item: Item, links: list[ItemDepartment]) -> bool:
        link = links[0]
        if link.status == PartStatus.OPEN.value:
            return False
        link.status, link.progress, link.done_at = PartStatus.OPEN.value, back, None
        return True

    return await _change(session, item_id, department_id, author, now, ItemEventKind.REOPEN, apply)


async def reopen_item(
    session: AsyncSession, item_id: int, author: Author, now: datetime
) -> ItemChange:
    """A done item open again; UNCHANGED if it was not done.

    An open item at 100% would read as finished, so its progress goes back to the last
    percentage below 100 its history recorded (and was not undone), or 0: every lead part not
    open goes back to it (the item is then open at the mean of its parts). The history row holds
    the state before, so /undo of a reopen puts back done and 100%.
    """
    back = await _last_progress_below_done(session, item_id)

    def apply(item: Item, links: list[ItemDepartment]) -> bool:
        if item.status != ItemStatus.DONE.value:
            return False
        rows: list[Item | ItemDepartment] = [
            link for link in links if link.status != PartStatus.OPEN.value
        ]
        for row in rows or [item]:
            row.status, row.progress, row.done_at = PartStatus.OPEN.value, back, None
        return True

    return await _change(session, item_id, None, author, now, ItemEventKind.REOPEN, apply)


async def report_part_progress(
    session: AsyncSession,
    item_id: int,
    department_ids: int | Sequence[int],
    author: Author,
    percent: int,
    now: datetime,
    note: str = "",
) -> ItemChange:
    """The parts' progress; UNCHANGED when none of them is open. The same percentage again is
    recorded too: "still at 60%" is a report."""
    return await _progress(session, item_id, department_ids, author, percent, now, note)


async def report_item_progress(
    session: AsyncSession, item_id: int, author: Author, percent: int, now: datetime, note: str = ""
) -> ItemChange:
    """A leader's or admin's percentage for the whole item: every open lead part is set to it
    (the item's progress is then their mean, a done part counting 100%); an item without lead
    parts takes it itself. UNCHANGED for a done item."""
    return await _progress(session, item_id, None, author, percent, now, note)


async def _progress(
    session: AsyncSession,
    item_id: int,
    department_ids: int | Sequence[int] | None,
    author: Author,
    percent: int,
    now: datetime,
    note: str,
) -> ItemChange:
    if not 0 <= percent <= 100:
        raise ValueError(f"progress {percent} is not between 0 and 100")

    def apply(item: Item, links: list[ItemDepartment]) -> bool:
        if department_ids is None and not links:
            if item.status == ItemStatus.DONE.value:
                return False
            item.progress = percent
            return True
        open_links = [link for link in links if link.status == PartStatus.OPEN.value]
        for link in open_links:
            link.progress = percent
        return bool(open_links)

    return await _change(
        session, item_id, department_ids, author, now, ItemEventKind.PROGRESS, apply,
        text=note, percent=percent,
    )  # fmt: skip


async def close_item(
    session: AsyncSession, item_id: int, author: Author, now: datetime, note: str = ""
) -> ItemChange:
    """A leader or admin closes the whole item: every lead part not yet done (in review too) is
    done at `now`. An item without lead departments is simply done, as before parts existed."""

    def apply(item: Item, links: list[ItemDepartment]) -> bool:
        if not links:
            if item.status == ItemStatus.DONE.value:
                return False
            _finish(item, now)
            return True
        open_links = [link for link in links if link.status != PartStatus.DONE.value]
        for link in open_links:
            _finish(link, now)
        return bool(open_links)

    return await _change(
        session, item_id, None, author, now, ItemEventKind.DONE, apply, text=note, percent=100
    )


async def _last_progress_below_done(
    session: AsyncSession, item_id: int, department_id: int | None = None
) -> int:
    """The newest percentage under 100 in the item's history that no /undo took back, or 0;
    for one department's part, only reports that set it (its own, or the whole item's)."""
    events = list(
        await session.scalars(
            select(ItemEvent)
            .where(
                col(ItemEvent.item_id) == item_id,
                or_(
                    col(ItemEvent.percent).is_not(None),
                    col(ItemEvent.kind) == ItemEventKind.UNDO.value,
                ),
            )
            .order_by(pk(ItemEvent.id).desc())
        )
    )
    undone = undone_ids(events)

    def counts(event: ItemEvent) -> bool:
        parts = (event.data or {}).get("parts")
        return department_id is None or not isinstance(parts, dict) or str(department_id) in parts

    return next(
        (
            e.percent
            for e in events
            if e.percent is not None and e.percent < 100 and e.id not in undone and counts(e)
        ),
        0,
    )


async def member_departments(
    session: AsyncSession, item_id: int, tg_user_id: int
) -> dict[int, str]:
    """The item's departments the Telegram user is a member of: department id → role (lead or
    assist). One indexed read of the item's links."""
    rows = await session.execute(
        select(col(ItemDepartment.department_id), col(ItemDepartment.role))
        .join(
            DepartmentMember,
            col(DepartmentMember.department_id) == col(ItemDepartment.department_id),
        )
        .join(Person, pk(Person.id) == col(DepartmentMember.person_id))
        .where(col(ItemDepartment.item_id) == item_id, col(Person.tg_user_id) == tg_user_id)
    )
    return {department_id: role for department_id, role in rows.all() if department_id}


def awaiting_review_clause() -> ColumnElement[bool]:
    """`part_states.awaiting_review` in SQL, about the Item of the enclosing query: a lead part
    in review and none open (two reads of the item's links by their primary key). The
    reminder planner leaves such items unreminded: nothing is owed but the supervisor's word."""
    review, open_part = aliased(ItemDepartment), aliased(ItemDepartment)

    def lead(link: Any, status: PartStatus) -> ColumnElement[bool]:
        return and_(
            col(link.item_id) == pk(Item.id),
            col(link.role) == DepartmentRole.LEAD.value,
            col(link.status) == status.value,
        )

    return and_(
        exists().where(lead(review, PartStatus.REVIEW)),
        ~exists().where(lead(open_part, PartStatus.OPEN)),
    )
