"""Plans (a month's, a quarter's or a year's): saving what the parser found, merging a re-import
into what the chat changed since, and reading plans back."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Select, Table, bindparam, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.interfaces import LoaderOption
from sqlmodel import col

from plans.model import ParsedItem, ParsedPlan
from plans.similarity import same_task
from storage.deleted_items import record_deletions
from storage.models import (
    DeletionWay,
    Department,
    DepartmentRole,
    Item,
    ItemDepartment,
    ItemEvent,
    ItemEventKind,
    ItemLeader,
    ItemStatus,
    Person,
    Plan,
)
from storage.people import clean_name
from storage.rows import pk, related, row_id
from storage.text import clean_text, clean_value
from storage.types import utcnow
from storage.unique import add_or_fetch, named_rows

# Load an item's leaders and departments, in document order, in two extra queries per level.
# (Typed by inference: the loader options they are, which nest in other loaders' `options`.)
ITEM_LINK_OPTIONS = (
    selectinload(related(Item.leader_links)).selectinload(related(ItemLeader.person)),
    selectinload(related(Item.department_links)).selectinload(related(ItemDepartment.department)),
)


# Ids per IN (…) list: SQLite and asyncpg cap the number of bound parameters.
_IDS_PER_QUERY = 5000

# The fields an import writes, each with its columns as JSON-ready values. The deadline's three
# columns are one field to people (完成时限) and move together.
FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "content": ("content",),
    "leaders": ("leaders",),
    # Who leads and who only assists are one field to people (责任部室, 配合：…): a department
    # moving from one list to the other is a change of it.
    "departments": ("departments", "partners"),
    "deadline": ("deadline", "deadline_text", "recurring"),
}


class FieldFate(StrEnum):
    """What a re-import does with one field of one item."""

    # The document changes it and nobody had changed it in the chat.
    CHANGED = "changed"
    # Changed in the chat since the last import, and the document changes it too: the
    # document's value stands (it is the newer decision about that very field).
    OVERRIDDEN = "overridden"
    # Changed in the chat (an approved extension, /edit) and the document still says what the
    # last import said: the chat's value stays.
    KEPT = "kept"


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of one item a re-import changes or keeps; values are {column: JSON value}."""

    item_id: int
    field: str  # a key of FIELDS, or "seq"
    old: dict[str, Any]  # what is stored
    new: dict[str, Any]  # what the document says
    fate: FieldFate
    # How the chat changed it last (an ItemEventKind value: "extend", "edit"); None if it did not.
    via: str | None = None


@dataclass(slots=True)
class ImportResult:
    """What save_parsed_plan did. Lists hold Item ids, in document order (removed: by old seq)."""

    plan: Plan
    created: bool
    added: list[int] = field(default_factory=list)
    changed: list[int] = field(default_factory=list)
    # In the database but not in the document; still there unless remove_missing was set.
    removed: list[int] = field(default_factory=list)
    # (old id, new id): the document has a different task under an old item's number; the old
    # one is deleted (its record kept, as /delete keeps it) and the new one is in `added`.
    replaced: list[tuple[int, int]] = field(default_factory=list)
    # Field by field, what the document changes and which chat changes it keeps.
    fields: list[FieldChange] = field(default_factory=list)
    # Every item of the document plus the removed and replaced ones (even when deleted), by id,
    # so the caller can show numbers and titles.
    items: dict[int, Item] = field(default_factory=dict)
    # The items whose reminders the import may change (re-plan these): the new ones, those
    # whose deadline it changes, every item of a plan that became or stopped being an archive.
    to_replan: list[int] = field(default_factory=list)

    def seqs(self, item_ids: Iterable[int]) -> list[int]:
        return [self.items[item_id].seq for item_id in item_ids]

    @property
    def unchanged(self) -> bool:
        return not (self.created or self.added or self.changed or self.removed or self.replaced)


def _key(text: str) -> str:
    return " ".join(text.split())


def _unique_names(names: Iterable[str]) -> list[str]:
    """The names as stored (trimmed, text cleaned), each once: a name listed twice for one item
    (also once with a control character) is one link (the link tables key on (item, person))."""
    seen: dict[str, None] = {}
    for name in names:
        cleaned = clean_text(name)
        if cleaned.strip():
            seen.setdefault(clean_name(cleaned), None)
    return list(seen)


