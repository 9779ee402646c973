"""Changing items from the chat, each change with a history row that makes it undoable.

Every change writes one ItemEvent whose `data` holds {"before": …, "after": …} for the fields it
touched (JSON-ready: dates as ISO strings, leaders and departments as lists of names), so /undo
puts those fields back without guessing what the change did.

Reminders are not touched here: the operation calling these (bot/operations) re-plans them in
the same unit of work, which also commits; storage may not import the planner (imports point
bot → jobs → storage).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from plans.deadline import DeadlineKind, read_deadline
from plans.names import split_names
from plans.relative_deadline import read_deadline_on
from storage.deleted_items import record_deletions
from storage.departments import get_or_create_department
from storage.extensions import deadline_words
from storage.item_queries import load_item
from storage.models import (
    DeletionWay,
    DepartmentRole,
    Item,
    ItemDepartment,
    ItemEvent,
    ItemEventKind,
    ItemLeader,
    ItemStatus,
    Plan,
)
from storage.people import get_or_create_person
from storage.plans import PeriodKey, current_plan, get_plan
from storage.rows import pk, row_id
from storage.unique import add_or_fetch

UNDO_WINDOW = timedelta(minutes=10)
# What /undo may take back: changes of an item's state made by one person.
UNDOABLE = (
    ItemEventKind.DONE.value,
    ItemEventKind.PROGRESS.value,
    ItemEventKind.REOPEN.value,
    ItemEventKind.EDIT.value,
)
# Changes that, made after the one to undo, would be overwritten by undoing it.
_OVERWRITTEN_BY_UNDO = (*UNDOABLE, ItemEventKind.EXTEND.value, ItemEventKind.IMPORT.value)

STATE_FIELDS = ("status", "progress", "done_at")
DEADLINE_FIELDS = ("deadline", "deadline_text", "recurring")


class EditField(StrEnum):
    TITLE = "title"
    LEADERS = "leaders"
    DEPARTMENTS = "departments"
    DEADLINE = "deadline"
    CONTENT = "content"


@dataclass(frozen=True, slots=True)
class Author:
    tg_user_id: int | None
    name: str


class Outcome(StrEnum):
    APPLIED = "applied"
    # Nothing to do: already done, not done, the same value, or a done item's progress.
    UNCHANGED = "unchanged"
    GONE = "gone"
    # /add and /edit: the deadline or the names could not be read; nothing was written.
    BAD_DEADLINE = "bad_deadline"
    EMPTY = "empty"


@dataclass(slots=True)
class ItemChange:
    outcome: Outcome
    item: Item | None = None
    event: ItemEvent | None = None

    @property
    def applied(self) -> bool:
        return self.outcome is Outcome.APPLIED


# -- snapshots --------------------------------------------------------------------------------


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def snapshot(item: Item, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields of an item (links loaded) as JSON-ready values."""
    values: dict[str, Any] = {}
    for name in fields:
        if name == EditField.LEADERS:
            values[name] = [person.name for person in item.leaders]
        elif name == EditField.DEPARTMENTS:
            values[name] = [department.name for department in item.departments]
        else:
            values[name] = _json(getattr(item, name))
    return values


async def _restore(session: AsyncSession, item: Item, values: dict[str, Any]) -> None:
    """Set fields from a snapshot (the inverse of `snapshot`)."""
    for name, value in values.items():
        if name == EditField.LEADERS:
            await _set_leaders(session, item, value)
        elif name == EditField.DEPARTMENTS:
            await _set_departments(session, item, value)
        elif name == "deadline":
            item.deadline = date.fromisoformat(value) if value else None
        elif name == "done_at":
            item.done_at = datetime.fromisoformat(value) if value else None
        else:
            setattr(item, name, value)


async def _set_leaders(session: AsyncSession, item: Item, names: list[str]) -> None:
    # Names first: creating a person flushes, and half-built links must not be flushed with it.
    people = [await get_or_create_person(session, item.plan.chat_id, name) for name in names]
    old = {link.person_id: link for link in item.leader_links}
    links = []
    for position, person in enumerate(people):
        # A link that stays is kept: re-inserting it would collide on (item, person).
        link = old.get(person.id) or ItemLeader(person=person)
        link.position = position
        links.append(link)
    item.leader_links = links


async def _set_departments(session: AsyncSession, item: Item, names: list[str]) -> None:
    chat_id = item.plan.chat_id
    departments = [await get_or_create_department(session, chat_id, name) for name in names]
    old = {link.department_id: link for link in item.department_links}
    links = []
    for position, department in enumerate(departments):
        # Every department /add or /edit names is responsible (lead), as every department
        # under a responsible label of an import is: the chat has no way to write a partner.
        # One already linked keeps its role, so a partner an import read stays one.
        link = old.get(department.id) or ItemDepartment(
            department=department, role=DepartmentRole.LEAD.value
        )
        link.position = position
        links.append(link)
    item.department_links = links


