"""Monthly plans: saving what the parser found, and reading plans back."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from plans.model import ParsedItem, ParsedPlan
from storage.deleted_items import record_deletions
from storage.departments import get_or_create_department
from storage.models import (
    DeletionWay,
    Department,
    DepartmentRole,
    Item,
    ItemDepartment,
    ItemLeader,
    Person,
    Plan,
    Update,
    UpdateKind,
)
from storage.people import clean_name, get_or_create_person
from storage.unique import add_or_fetch

# Load an item's leaders and departments, in document order, in two extra queries per level.
ITEM_LINK_OPTIONS: tuple[LoaderOption, ...] = (
    selectinload(Item.leader_links).selectinload(ItemLeader.person),
    selectinload(Item.department_links).selectinload(ItemDepartment.department),
)


@dataclass(slots=True)
class ImportResult:
    """What save_parsed_plan did. Lists hold Item ids, in document order (removed: by old seq)."""

    plan: Plan
    created: bool
    added: list[int] = field(default_factory=list)
    changed: list[int] = field(default_factory=list)
    # In the database but not in the document; still there unless remove_missing was set.
    removed: list[int] = field(default_factory=list)
    # Every item of the document plus the removed ones (even when deleted), by id, so the caller
    # can show numbers and titles.
    items: dict[int, Item] = field(default_factory=dict)

    def seqs(self, item_ids: Iterable[int]) -> list[int]:
        return [self.items[item_id].seq for item_id in item_ids]

    @property
    def unchanged(self) -> bool:
        return not (self.created or self.added or self.changed or self.removed)


def _key(text: str) -> str:
    return " ".join(text.split())


def _unique_names(names: Iterable[str]) -> list[str]:
    # A name listed twice for one item is one link (the link tables key on (item, person)).
    seen: dict[str, None] = {}
    for name in names:
        if name.strip():
            seen.setdefault(clean_name(name), None)
    return list(seen)


def _validate(parsed: ParsedPlan) -> tuple[int, int]:
    if parsed.year is None or parsed.month is None:
        raise ValueError("the plan's year and month are unknown; set them before saving")
    if not 1 <= parsed.month <= 12:
        raise ValueError(f"month {parsed.month} is not between 1 and 12")
    seqs = [item.seq for item in parsed.items]
    duplicates = sorted({seq for seq in seqs if seqs.count(seq) > 1})
    if duplicates:
        raise ValueError(f"item numbers used more than once: {duplicates}")
    return parsed.year, parsed.month


def _match(
    existing: Sequence[Item], parsed: Sequence[ParsedItem]
) -> tuple[dict[int, Item], list[Item]]:
    """Pair document items (by seq) with stored ones; returns the pairs and the unpaired stored.

    Same seq and title first; then same title (the item was renumbered); then same seq (its
    wording was edited). Whatever is left is new in the document or gone from it.
    """
    free = list(existing)
    pairs: dict[int, Item] = {}

    def take(p: ParsedItem, candidates: list[Item]) -> None:
        if candidates:
            best = min(candidates, key=lambda item: abs(item.seq - p.seq))
            pairs[p.seq] = best
            free.remove(best)

    for p in parsed:
        take(p, [i for i in free if i.seq == p.seq and _key(i.title) == _key(p.title)])
    for p in parsed:
        if p.seq not in pairs:
            take(p, [i for i in free if _key(i.title) == _key(p.title)])
    for p in parsed:
        if p.seq not in pairs:
            take(p, [i for i in free if i.seq == p.seq])
    return pairs, free


def _item_changes(item: Item, p: ParsedItem) -> dict[str, list[Any]]:
    """Field → [old, new] for what the document changes; JSON-ready."""
    old: dict[str, Any] = {
        "seq": item.seq,
        "title": item.title,
        "content": item.content,
        "deadline": item.deadline.isoformat() if item.deadline else None,
        "deadline_text": item.deadline_text,
        "leaders": [link.person.name for link in item.leader_links],
        "departments": [link.department.name for link in item.department_links],
    }
    new: dict[str, Any] = {
        "seq": p.seq,
        "title": p.title,
        "content": p.content,
        "deadline": p.deadline.isoformat() if p.deadline else None,
        "deadline_text": p.deadline_text,
        "leaders": _unique_names(p.leaders),
        "departments": _unique_names(p.departments),
    }
    return {name: [old[name], new[name]] for name in old if old[name] != new[name]}


class _Links:
    """Finds or creates the chat's people and departments once per import."""

    def __init__(self, session: AsyncSession, chat_id: int) -> None:
        self.session = session
        self.chat_id = chat_id
        self.people: dict[str, Person] = {}
        self.departments: dict[str, Department] = {}

    async def person(self, name: str) -> Person:
        if name not in self.people:
            self.people[name] = await get_or_create_person(self.session, self.chat_id, name)
        return self.people[name]

    async def department(self, name: str) -> Department:
        if name not in self.departments:
            self.departments[name] = await get_or_create_department(
                self.session, self.chat_id, name
            )
        return self.departments[name]

    async def apply(self, item: Item, p: ParsedItem) -> None:
        """Make the item's leader and department links match the document, in its order.

        Links that stay are updated in place rather than deleted and re-inserted, which would
        collide on the (item, person) primary key within one flush.
        """
        # Resolve names first: creating a person flushes, and half-built links must not be
        # in the session when it does.
        people = [await self.person(name) for name in _unique_names(p.leaders)]
        departments = [await self.department(name) for name in _unique_names(p.departments)]

        old_leaders = {link.person_id: link for link in item.leader_links}
        leader_links = []
        for position, person in enumerate(people):
            leader = old_leaders.get(person.id)
            if leader is None:
                leader = ItemLeader(person=person)
            leader.position = position
            leader_links.append(leader)
        item.leader_links = leader_links

        old_departments = {link.department_id: link for link in item.department_links}
        department_links = []
        for position, department in enumerate(departments):
            link = old_departments.get(department.id)
            if link is None:
                link = ItemDepartment(department=department)
            link.position = position
            # The first department listed leads (牵头), the others assist (配合).
            link.role = (DepartmentRole.LEAD if position == 0 else DepartmentRole.ASSIST).value
            department_links.append(link)
        item.department_links = department_links