def _department_links(p: ParsedItem) -> list[tuple[str, str]]:
    """(name as stored, DepartmentRole value) of an item's department links, in stored order:
    every responsible department leads, then its partners (配合单位) assist; a name that is
    both leads."""
    leads = _unique_names(p.departments)
    partners = [name for name in _unique_names(p.partners) if name not in leads]
    return [(name, DepartmentRole.LEAD.value) for name in leads] + [
        (name, DepartmentRole.ASSIST.value) for name in partners
    ]


@dataclass(frozen=True, slots=True)
class PeriodKey:
    """Which plan of a chat: (year, month 1–12) for a month's; month 0 and quarter 1–4 for a
    quarter's; both 0 for the year's (the Plan columns)."""

    year: int
    month: int = 0
    quarter: int = 0


def period_key(parsed: ParsedPlan) -> PeriodKey:
    """The stored period of a parsed plan; ValueError if it is unknown or out of range."""
    if parsed.year is None:
        raise ValueError("the plan's year and month are unknown; set them before saving")
    if parsed.month is not None:
        if not 1 <= parsed.month <= 12:
            raise ValueError(f"month {parsed.month} is not between 1 and 12")
        return PeriodKey(parsed.year, parsed.month)
    if parsed.quarter is not None:
        if not 1 <= parsed.quarter <= 4:
            raise ValueError(f"quarter {parsed.quarter} is not between 1 and 4")
        return PeriodKey(parsed.year, quarter=parsed.quarter)
    if parsed.whole_year:
        return PeriodKey(parsed.year)
    raise ValueError(
        "the plan's year and month are unknown (nor is it a quarter's or the year's plan); "
        "set them before saving"
    )


def _validate(parsed: ParsedPlan) -> PeriodKey:
    key = period_key(parsed)
    counts = Counter(item.seq for item in parsed.items)
    duplicates = sorted(seq for seq, n in counts.items() if n > 1)
    if duplicates:
        raise ValueError(f"item numbers used more than once: {duplicates}")
    return key


def _match(
    existing: Sequence[Item], parsed: Sequence[ParsedItem]
) -> tuple[dict[int, Item], list[Item]]:
    """Pair document items (by seq) with stored ones; returns the pairs and the unpaired stored.

    Same seq and title first; then same title (the item was renumbered); then same seq and a
    similar title (its wording was edited; plans.similarity). Whatever is left is new in the
    document or gone from it: a different task under an old number is not an edit of the old one.
    """
    # Indexed by number and by title, so a 1,000-item plan is not compared with every stored
    # item for every document item (three passes of that took seconds).
    keys = {id(item): _key(item.title) for item in existing}
    by_seq = {item.seq: item for item in existing}  # unique in a plan
    by_title: dict[str, list[Item]] = {}
    for item in existing:
        by_title.setdefault(keys[id(item)], []).append(item)
    taken: set[int] = set()
    pairs: dict[int, Item] = {}

    def take(p: ParsedItem, candidates: Iterable[Item]) -> None:
        free = [item for item in candidates if id(item) not in taken]
        if free:
            # The nearest number; of two as near, the first stored.
            best = min(free, key=lambda item: abs(item.seq - p.seq))
            pairs[p.seq] = best
            taken.add(id(best))

    def same_seq(p: ParsedItem) -> list[Item]:
        item = by_seq.get(p.seq)
        return [] if item is None else [item]

    for p in parsed:
        take(p, [i for i in same_seq(p) if keys[id(i)] == _key(p.title)])
    for p in parsed:
        if p.seq not in pairs:
            take(p, by_title.get(_key(p.title), []))
    for p in parsed:
        if p.seq not in pairs:
            take(p, [i for i in same_seq(p) if same_task(i.title, p.title)])
    return pairs, [item for item in existing if id(item) not in taken]