def record_event(
    session: AsyncSession,
    item: Item,
    kind: ItemEventKind,
    author: Author,
    now: datetime,
    *,
    text: str = "",
    percent: int | None = None,
    data: dict[str, Any] | None = None,
) -> ItemEvent:
    event = ItemEvent(
        item_id=row_id(item),
        author_tg_user_id=author.tg_user_id,
        author_name=author.name,
        kind=kind.value,
        text=text,
        percent=percent,
        data=data,
        created_at=now,
    )
    session.add(event)
    return event


# -- reports ----------------------------------------------------------------------------------


async def mark_done(
    session: AsyncSession,
    item_id: int,
    author: Author,
    note: str,
    now: datetime,
) -> ItemChange:
    """Item done at `now` with progress 100; UNCHANGED (and no history row) if it already is."""
    item = await load_item(session, item_id, for_update=True)
    if item is None:
        return ItemChange(Outcome.GONE)
    if item.status == ItemStatus.DONE.value:
        return ItemChange(Outcome.UNCHANGED, item)
    before = snapshot(item, STATE_FIELDS)
    item.status, item.progress, item.done_at = ItemStatus.DONE.value, 100, now
    data = {"before": before, "after": snapshot(item, STATE_FIELDS)}
    event = record_event(
        session, item, ItemEventKind.DONE, author, now, text=note, percent=100, data=data
    )
    return ItemChange(Outcome.APPLIED, item, event)


async def report_progress(
    session: AsyncSession,
    item_id: int,
    author: Author,
    percent: int | None,
    note: str,
    now: datetime,
) -> ItemChange:
    """A progress report (`percent`) or, without one, a note on how things stand.

    A done item takes notes but no percentage (UNCHANGED): only /reopen makes it open again.
    """
    item = await load_item(session, item_id, for_update=True)
    if item is None:
        return ItemChange(Outcome.GONE)
    if percent is None:
        event = record_event(session, item, ItemEventKind.NOTE, author, now, text=note)
        await session.flush()
        return ItemChange(Outcome.APPLIED, item, event)
    if not 0 <= percent <= 100:
        raise ValueError(f"progress {percent} is not between 0 and 100")
    if item.status == ItemStatus.DONE.value:
        return ItemChange(Outcome.UNCHANGED, item)
    before = snapshot(item, ("progress",))
    item.progress = percent
    data = {"before": before, "after": snapshot(item, ("progress",))}
    event = record_event(
        session, item, ItemEventKind.PROGRESS, author, now, text=note, percent=percent, data=data
    )
    await session.flush()
    return ItemChange(Outcome.APPLIED, item, event)


async def reopen(session: AsyncSession, item_id: int, author: Author, now: datetime) -> ItemChange:
    """A done item open again; UNCHANGED if it was not done.

    An open item at 100% would read as finished, so its progress goes back to the last
    percentage below 100 its history recorded (and was not undone), or 0. The history row holds
    the progress before and after, so /undo of a reopen puts back done and 100%.
    """
    item = await load_item(session, item_id, for_update=True)
    if item is None:
        return ItemChange(Outcome.GONE)
    if item.status != ItemStatus.DONE.value:
        return ItemChange(Outcome.UNCHANGED, item)
    before = snapshot(item, STATE_FIELDS)
    item.status, item.done_at = ItemStatus.OPEN.value, None
    item.progress = await _last_progress_below_done(session, item_id)
    data = {"before": before, "after": snapshot(item, STATE_FIELDS)}
    event = record_event(session, item, ItemEventKind.REOPEN, author, now, data=data)
    return ItemChange(Outcome.APPLIED, item, event)


async def _last_progress_below_done(session: AsyncSession, item_id: int) -> int:
    """The newest percentage under 100 in the item's history that no /undo took back, or 0."""
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
    undone = _undone_ids(events)
    return next(
        (
            e.percent
            for e in events
            if e.percent is not None and e.percent < 100 and e.id not in undone
        ),
        0,
    )


# -- items by hand ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeadlineValue:
    deadline: date | None
    text: str
    recurring: bool