def _plan_query(chat_id: int, year: int, month: int) -> Select[tuple[Plan]]:
    return select(Plan).where(Plan.chat_id == chat_id, Plan.year == year, Plan.month == month)


def _with_items() -> LoaderOption:
    return selectinload(Plan.items).options(*ITEM_LINK_OPTIONS)


async def _load_plan_for_import(
    session: AsyncSession, chat_id: int, year: int, month: int
) -> Plan | None:
    return await session.scalar(
        _plan_query(chat_id, year, month)
        .options(_with_items())
        .execution_options(populate_existing=True)
    )


async def save_parsed_plan(
    session: AsyncSession,
    chat_id: int,
    parsed: ParsedPlan,
    source_text: str,
    *,
    remove_missing: bool = False,
    author_tg_user_id: int | None = None,
    author_name: str = "",
) -> ImportResult:
    """Store a parsed plan for (chat, year, month), or merge it into the one already stored.

    `chat_id` is Chat.id (ours). Items are matched as described in _match; a matched item keeps
    its status, progress, history and reminders, and gets an 'import' Update row listing what
    changed (JSON: {"field": [old, new]}). Stored items missing from the document are reported
    in `removed` and deleted only when `remove_missing` is set. Flushes, never commits.
    Raises ValueError before writing anything if the plan has no year/month or repeats a seq.
    """
    year, month = _validate(parsed)
    plan = await _load_plan_for_import(session, chat_id, year, month)
    if plan is None:
        # items=[]: a new object's collection is known to be empty, not "not loaded yet".
        new_plan = Plan(chat_id=chat_id, year=year, month=month, title=parsed.title, items=[])
        plan = await add_or_fetch(
            session, new_plan, lambda: _load_plan_for_import(session, chat_id, year, month)
        )
        created = plan is new_plan
    else:
        created = False
    plan.title = parsed.title
    plan.source_text = source_text

    result = ImportResult(plan=plan, created=created)
    pairs, missing = _match(plan.items, parsed.items)
    missing.sort(key=lambda item: item.seq)
    changes = {
        _id(item): item_changes
        for seq, item in pairs.items()
        if (item_changes := _item_changes(item, _by_seq(parsed, seq)))
    }

    for item in missing:
        result.removed.append(_id(item))
        result.items[_id(item)] = item
    if remove_missing:
        await record_deletions(
            session,
            plan,
            missing,
            how=DeletionWay.IMPORT,
            by_tg_user_id=author_tg_user_id,
            by_name=author_name,
        )
        for item in missing:
            plan.items.remove(item)
            await session.delete(item)
        missing = []
        await session.flush()

    # Every stored item's final number: the document's for matched items; a kept item whose
    # number the document now gives to another moves after the last one.
    doc_seqs = {p.seq for p in parsed.items}
    final_seq = {_id(item): seq for seq, item in pairs.items()}
    next_free = max(doc_seqs | {item.seq for item in missing}, default=0) + 1
    for item in missing:
        if item.seq in doc_seqs:
            final_seq[_id(item)] = next_free
            next_free += 1
    await _renumber(session, plan.items, final_seq)

    links = _Links(session, chat_id)
    added_seqs: set[int] = set()
    for p in parsed.items:
        item = pairs.get(p.seq)
        if item is None:
            item = Item(seq=p.seq, title=p.title, leader_links=[], department_links=[])
            plan.items.append(item)
            pairs[p.seq] = item
            added_seqs.add(p.seq)
        elif _id(item) not in changes:
            continue
        item.title = p.title
        item.content = p.content
        item.deadline = p.deadline
        item.deadline_text = p.deadline_text
        await links.apply(item, p)
    await session.flush()

    for p in parsed.items:
        item = pairs[p.seq]
        item_id = _id(item)
        result.items[item_id] = item
        if p.seq in added_seqs:
            result.added.append(item_id)
        elif item_id in changes:
            result.changed.append(item_id)
            session.add(
                Update(
                    item_id=item_id,
                    kind=UpdateKind.IMPORT.value,
                    author_tg_user_id=author_tg_user_id,
                    author_name=author_name,
                    # What /item's history and the exports read: field → [old, new].
                    data=changes[item_id],
                )
            )
    await session.flush()

    # Reload so plan.items is complete and in seq order after any renumbering.
    await _load_plan_for_import(session, chat_id, year, month)
    return result


