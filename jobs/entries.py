"""What a reminder or digest says about each item, as plain data for the bot to render.

Loading (`load_facts`) reads everything about a set of items in a fixed number of queries,
whatever their number: the dispatcher may hold thousands after an outage. Deciding what a
message says (`entry_for`) is pure: who is pinged depends on where the message goes —
- in the plan's group, the bound members of departments without a chat of their own, and the
  leaders unless a department of the item has its own chat (it is reminded there);
- in a department's own chat, that department's bound members;
- on an escalated reminder, the leaders everywhere, and the configured supervisors in the group.
Of the departments only those still owing their part are pinged or reminded in their own chat
(a lead department whose part is open: not done, not awaiting review; never a partner, 配合).
Everyone else is named without a ping.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Literal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from jobs.calendar import WorkCalendar
from jobs.claims import chunks
from jobs.policy import ReminderPolicy, effective_deadline, escalated_on
from jobs.status import Marker, item_marker
from plans.bulletin import Bulletin
from plans.names import normalise_name
from storage.item_queries import REPORT_KINDS
from storage.models import (
    Chat,
    Department,
    DepartmentMember,
    DepartmentRole,
    Item,
    ItemDepartment,
    ItemEvent,
    ItemEventKind,
    ItemLeader,
    ItemStatus,
    PartStatus,
    Person,
    Plan,
    Reminder,
    ReminderMessage,
    ReminderState,
)
from storage.rows import pk

if TYPE_CHECKING:
    from jobs.collection import RoundContent

SectionKind = Literal["reminders", "month", "weekly"]


@dataclass(frozen=True, slots=True)
class PersonRef:
    name: str
    tg_user_id: int | None = None
    # Ping them (a tg://user link) rather than only name them.
    mention: bool = False


@dataclass(frozen=True, slots=True)
class DepartmentRef:
    name: str
    people: tuple[PersonRef, ...] = ()
    # Its part of the item (issue 16 §1): a lead department's state, or a partner (配合).
    required: bool = True
    status: str = PartStatus.OPEN.value
    progress: int = 0


@dataclass(frozen=True, slots=True)
class AckState:
    """Who confirmed seeing the reminder (已确认) and who has not yet (未确认)."""

    confirmed: tuple[str, ...] = ()
    waiting: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Entry:
    item_id: int
    plan_year: int
    # 0 for a quarter's plan (plan_quarter 1–4) or the year's (plan_quarter 0).
    plan_month: int
    seq: int
    title: str
    deadline: date | None
    deadline_text: str
    recurring: bool
    # Calendar days from the message's day to the deadline; negative once overdue.
    days_left: int | None
    marker: Marker
    escalated: bool
    progress: int
    leaders: tuple[PersonRef, ...]
    departments: tuple[DepartmentRef, ...]
    supervisors: tuple[PersonRef, ...] = ()
    acks: AckState | None = None
    plan_quarter: int = 0
    # Set only in a reminder shown again later (edited in place) while the item's snooze runs:
    # the day it is reminded again.
    snoozed_until: date | None = None


@dataclass(frozen=True, slots=True)
class Section:
    kind: SectionKind
    entries: tuple[Entry, ...]
    # The plan a month or weekly section is about.
    plan_year: int | None = None
    plan_month: int | None = None
    plan_quarter: int | None = None


@dataclass(frozen=True, slots=True)
class MessageContent:
    """Everything one Telegram chat is told at one time; the bot renders it."""

    tg_chat_id: int
    locale: str | None
    as_of: date
    sections: tuple[Section, ...]
    # Set when the chat is a department's own chat rather than the plan's group.
    department: str | None = None
    # The month's 通报 (a digest of kind "bulletin"): a message of its own, without sections.
    bulletin: Bulletin | None = None
    # A message of progress collection (jobs/collection.py) instead of sections.
    collection: RoundContent | None = None

    @property
    def item_ids(self) -> list[int]:
        return [e.item_id for s in self.sections for e in s.entries]


@dataclass(frozen=True, slots=True)
class Ack:
    tg_user_id: int | None
    name: str
    at: datetime


@dataclass(frozen=True, slots=True)
class DepartmentFacts:
    name: str
    tg_chat_id: int | None
    members: tuple[PersonRef, ...]
    required: bool = True
    status: str = PartStatus.OPEN.value
    progress: int = 0

    @property
    def owing(self) -> bool:
        """A lead department whose part is still open (not done, not awaiting review): the
        only departments a reminder is for. A partner (配合) never owes anything."""
        return self.required and self.status == PartStatus.OPEN.value


@dataclass(slots=True)
class ItemFacts:
    """One item and everything around it that a message may mention."""

    item_id: int
    plan_id: int
    plan_year: int
    plan_month: int
    chat_id: int  # our Chat.id of the plan's group
    tg_chat_id: int
    seq: int
    title: str
    deadline: date | None
    deadline_text: str
    recurring: bool
    done: bool
    progress: int
    leaders: tuple[PersonRef, ...]
    departments: tuple[DepartmentFacts, ...]
    acks: list[Ack] = field(default_factory=list)
    # Whether there is a reminder to acknowledge: a digest shows who has not confirmed only
    # for items that were reminded.
    ack_window: bool = False
    has_report: bool = False
    plan_quarter: int = 0
    snoozed_until: date | None = None

    def owing(self) -> list[DepartmentFacts]:
        """The departments the item still waits for (DepartmentFacts.owing)."""
        return [d for d in self.departments if d.owing]

    def department_chats(self) -> set[int]:
        """The own chats of the departments still owing their part: reminded there."""
        return {
            d.tg_chat_id
            for d in self.owing()
            if d.tg_chat_id is not None and d.tg_chat_id != self.tg_chat_id
        }

    def responsible(self) -> list[PersonRef]:
        """Leaders and the members of the departments still owing their part, each account (or
        unbound name) once: who is reminded and asked to confirm."""
        seen: set[object] = set()
        out = []
        for person in [*self.leaders, *(m for d in self.owing() for m in d.members)]:
            key = person.tg_user_id if person.tg_user_id is not None else person.name
            if key not in seen:
                seen.add(key)
                out.append(person)
        return out


async def load_facts(
    session: AsyncSession, item_ids: Iterable[int], *, acks_since: datetime | None = None
) -> dict[int, ItemFacts]:
    """Facts for these items (missing ids are left out).

    Acks are loaded from `acks_since` on (None: the acks since each item's latest reminder).
    """
    ids = sorted(set(item_ids))
    facts: dict[int, ItemFacts] = {}
    # Plain column selects rather than ORM objects: after an outage this loads thousands of
    # items, and building ORM instances (with their links) costs ten times more.
    leaders: dict[int, list[PersonRef]] = {}
    departments: dict[int, list[tuple[int, str, int | None, bool, str, int]]] = {}
    for group in chunks(ids):
        rows = await session.execute(
            select(
                pk(Item.id),
                col(Item.plan_id),
                col(Item.seq),
                col(Item.title),
                col(Item.deadline),
                col(Item.deadline_text),
                col(Item.recurring),
                col(Item.status),
                col(Item.progress),
                col(Item.snoozed_until),
                col(Plan.year),
                col(Plan.month),
                col(Plan.quarter),
                col(Plan.chat_id),
                col(Chat.tg_chat_id),
            )
            .join(Plan, pk(Plan.id) == col(Item.plan_id))
            .join(Chat, pk(Chat.id) == col(Plan.chat_id))
            .where(pk(Item.id).in_(group))
        )
        for r in rows:
            facts[r.id] = ItemFacts(
                item_id=r.id,
                plan_id=r.plan_id,
                plan_year=r.year,
                plan_month=r.month,
                plan_quarter=r.quarter,
                chat_id=r.chat_id,
                tg_chat_id=r.tg_chat_id,
                seq=r.seq,
                title=r.title,
                deadline=r.deadline,
                deadline_text=r.deadline_text,
                recurring=r.recurring,
                done=r.status == ItemStatus.DONE.value,
                progress=r.progress,
                leaders=(),
                departments=(),
                snoozed_until=r.snoozed_until,
            )
        for item_id, name, tg_user_id in await session.execute(
            select(pk(ItemLeader.item_id), col(Person.name), col(Person.tg_user_id))
            .join(Person, pk(Person.id) == pk(ItemLeader.person_id))
            .where(pk(ItemLeader.item_id).in_(group))
            .order_by(pk(ItemLeader.item_id), col(ItemLeader.position))
        ):
            leaders.setdefault(item_id, []).append(PersonRef(name, tg_user_id))
        for (
            item_id,
            department_id,
            name,
            tg_chat_id,
            role,
            status,
            progress,
        ) in await session.execute(
            select(
                pk(ItemDepartment.item_id),
                pk(Department.id),
                col(Department.name),
                col(Department.tg_chat_id),
                col(ItemDepartment.role),
                col(ItemDepartment.status),
                col(ItemDepartment.progress),
            )
            .join(Department, pk(Department.id) == pk(ItemDepartment.department_id))
            .where(pk(ItemDepartment.item_id).in_(group))
            .order_by(pk(ItemDepartment.item_id), col(ItemDepartment.position))
        ):
            required = role == DepartmentRole.LEAD.value
            departments.setdefault(item_id, []).append(
                (department_id, name, tg_chat_id, required, status, progress)
            )
    members = await department_members(session, {d[0] for ds in departments.values() for d in ds})
    for item_id, f in facts.items():
        f.leaders = tuple(leaders.get(item_id, ()))
        f.departments = tuple(
            DepartmentFacts(name, chat, members.get(department_id, ()), required, status, progress)
            for department_id, name, chat, required, status, progress in departments.get(
                item_id, ()
            )
        )
    await _load_acks(session, facts, acks_since)
    await _load_reports(session, facts)
    return facts


async def department_members(
    session: AsyncSession, department_ids: set[int]
) -> dict[int, tuple[PersonRef, ...]]:
    """The members of these departments, by department id (bound or not)."""
    found: dict[int, list[PersonRef]] = {}
    for group in chunks(sorted(department_ids)):
        rows = await session.execute(
            select(col(DepartmentMember.department_id), col(Person.name), col(Person.tg_user_id))
            .join(Person, pk(Person.id) == col(DepartmentMember.person_id))
            .where(col(DepartmentMember.department_id).in_(group))
            .order_by(col(DepartmentMember.department_id), pk(Person.id))
        )
        for department_id, name, tg_user_id in rows:
            found.setdefault(department_id, []).append(PersonRef(name, tg_user_id))
    return {k: tuple(v) for k, v in found.items()}


async def latest_reminder_times(
    session: AsyncSession, item_ids: Sequence[int]
) -> dict[int, datetime]:
    """When each item was last reminded: the newest message that carried a reminder row of
    it (listed in a digest's part of a message does not count)."""
    out: dict[int, datetime] = {}
    for group in chunks(list(item_ids)):
        rows = await session.execute(
            select(col(Reminder.item_id), func.max(col(ReminderMessage.sent_at)))
            .join(
                ReminderMessage,
                (col(ReminderMessage.tg_chat_id) == col(Reminder.tg_chat_id))
                & (col(ReminderMessage.tg_message_id) == col(Reminder.tg_message_id)),
            )
            .where(
                col(Reminder.item_id).in_(group), col(Reminder.state) == ReminderState.SENT.value
            )
            .group_by(col(Reminder.item_id))
        )
        out.update({item_id: at for item_id, at in rows if at is not None})
    return out


async def _load_acks(
    session: AsyncSession, facts: dict[int, ItemFacts], since: datetime | None
) -> None:
    ids = list(facts)
    per_item = await latest_reminder_times(session, ids) if since is None else {}
    for item_id, f in facts.items():
        f.ack_window = since is not None or item_id in per_item
    for group in chunks(ids):
        query = select(
            col(ItemEvent.item_id),
            col(ItemEvent.author_tg_user_id),
            col(ItemEvent.author_name),
            col(ItemEvent.created_at),
        ).where(col(ItemEvent.item_id).in_(group), col(ItemEvent.kind) == ItemEventKind.ACK.value)
        if since is not None:
            query = query.where(col(ItemEvent.created_at) >= since)
        for item_id, user_id, name, at in await session.execute(query.order_by(pk(ItemEvent.id))):
            start = since if since is not None else per_item.get(item_id)
            if start is None or at >= start:
                facts[item_id].acks.append(Ack(user_id, name, at))


async def _load_reports(session: AsyncSession, facts: dict[int, ItemFacts]) -> None:
    for group in chunks(list(facts)):
        reported = await session.scalars(
            select(col(ItemEvent.item_id))
            .where(col(ItemEvent.item_id).in_(group), col(ItemEvent.kind).in_(REPORT_KINDS))
            .distinct()
        )
        for item_id in reported:
            facts[item_id].has_report = True


def ack_state(facts: ItemFacts) -> AckState | None:
    """已确认 / 未确认 from the acks loaded; None when there is nothing to confirm or nobody
    answers for the item."""
    if not facts.ack_window:
        return None
    responsible = facts.responsible()
    acked_ids = {a.tg_user_id for a in facts.acks if a.tg_user_id is not None}
    confirmed = [p.name for p in responsible if p.tg_user_id in acked_ids]
    known: set[int | None] = {p.tg_user_id for p in responsible if p.tg_user_id is not None}
    # An admin confirming for the office counts too, under their Telegram name.
    for ack in facts.acks:
        if ack.tg_user_id not in known and ack.name and ack.name not in confirmed:
            confirmed.append(ack.name)
            known.add(ack.tg_user_id)
    waiting = [p.name for p in responsible if p.tg_user_id is None or p.tg_user_id not in acked_ids]
    if not confirmed and not waiting:
        return None
    return AckState(tuple(confirmed), tuple(waiting))


def resolve_supervisors(
    supervisors: Sequence[str | int], people: Sequence[PersonRef]
) -> tuple[PersonRef, ...]:
    """The configured supervisors (plan names or Telegram user ids) as people of one chat.

    A name nobody is bound to is named without a ping; a user id with no name in the chat is
    pinged with an empty name (the renderer labels it).
    """
    by_name = {p.name: p for p in people}
    by_id = {p.tg_user_id: p for p in people if p.tg_user_id is not None}
    out = []
    for supervisor in supervisors:
        if isinstance(supervisor, int):
            known = by_id.get(supervisor)
            out.append(PersonRef(known.name if known else "", supervisor, True))
        else:
            name = normalise_name(supervisor)
            known = by_name.get(name)
            out.append(PersonRef(name, known.tg_user_id if known else None, True))
    return tuple(out)


async def chat_people(session: AsyncSession, chat_ids: Iterable[int]) -> dict[int, list[PersonRef]]:
    """Every person of these chats (for resolving supervisors)."""
    out: dict[int, list[PersonRef]] = {}
    for group in chunks(sorted(set(chat_ids))):
        rows = await session.execute(
            select(col(Person.chat_id), col(Person.name), col(Person.tg_user_id)).where(
                col(Person.chat_id).in_(group)
            )
        )
        for chat_id, name, tg_user_id in rows:
            out.setdefault(chat_id, []).append(PersonRef(name, tg_user_id))
    return out


def _ping(person: PersonRef, on: bool) -> PersonRef:
    return replace(person, mention=on and person.tg_user_id is not None)


def entry_for(
    facts: ItemFacts,
    *,
    as_of: date,
    target: int,
    policy: ReminderPolicy,
    calendar: WorkCalendar,
    escalated: bool = False,
    supervisors: Sequence[PersonRef] = (),
    reminder: bool = True,
    today: date | None = None,
) -> Entry:
    """How one item appears in a message to Telegram chat `target` on day `as_of`.

    `reminder=False` is a digest line: nobody is pinged there, it is an overview.
    `today`: the message is shown again on that day (edited in place after a change), so a
    snooze still running then is shown; a message going out new never shows one.
    """
    deadline = effective_deadline(facts.deadline, facts.recurring, as_of)
    escalated = reminder and (
        escalated or escalated_on(deadline, as_of, policy=policy, calendar=calendar)
    )
    in_group = target == facts.tg_chat_id
    own_chats = facts.department_chats()
    leaders_pinged = reminder and (escalated or (in_group and not own_chats))
    departments = []
    for d in facts.departments:
        here = d.tg_chat_id == target if not in_group else d.tg_chat_id in (None, target)
        # Only a department still owing its part is pinged; a partner's or a done part's
        # members are named with the department, not reminded.
        ping = reminder and here and d.owing
        departments.append(
            DepartmentRef(
                d.name,
                tuple(_ping(m, ping) for m in d.members),
                d.required,
                d.status,
                d.progress,
            )
        )
    return Entry(
        item_id=facts.item_id,
        plan_year=facts.plan_year,
        plan_month=facts.plan_month,
        plan_quarter=facts.plan_quarter,
        seq=facts.seq,
        title=facts.title,
        deadline=deadline,
        deadline_text=facts.deadline_text,
        recurring=facts.recurring,
        days_left=(deadline - as_of).days if deadline is not None else None,
        marker=item_marker(
            deadline=deadline,
            today=as_of,
            done=facts.done,
            progress=facts.progress,
            has_report=facts.has_report,
        ),
        escalated=escalated,
        progress=facts.progress,
        leaders=tuple(_ping(p, leaders_pinged) for p in facts.leaders),
        departments=tuple(departments),
        supervisors=tuple(supervisors) if escalated and in_group else (),
        acks=ack_state(facts),
        snoozed_until=(
            facts.snoozed_until
            if today is not None and facts.snoozed_until is not None and facts.snoozed_until > today
            else None
        ),
    )


_MARKER_ORDER: dict[Marker, int] = {"overdue": 0, "behind": 1, "near": 2, "ok": 3, "done": 4}


def plan_order(entry: Entry) -> tuple[int, int, int, int]:
    return (entry.plan_year, entry.plan_month, entry.plan_quarter, entry.seq)


def urgency_order(entry: Entry) -> tuple[int, int, int, int, int]:
    """Overdue first, then behind, near, the rest; within each, plan order."""
    return (_MARKER_ORDER[entry.marker], *plan_order(entry))