def read_deadline_value(text: str, year: int, month: int, *, today: date) -> DeadlineValue | None:
    """A deadline as /add and /edit take it: the import grammar with the plan's year and month,
    or words relative to `today` (下周五, 月底, 元旦前; plans/relative_deadline.py); None when
    unreadable.

    The words are kept as typed when they mean the same date without knowing the day they were
    typed on (11月20日, 十月份); words that need it (下周五, 明天) are stored as the date they
    meant ("12月11日"), so a later reader of the plan, its exports and its history sees the date.
    """
    text = " ".join(text.split())
    found = read_deadline_on(text, today=today, year=year, month=month)
    if found.kind is DeadlineKind.EMPTY:
        return DeadlineValue(None, "", False)
    if found.kind is DeadlineKind.DATE and found.date is not None:
        plain = read_deadline(text, year=year, month=month)
        if plain.kind is DeadlineKind.DATE and plain.date == found.date:
            return DeadlineValue(found.date, text, False)
        return DeadlineValue(found.date, deadline_words(found.date, year), False)
    if found.kind is DeadlineKind.RECURRING:
        return DeadlineValue(None, text, True)
    return None


def _field_values(field: EditField, raw: str, plan: Plan, today: date) -> dict[str, Any] | Outcome:
    """The snapshot values `raw` means for `field`, or why it means none."""
    raw = raw.strip()
    if field in (EditField.LEADERS, EditField.DEPARTMENTS):
        names = split_names(raw)
        return {field.value: names} if names else Outcome.EMPTY
    if field is EditField.DEADLINE:
        value = read_deadline_value(raw, plan.year, plan.month, today=today)
        if value is None or not raw:
            return Outcome.BAD_DEADLINE
        return {
            "deadline": _json(value.deadline),
            "deadline_text": value.text,
            "recurring": value.recurring,
        }
    if not raw and field is EditField.TITLE:
        return Outcome.EMPTY
    return {field.value: raw}


async def edit_item(
    session: AsyncSession,
    item_id: int,
    field: EditField,
    raw_value: str,
    author: Author,
    now: datetime,
    *,
    today: date,
) -> ItemChange:
    """Set one field from what an admin typed; UNCHANGED when it already says that.
    `today` (the office's) is the day relative deadlines (下周五) are read from."""
    item = await load_item(session, item_id, for_update=True)
    if item is None:
        return ItemChange(Outcome.GONE)
    values = _field_values(field, raw_value, item.plan, today)
    if isinstance(values, Outcome):
        return ItemChange(values, item)
    before = snapshot(item, values)
    if before == values:
        return ItemChange(Outcome.UNCHANGED, item)
    await _restore(session, item, values)
    data = {"field": field.value, "before": before, "after": values}
    event = record_event(session, item, ItemEventKind.EDIT, author, now, data=data)
    return ItemChange(Outcome.APPLIED, await _reloaded(session, item), event)


@dataclass(frozen=True, slots=True)
class NewItem:
    title: str
    leaders: str = ""
    departments: str = ""
    deadline: str = ""


async def target_plan_month(session: AsyncSession, chat_id: int, today: date) -> PeriodKey:
    """The plan a new item goes to: the current plan (a month's, or a quarter's or year's),
    else this month's (created on add)."""
    plan = await current_plan(session, chat_id, today)
    if plan is None:
        return PeriodKey(today.year, today.month)
    return PeriodKey(plan.year, plan.month, plan.quarter)


async def add_item(
    session: AsyncSession,
    chat_id: int,
    today: date,
    new: NewItem,
    author: Author,
    now: datetime,
) -> ItemChange:
    """A new item at the end of the current plan (this month's plan is created if none)."""
    title = " ".join(new.title.split())
    if not title:
        return ItemChange(Outcome.EMPTY)
    key = await target_plan_month(session, chat_id, today)
    deadline = read_deadline_value(new.deadline, key.year, key.month, today=today)
    if deadline is None:
        return ItemChange(Outcome.BAD_DEADLINE)
    plan = await get_plan(session, chat_id, key.year, key.month, quarter=key.quarter)
    if plan is None:
        plan = await add_or_fetch(
            session,
            Plan(chat_id=chat_id, year=key.year, month=key.month, items=[]),
            lambda: get_plan(session, chat_id, key.year, key.month),
        )
    plan_id = row_id(plan)
    last = await session.scalar(select(func.max(col(Item.seq))).where(col(Item.plan_id) == plan_id))
    new_item = Item(
        plan_id=plan_id,
        seq=(last or 0) + 1,
        title=title,
        deadline=deadline.deadline,
        deadline_text=deadline.text,
        recurring=deadline.recurring,
    )
    session.add(new_item)
    await session.flush()
    item = await _reloaded(session, new_item)
    await _set_leaders(session, item, split_names(new.leaders))
    await _set_departments(session, item, split_names(new.departments))
    await session.flush()
    fields = ("seq", "title", "leaders", "departments", *DEADLINE_FIELDS)
    data = {"added": True, "after": snapshot(item, fields)}
    event = record_event(session, item, ItemEventKind.EDIT, author, now, data=data)
    return ItemChange(Outcome.APPLIED, await _reloaded(session, item), event)