def _stored_values(item: Item) -> dict[str, Any]:
    """The item's FIELDS columns as stored (links loaded), JSON-ready."""
    return {
        "title": item.title,
        "content": item.content,
        "leaders": [link.person.name for link in item.leader_links],
        "departments": [
            link.department.name
            for link in item.department_links
            if link.role == DepartmentRole.LEAD.value
        ],
        "partners": [
            link.department.name
            for link in item.department_links
            if link.role != DepartmentRole.LEAD.value
        ],
        "deadline": item.deadline.isoformat() if item.deadline else None,
        "deadline_text": item.deadline_text,
        "recurring": item.recurring,
    }


def _document_values(p: ParsedItem) -> dict[str, Any]:
    """What the document says of an item, in the columns of _stored_values, with its text
    cleaned as it would be stored (storage.text): a control character in the document is not
    a change from what the last import stored."""
    links = _department_links(p)
    values: dict[str, Any] = clean_value(
        {
            "title": p.title,
            "content": p.content,
            "leaders": _unique_names(p.leaders),
            "departments": [name for name, role in links if role == DepartmentRole.LEAD.value],
            "partners": [name for name, role in links if role != DepartmentRole.LEAD.value],
            "deadline": p.deadline.isoformat() if p.deadline else None,
            "deadline_text": p.deadline_text,
            "recurring": p.recurring,
        }
    )
    return values


def _chat_changes(history: Sequence[ItemEvent]) -> list[tuple[str, dict[str, Any]]]:
    """The item's changes made in the chat, oldest first: (kind, {column: value before})."""
    found: list[tuple[str, dict[str, Any]]] = []
    for update in history:
        data = update.data or {}
        if update.kind == ItemEventKind.EDIT.value and not data.get("added"):
            found.append((update.kind, dict(data.get("before") or {})))
        elif update.kind == ItemEventKind.EXTEND.value and "old" in data:
            found.append(
                (update.kind, {"deadline": data.get("old"), "deadline_text": data.get("old_text")})
            )
    return found


def _last_imported(
    stored: dict[str, Any], snapshot: dict[str, Any] | None, history: Sequence[ItemEvent]
) -> dict[str, Any]:
    """What the last import's document said of an item.

    Kept on the plan since revision 0006. For items imported before, the chat changes recorded
    since the item's last import entry are undone: the oldest one's "before" is what the import
    wrote (an import that changed nothing wrote no entry, which this cannot see).
    """
    if snapshot is not None:
        if "partners" not in snapshot and "departments" in snapshot:
            snapshot = _with_old_roles(snapshot)
        return {column: snapshot.get(column, value) for column, value in stored.items()}
    last_import = max(
        (n for n, u in enumerate(history) if u.kind == ItemEventKind.IMPORT.value), default=-1
    )
    values = dict(stored)
    undone: set[str] = set()
    for _, before in _chat_changes(history[last_import + 1 :]):
        if "departments" in before and "partners" not in before:
            # /edit keeps every department in one list, the first leading.
            before = _with_old_roles(before)
        for column, value in before.items():
            if column in values and column not in undone:
                values[column] = value
                undone.add(column)
    return values


def _with_old_roles(snapshot: dict[str, Any]) -> dict[str, Any]:
    """A snapshot kept before partners were read apart: its "departments" were every
    department, stored with the first leading and the others assisting; say it that way, so a
    document read anew (both responsible departments leading) shows as the change it makes."""
    names = list(snapshot["departments"] or [])
    return {**snapshot, "departments": names[:1], "partners": names[1:]}


def _via(history: Sequence[ItemEvent], columns: tuple[str, ...]) -> str | None:
    """The kind of the newest chat change of any of `columns` ("extend", "edit")."""
    kinds = [kind for kind, before in _chat_changes(history) if set(before) & set(columns)]
    return kinds[-1] if kinds else None


