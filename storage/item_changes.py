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

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from plans.deadline import DeadlineKind, read_deadline
from plans.names import split_departments, split_names
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
    PartStatus,
    Plan,
)
from storage.part_states import restore_parts, set_state, settle, state_of
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

DEADLINE_FIELDS = ("deadline", "deadline_text", "recurring")
# The assisting departments (配合) in a snapshot: one field with "departments" to people, as in
# an import's (storage.plans.FIELDS).
PARTNERS = "partners"


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
    # A department's part (storage.parts): the department is no lead department of the item.
    NOT_A_PART = "not_a_part"


@dataclass(slots=True)
class ItemChange:
    outcome: Outcome
    item: Item | None = None
    event: ItemEvent | None = None
    # The item's status moved (open → done or back) with this change.
    item_status_changed: bool = False

    @property
    def applied(self) -> bool:
        return self.outcome is Outcome.APPLIED


# -- snapshots --------------------------------------------------------------------------------


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def snapshot(item: Item, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields of an item (links loaded) as JSON-ready values. "departments" are the
    lead departments and "partners" the assisting ones (配合), as an import keeps them."""
    values: dict[str, Any] = {}
    for name in fields:
        if name == EditField.LEADERS:
            values[name] = [person.name for person in item.leaders]
        elif name == EditField.DEPARTMENTS:
            values[name] = _department_names(item, DepartmentRole.LEAD)
        elif name == PARTNERS:
            values[name] = _department_names(item, DepartmentRole.ASSIST)
        else:
            values[name] = _json(getattr(item, name))
    return values


def _department_names(item: Item, role: DepartmentRole) -> list[str]:
    return [link.department.name for link in item.department_links if link.role == role.value]


def _states(item: Item) -> dict[str, Any]:
    """The item's state and each department's part by name: what relinking departments may
    change (a new lead part starts open, and the item with it), kept so /undo puts it back."""
    return {
        "item": state_of(item),
        "parts": {link.department.name: state_of(link) for link in item.department_links},
    }


def _restore_states(item: Item, states: dict[str, Any]) -> None:
    set_state(item, states["item"])
    for link in item.department_links:
        if link.department.name in states["parts"]:
            set_state(link, states["parts"][link.department.name])


async def _restore(session: AsyncSession, item: Item, values: dict[str, Any]) -> None:
    """Set fields from a snapshot (the inverse of `snapshot`)."""
    for name, value in values.items():
        if name == EditField.LEADERS:
            await _set_leaders(session, item, value)
        elif name == EditField.DEPARTMENTS:
            if PARTNERS in values:
                await _set_departments(session, item, value, values[PARTNERS])
            else:  # a snapshot of the release before: the first department led
                await _set_departments(session, item, value[:1], value[1:])
        elif name == PARTNERS:
            continue  # with "departments"
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


async def _set_departments(
    session: AsyncSession, item: Item, leads: list[str], partners: list[str]
) -> None:
    """Link these lead departments, then these partners (配合), as an import does. A department
    that becomes a lead (new, or an assist before) starts with its part open: it has not
    reported yet. The caller settles the item's state (part_states.settle) or restores it."""
    chat_id = item.plan.chat_id
    named = [(name, DepartmentRole.LEAD) for name in leads]
    named += [(name, DepartmentRole.ASSIST) for name in partners if name not in leads]
    departments = [
        (await get_or_create_department(session, chat_id, name), role) for name, role in named
    ]
    old = {link.department_id: link for link in item.department_links}
    links = []
    for position, (department, role) in enumerate(departments):
        link = old.get(department.id) or ItemDepartment(department=department)
        if role is DepartmentRole.LEAD and link.role != role.value:
            link.status, link.progress, link.done_at = PartStatus.OPEN.value, 0, None
        link.position = position
        link.role = role.value
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
# Changes of an item's state (done, progress, reopen) are storage/parts.py's: they keep the
# item and its departments' parts consistent. A note changes no state.


async def add_note(
    session: AsyncSession, item_id: int, author: Author, note: str, now: datetime
) -> ItemChange:
    """A note on how an item stands, without a percentage (a done item takes notes too)."""
    item = await load_item(session, item_id, for_update=True)
    if item is None:
        return ItemChange(Outcome.GONE)
    event = record_event(session, item, ItemEventKind.NOTE, author, now, text=note)
    await session.flush()
    return ItemChange(Outcome.APPLIED, item, event)


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
    if field is EditField.LEADERS:
        names = split_names(raw)
        return {field.value: names} if names else Outcome.EMPTY
    if field is EditField.DEPARTMENTS:
        leads, partners = split_departments(raw)
        return {field.value: leads, PARTNERS: partners} if leads or partners else Outcome.EMPTY
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
    states = _states(item)
    await _restore(session, item, values)
    data: dict[str, Any] = {"field": field.value, "before": before, "after": values}
    if field is EditField.DEPARTMENTS:
        # A new lead department has its part to do: a done item is open again until it is.
        settle(item, now)
        data["states"] = {"before": states, "after": _states(item)}
    event = record_event(session, item, ItemEventKind.EDIT, author, now, data=data)
    changed = states["item"]["status"] != item.status
    return ItemChange(
        Outcome.APPLIED, await _reloaded(session, item), event, item_status_changed=changed
    )


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
    await _set_departments(session, item, *split_departments(new.departments))
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


def undone_ids(events: Iterable[ItemEvent]) -> set[int]:
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
    undone = undone_ids(mine)
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
    undone_here = undone_ids(later)
    blocking = next(
        (u for u in later if u.kind in _OVERWRITTEN_BY_UNDO and u.id not in undone_here), None
    )
    if blocking is not None:
        return Undo(UndoOutcome.CONFLICT, item, target, blocking)
    # The target was chosen for having a "before".
    target_data = target.data or {}
    restored: dict[str, Any] = target_data["before"]
    current = snapshot(item, restored)
    states = _states(item) if "states" in target_data else None
    await _restore(session, item, restored)
    data: dict[str, Any] = {
        "undoes": target.id,
        "kind": target.kind,
        "before": current,
        "after": restored,
    }
    if states is not None:  # an /edit of the departments: their parts and the item's state
        _restore_states(item, target_data["states"]["before"])
        data["states"] = {"before": states, "after": target_data["states"]["before"]}
    parts_now = restore_parts(item, target_data)
    if parts_now is not None:  # a part change (storage.parts)
        data["department_id"] = target_data["department_id"]
        data["parts"] = {
            key: {"before": state, "after": target_data["parts"][key]["before"]}
            for key, state in parts_now.items()
        }
    record_event(session, item, ItemEventKind.UNDO, author, now, data=data)
    # Only links put back need reading again; fields set on the locked item are as stored.
    relinked = {EditField.LEADERS, EditField.DEPARTMENTS} & set(restored)
    return Undo(UndoOutcome.UNDONE, await _reloaded(session, item) if relinked else item, target)