async def delete_item(
    session: AsyncSession, item_id: int, author: Author, now: datetime
) -> ItemChange:
    """The item gone with its history, links and pending reminders (the database cascades);
    a DeletedItem keeps what it was and its history."""
    item = await load_item(session, item_id, for_update=True)
    if item is None:
        return ItemChange(Outcome.GONE)
    await record_deletions(
        session,
        item.plan,
        [item],
        how=DeletionWay.DELETE,
        by_tg_user_id=author.tg_user_id,
        by_name=author.name,
        now=now,
    )
    await session.execute(delete(Item).where(pk(Item.id) == item_id))
    session.expunge(item)
    return ItemChange(Outcome.APPLIED, item)


async def _reloaded(session: AsyncSession, item: Item) -> Item:
    """The item with its links as stored (after relinking, the collections are re-read)."""
    fresh = await load_item(session, row_id(item))
    if fresh is None:
        raise RuntimeError(f"item {item.id} is gone inside the transaction that changes it")
    return fresh


# -- undo -------------------------------------------------------------------------------------


class UndoOutcome(StrEnum):
    UNDONE = "undone"
    NOTHING = "nothing"
    # Someone changed the item after; undoing would silently throw their change away.
    CONFLICT = "conflict"


@dataclass(slots=True)
class Undo:
    outcome: UndoOutcome
    item: Item | None = None
    # The change taken back, and (CONFLICT) the later change that stands in the way.
    undone: ItemEvent | None = None
    later: ItemEvent | None = None


def _undone_ids(events: Iterable[ItemEvent]) -> set[int]:
    return {
        u.data["undoes"]
        for u in events
        if u.kind == ItemEventKind.UNDO.value and u.data and "undoes" in u.data
    }


async def undo_last(
    session: AsyncSession,
    chat_id: int,
    author: Author,
    now: datetime,
    *,
    window: timedelta = UNDO_WINDOW,
) -> Undo:
    """Take back `author`'s latest change to an item of the chat made within `window`.

    Undoing twice takes back the change before that one; an undo is not itself undone.
    """
    mine = list(
        await session.scalars(
            select(ItemEvent)
            .join(Item, pk(Item.id) == col(ItemEvent.item_id))
            .join(Plan, pk(Plan.id) == col(Item.plan_id))
            .where(
                col(Plan.chat_id) == chat_id,
                col(ItemEvent.author_tg_user_id) == author.tg_user_id,
                col(ItemEvent.kind).in_((*UNDOABLE, ItemEventKind.UNDO.value)),
                col(ItemEvent.created_at) >= now - window,
            )
            .order_by(col(ItemEvent.created_at).desc(), pk(ItemEvent.id).desc())
        )
    )
    undone = _undone_ids(mine)
    target = next(
        (
            u
            for u in mine
            if u.kind in UNDOABLE and u.id not in undone and (u.data or {}).get("before")
        ),
        None,
    )
    if target is None:
        return Undo(UndoOutcome.NOTHING)
    item = await load_item(session, target.item_id, for_update=True)
    if item is None:  # deleted meanwhile, and its history with it
        return Undo(UndoOutcome.NOTHING)
    later = list(
        await session.scalars(
            select(ItemEvent)
            .where(col(ItemEvent.item_id) == item.id, pk(ItemEvent.id) > target.id)
            .order_by(pk(ItemEvent.id))
        )
    )
    undone_here = _undone_ids(later)
    blocking = next(
        (u for u in later if u.kind in _OVERWRITTEN_BY_UNDO and u.id not in undone_here), None
    )
    if blocking is not None:
        return Undo(UndoOutcome.CONFLICT, item, target, blocking)
    # The target was chosen for having a "before".
    restored: dict[str, Any] = (target.data or {})["before"]
    current = snapshot(item, restored)
    await _restore(session, item, restored)
    data = {"undoes": target.id, "kind": target.kind, "before": current, "after": restored}
    record_event(session, item, ItemEventKind.UNDO, author, now, data=data)
    # Only links put back need reading again; fields set on the locked item are as stored.
    relinked = {EditField.LEADERS, EditField.DEPARTMENTS} & set(restored)
    return Undo(UndoOutcome.UNDONE, await _reloaded(session, item) if relinked else item, target)