def _id(item: Item) -> int:
    if item.id is None:
        raise RuntimeError("item has no id yet; flush first")
    return item.id


def _by_seq(parsed: ParsedPlan, seq: int) -> ParsedItem:
    return next(p for p in parsed.items if p.seq == seq)


async def _renumber(
    session: AsyncSession, items: Iterable[Item], final_seq: dict[int, int]
) -> None:
    """Give items their new numbers.

    In two steps: (plan, seq) is unique and checked row by row, so swapping two numbers directly
    would collide. Negated ids are free because real numbers are positive.
    """
    moving = [i for i in items if i.id in final_seq and final_seq[i.id] != i.seq]
    if not moving:
        return
    for item in moving:
        item.seq = -_id(item)
    await session.flush()
    for item in moving:
        item.seq = final_seq[_id(item)]
    await session.flush()


async def list_plans(session: AsyncSession, chat_id: int) -> list[Plan]:
    """The chat's plans, newest month first (items not loaded)."""
    result = await session.scalars(
        select(Plan).where(Plan.chat_id == chat_id).order_by(Plan.year.desc(), Plan.month.desc())
    )
    return list(result)


async def get_plan(
    session: AsyncSession, chat_id: int, year: int, month: int, *, with_items: bool = False
) -> Plan | None:
    """The plan for one month; with_items loads items with their leaders and departments."""
    query = _plan_query(chat_id, year, month)
    if with_items:
        query = query.options(_with_items())
    return await session.scalar(query)


async def current_plan(
    session: AsyncSession, chat_id: int, today: date, *, with_items: bool = False
) -> Plan | None:
    """This month's plan, else the latest by (year, month), else None."""
    plan = await get_plan(session, chat_id, today.year, today.month, with_items=with_items)
    if plan is not None:
        return plan
    query = (
        select(Plan)
        .where(Plan.chat_id == chat_id)
        .order_by(Plan.year.desc(), Plan.month.desc())
        .limit(1)
    )
    if with_items:
        query = query.options(_with_items())
    return await session.scalar(query)


async def items_with_links(session: AsyncSession, plan_id: int) -> list[Item]:
    """A plan's items in seq order with leader_links→person and department_links→department."""
    result = await session.scalars(
        select(Item).where(Item.plan_id == plan_id).order_by(Item.seq).options(*ITEM_LINK_OPTIONS)
    )
    return list(result)