def _field_changes(
    item: Item, p: ParsedItem, snapshot: dict[str, Any] | None, history: Sequence[ItemEvent]
) -> list[FieldChange]:
    """Field by field, what importing `p` over `item` does (nothing → not listed).

    A field the chat changed since the last import is the chat's unless the document changed
    that very field too; then the document's value stands (it is the newer decision).
    """
    item_id = row_id(item)
    stored = _stored_values(item)
    document = _document_values(p)
    before = _last_imported(stored, snapshot, history)
    changes = []
    if item.seq != p.seq:
        changes.append(
            FieldChange(item_id, "seq", {"seq": item.seq}, {"seq": p.seq}, FieldFate.CHANGED)
        )
    for name, columns in FIELDS.items():
        old = {c: stored[c] for c in columns}
        new = {c: document[c] for c in columns}
        last = {c: before[c] for c in columns}
        if new == old:
            continue
        if old == last:
            fate = FieldFate.CHANGED
        elif new == last:
            fate = FieldFate.KEPT
        else:
            fate = FieldFate.OVERRIDDEN
        via = None if fate is FieldFate.CHANGED else _via(history, columns)
        changes.append(FieldChange(item_id, name, old, new, fate, via))
    return changes


def _written(changes: Sequence[FieldChange]) -> dict[str, list[Any]]:
    """The columns an import writes, as its history entry stores them: {column: [old, new]}."""
    data: dict[str, list[Any]] = {}
    for change in changes:
        if change.fate is FieldFate.KEPT:
            continue
        for column, new in change.new.items():
            if change.old[column] != new:
                data[column] = [change.old[column], new]
    return data


def _set_leaders(item: Item, people: list[Person]) -> None:
    """Make a stored item's leader links these people, in this order.

    Links that stay are updated in place rather than deleted and re-inserted, which would
    collide on the (item, person) primary key within one flush.
    """
    old_leaders = {link.person_id: link for link in item.leader_links}
    leader_links = []
    for position, person in enumerate(people):
        leader = old_leaders.get(person.id)
        if leader is None:
            leader = ItemLeader(person=person)
        leader.position = position
        leader_links.append(leader)
    item.leader_links = leader_links


def _set_departments(item: Item, departments: list[tuple[Department, str]]) -> None:
    """Make a stored item's department links these (department, role), in this order (as
    _set_leaders)."""
    old_departments = {link.department_id: link for link in item.department_links}
    department_links = []
    for position, (department, role) in enumerate(departments):
        link = old_departments.get(department.id)
        if link is None:
            link = ItemDepartment(department=department)
        link.position = position
        link.role = role
        department_links.append(link)
    item.department_links = department_links


async def _insert_items(
    session: AsyncSession,
    plan_id: int,
    parsed: Sequence[ParsedItem],
    people: dict[str, Person],
    departments: dict[str, Department],
) -> dict[int, int]:
    """Insert the document's new items and their links; returns their ids by seq.

    Bulk statements (an executemany each for items, leader links and department links), not an
    ORM object and a flush per row: a 1,000-item plan took seconds that way. They bypass the
    flush, so text is cleaned here as the flush would clean it (storage.text).
    """
    if not parsed:
        return {}
    stamp = utcnow()
    rows = [
        {
            "plan_id": plan_id,
            "seq": p.seq,
            "title": clean_text(p.title),
            "content": clean_text(p.content),
            "deadline": p.deadline,
            "deadline_text": clean_text(p.deadline_text),
            "recurring": p.recurring,
            "snoozed_until": None,
            "status": ItemStatus.OPEN.value,
            "progress": 0,
            "done_at": None,
            "created_at": stamp,
            "updated_at": stamp,
        }
        for p in parsed
    ]
    # Plain executemany (no RETURNING, which SQLAlchemy sends a few rows at a time), then the
    # ids by number: (plan, seq) is unique.
    await session.execute(insert(_table(Item)), rows)
    seqs = {p.seq for p in parsed}
    stored = await session.execute(
        select(pk(Item.id), col(Item.seq)).where(col(Item.plan_id) == plan_id)
    )
    ids = {seq: item_id for item_id, seq in stored.all() if seq in seqs}
    leader_rows = [
        {"item_id": ids[p.seq], "person_id": row_id(people[name]), "position": position}
        for p in parsed
        for position, name in enumerate(_unique_names(p.leaders))
    ]
    department_rows = [
        {
            "item_id": ids[p.seq],
            "department_id": row_id(departments[name]),
            "position": position,
            "role": role,
        }
        for p in parsed
        for position, (name, role) in enumerate(_department_links(p))
    ]
    if leader_rows:
        await session.execute(insert(_table(ItemLeader)), leader_rows)
    if department_rows:
        await session.execute(insert(_table(ItemDepartment)), department_rows)
    return ids


def _table(
    model: type[Item] | type[ItemLeader] | type[ItemDepartment] | type[ItemEvent],
) -> Table:
    """The model's Core table, for statements that skip the ORM's per-row work."""
    return model.metadata.tables[model.__tablename__]


def _plan_query(chat_id: int, key: PeriodKey) -> Select[Plan]:
    return select(Plan).where(
        col(Plan.chat_id) == chat_id,
        col(Plan.year) == key.year,
        col(Plan.month) == key.month,
        col(Plan.quarter) == key.quarter,
    )


def _with_items() -> LoaderOption:
    return selectinload(related(Plan.items)).options(*ITEM_LINK_OPTIONS)


async def _load_plan_for_import(session: AsyncSession, chat_id: int, key: PeriodKey) -> Plan | None:
    return await session.scalar(
        _plan_query(chat_id, key).options(_with_items()).execution_options(populate_existing=True)
    )


async def save_parsed_plan(
    session: AsyncSession,
    chat_id: int,
    parsed: ParsedPlan,
    source_text: str,
    *,
    remove_missing: bool = False,
    archived: bool = False,
    author_tg_user_id: int | None = None,
    author_name: str = "",
) -> ImportResult:
    """Store a parsed plan for (chat, period), or merge it into the one already stored.

    `chat_id` is Chat.id (ours). Items are matched as described in _match; a matched item keeps
    its status, progress, history and reminders, and gets an 'import' ItemEvent row listing what
    changed (JSON: {"column": [old, new]}); a field changed in the chat since the last import
    stays unless the document changed it too (_field_changes). A stored item whose number the
    document gives to a different task is deleted (a DeletedItem keeps its record) and the new
    task added. Other stored items missing from the document are reported in `removed` and
    deleted only when `remove_missing` is set. `archived`: kept as a record, never reminded
    (the caller plans no reminders for it). Flushes, never commits.
    Raises ValueError before writing anything if the plan's period is unknown or a seq repeats.
    """
    key = _validate(parsed)
    plan = await _load_plan_for_import(session, chat_id, key)
    if plan is None:
        # items=[]: a new object's collection is known to be empty, not "not loaded yet".
        new_plan = Plan(
            chat_id=chat_id,
            year=key.year,
            month=key.month,
            quarter=key.quarter,
            title=parsed.title,
            items=[],
        )
        plan = await add_or_fetch(
            session, new_plan, lambda: _load_plan_for_import(session, chat_id, key)
        )
        created = plan is new_plan
    else:
        created = False
    plan_was_archived = plan.archived
    plan.title = parsed.title
    plan.archived = archived
    plan.source_text = source_text
    snapshots = dict(plan.imported or {})

    result = ImportResult(plan=plan, created=created)
    pairs, missing = _match(plan.items, parsed.items)
    missing.sort(key=lambda item: item.seq)
    # An unpaired stored item whose number the document gives to a new task was replaced.
    new_seqs = {p.seq for p in parsed.items if p.seq not in pairs}
    replaced = [item for item in missing if item.seq in new_seqs]
    missing = [item for item in missing if item.seq not in new_seqs]

    histories = await _histories(session, [row_id(item) for item in pairs.values()])
    for p in parsed.items:
        item = pairs.get(p.seq)
        if item is not None:
            result.fields += _field_changes(
                item, p, snapshots.get(str(row_id(item))), histories.get(row_id(item), [])
            )
    writes: dict[int, list[FieldChange]] = {}
    for change in result.fields:
        if change.fate is not FieldFate.KEPT:
            writes.setdefault(change.item_id, []).append(change)

    for item in missing:
        result.removed.append(row_id(item))
        result.items[row_id(item)] = item
    for item in replaced:
        result.items[row_id(item)] = item
    doomed = replaced + (missing if remove_missing else [])
    if doomed:
        await record_deletions(
            session,
            plan,
            doomed,
            how=DeletionWay.IMPORT,
            by_tg_user_id=author_tg_user_id,
            by_name=author_name,
        )
        for item in doomed:
            plan.items.remove(item)
            snapshots.pop(str(row_id(item)), None)
            await session.delete(item)
        await session.flush()
    if remove_missing:
        missing = []

    # Every stored item's final number: the document's for matched items; a kept item whose
    # number the document now gives to another moves after the last one.
    doc_seqs = {p.seq for p in parsed.items}
    final_seq = {row_id(item): seq for seq, item in pairs.items()}
    next_free = max(doc_seqs | {item.seq for item in missing}, default=0) + 1
    for item in missing:
        if item.seq in doc_seqs:
            final_seq[row_id(item)] = next_free
            next_free += 1
    await _renumber(session, plan.items, final_seq)

    # The names the import links items to, created where new: a few statements for the lot.
    people = await named_rows(
        session, Person, chat_id, _names_written(parsed.items, pairs, writes, "leaders")
    )
    departments = await named_rows(
        session, Department, chat_id, _names_written(parsed.items, pairs, writes, "departments")
    )
    for p in parsed.items:
        item = pairs.get(p.seq)
        if item is None:
            continue  # new: inserted in bulk below
        fields = {change.field for change in writes.get(row_id(item), [])}
        if "title" in fields:
            item.title = p.title
        if "content" in fields:
            item.content = p.content
        if "deadline" in fields:
            item.deadline = p.deadline
            item.deadline_text = p.deadline_text
            item.recurring = p.recurring
        if "leaders" in fields:
            _set_leaders(item, [people[name] for name in _unique_names(p.leaders)])
        if "departments" in fields:
            _set_departments(
                item, [(departments[name], role) for name, role in _department_links(p)]
            )
    await session.flush()
    added = await _insert_items(
        session,
        row_id(plan),
        [p for p in parsed.items if p.seq not in pairs],
        people,
        departments,
    )

    replaced_by_seq = {item.seq: row_id(item) for item in replaced}
    stamp = utcnow()
    events: list[dict[str, Any]] = []
    for p in parsed.items:
        if p.seq in added:
            item_id = added[p.seq]
            result.added.append(item_id)
            if p.seq in replaced_by_seq:
                result.replaced.append((replaced_by_seq[p.seq], item_id))
        else:
            item_id = row_id(pairs[p.seq])
            if data := _written(writes.get(item_id, [])):
                result.changed.append(item_id)
                events.append(
                    {
                        "item_id": item_id,
                        "kind": ItemEventKind.IMPORT.value,
                        "author_tg_user_id": author_tg_user_id,
                        "author_name": clean_text(author_name),
                        "text": "",
                        "percent": None,
                        # What /item's history and the exports read: column → [old, new].
                        "data": clean_value(data),
                        "created_at": stamp,
                    }
                )
        # The next import compares against what this document said, kept fields included.
        snapshots[str(item_id)] = _document_values(p)
    if events:
        # One executemany: a renumbered 1,000-item plan changes every item (its number).
        await session.execute(insert(_table(ItemEvent)), events)
    plan.imported = snapshots
    await session.flush()

    # Reload so plan.items is complete (the new items with their links) and in seq order
    # after any renumbering.
    await _load_plan_for_import(session, chat_id, key)
    result.items |= {row_id(item): item for item in plan.items}
    if plan_was_archived != archived:
        result.to_replan = [row_id(item) for item in plan.items]
    else:
        result.to_replan = list(added.values()) + [
            item_id
            for item_id, changes in writes.items()
            if any(change.field == "deadline" for change in changes)
        ]
    return result


def _names_written(
    parsed: Sequence[ParsedItem],
    pairs: dict[int, Item],
    writes: dict[int, list[FieldChange]],
    which: str,
) -> set[str]:
    """The names of leaders or departments (`which`: the FIELDS key) an import writes: all of
    a new item's, and a stored item's where that field changes."""
    names: set[str] = set()
    for p in parsed:
        item = pairs.get(p.seq)
        if item is None or any(c.field == which for c in writes.get(row_id(item), [])):
            if which == "leaders":
                names.update(_unique_names(p.leaders))
            else:
                names.update(name for name, _ in _department_links(p))
    return names


async def _histories(session: AsyncSession, item_ids: list[int]) -> dict[int, list[ItemEvent]]:
    """The items' ItemEvent rows, oldest first, by item id."""
    histories: dict[int, list[ItemEvent]] = {}
    if not item_ids:
        return histories
    rows = await session.scalars(
        select(ItemEvent)
        .where(col(ItemEvent.item_id).in_(item_ids))
        .order_by(col(ItemEvent.item_id), col(ItemEvent.created_at), pk(ItemEvent.id))
    )
    for update in rows:
        histories.setdefault(update.item_id, []).append(update)
    return histories


async def _renumber(
    session: AsyncSession, items: Iterable[Item], final_seq: dict[int, int]
) -> None:
    """Give items their new numbers.

    In two steps: (plan, seq) is unique and checked row by row, so swapping two numbers directly
    would collide. Negated ids are free because real numbers are positive. Two bulk statements
    (an IN list, then an executemany), not two ORM flushes of every moving item: a plan with
    one item inserted at the top renumbers all the others.
    """
    items = list(items)
    moving = {
        row_id(item): final_seq[row_id(item)]
        for item in items
        if item.id in final_seq and final_seq[item.id] != item.seq
    }
    if not moving:
        return
    await session.flush()
    table = _table(Item)
    ids = sorted(moving)
    for start in range(0, len(ids), _IDS_PER_QUERY):
        await session.execute(
            sa.update(table)
            .where(table.c.id.in_(ids[start : start + _IDS_PER_QUERY]))
            .values(seq=-table.c.id)
        )
    await session.execute(
        sa.update(table).where(table.c.id == bindparam("moved")).values(seq=bindparam("to")),
        [{"moved": item_id, "to": seq} for item_id, seq in moving.items()],
    )
    # The rows have their numbers; the objects are told so without a flush of their own.
    for item in items:
        if item.id in moving:
            set_committed_value(item, "seq", moving[item.id])


def _newest_first() -> tuple[Any, ...]:
    # Within a year: the months' plans newest first, then the quarters', then the year's.
    return (col(Plan.year).desc(), col(Plan.month).desc(), col(Plan.quarter).desc())


async def list_plans(session: AsyncSession, chat_id: int) -> list[Plan]:
    """The chat's plans, newest first (items not loaded)."""
    result = await session.scalars(
        select(Plan).where(col(Plan.chat_id) == chat_id).order_by(*_newest_first())
    )
    return list(result)


async def get_plan(
    session: AsyncSession,
    chat_id: int,
    year: int,
    month: int,
    *,
    quarter: int = 0,
    with_items: bool = False,
) -> Plan | None:
    """The plan for one month (month 0: the quarter's, or with quarter 0 the year's);
    with_items loads items with their leaders and departments."""
    query = _plan_query(chat_id, PeriodKey(year, month, quarter))
    if with_items:
        query = query.options(_with_items())
    return await session.scalar(query)


async def current_plan(
    session: AsyncSession, chat_id: int, today: date, *, with_items: bool = False
) -> Plan | None:
    """This month's plan, else the latest (a month's before a quarter's or year's of the same
    year), else None."""
    plan = await get_plan(session, chat_id, today.year, today.month, with_items=with_items)
    if plan is not None:
        return plan
    query = select(Plan).where(col(Plan.chat_id) == chat_id).order_by(*_newest_first()).limit(1)
    if with_items:
        query = query.options(_with_items())
    return await session.scalar(query)


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


async def running_period_plans(session: AsyncSession, chat_id: int, today: date) -> list[Plan]:
    """The quarter's and the year's plans that cover `today` (not archives): /plan shows them
    next to the month's. The year's first."""
    result = await session.scalars(
        select(Plan)
        .where(
            col(Plan.chat_id) == chat_id,
            col(Plan.year) == today.year,
            col(Plan.month) == 0,
            col(Plan.quarter).in_((0, quarter_of(today))),
            col(Plan.archived).is_(False),
        )
        .order_by(col(Plan.quarter))
    )
    return list(result)


async def items_with_links(session: AsyncSession, plan_id: int) -> list[Item]:
    """A plan's items in seq order with leader_links→person and department_links→department."""
    result = await session.scalars(
        select(Item)
        .where(col(Item.plan_id) == plan_id)
        .order_by(col(Item.seq))
        .options(*ITEM_LINK_OPTIONS)
    )
    return list(result)
