"""Progress collection (进展报送): when a group is asked for progress and chased, what each
chat is told then, and who has reported since.

- When: the policy's `report` ("fri 16:00", "25 16:00") on each such day that is a working day,
  else the working day before (nobody is asked on a Saturday, and the answers are in before
  the day the office wanted them by); a month without the 31st asks on its last day. The chase
  (`report_chase`) is the next working day at the policy's reminder time, or the time it names.
  Both are digest rows in the outbox (kinds "report", "report_chase"), planned by
  jobs/digests.py, so they survive restarts and are sent once across instances.
- What: at the ask, every department with open lead parts in the group's current plan (配合
  departments are never asked) is asked about each of those items, in one message per chat:
  the group, and a department's own chat where its reminders already go (jobs/entries.py).
  The round (storage/report_rounds.py) keeps what was asked, so a retry asks the same.
- Who has reported: a department has reported once every item it was asked about has a report
  (progress, note or done, not undone) since the ask, by one of its members, or by someone
  answering for the whole item (a leader, an admin: no department of their own among the
  item's; a 配合 department's member answers for nobody asked). Every item, not any one: an
  office asks for a line on each.
- The chase: the departments still 未报送 are mentioned once more, and the leaders of their
  items are told who has not reported; nothing when all have.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from jobs.calendar import WorkCalendar
from jobs.entries import MessageContent, PersonRef
from jobs.policy import ReminderPolicy
from storage.item_queries import REPORT_KINDS
from storage.models import (
    Chat,
    Department,
    DepartmentMember,
    DepartmentRole,
    DigestKind,
    Item,
    ItemDepartment,
    ItemEvent,
    ItemEventKind,
    ItemLeader,
    ItemStatus,
    PartStatus,
    Person,
    ReportRound,
)
from storage.plans import current_plan
from storage.report_rounds import (
    Asked,
    add_round_message,
    get_round,
    mark_chased,
    open_round,
    round_asked,
    round_to_chase,
)
from storage.rows import pk, row_id

REPORT = DigestKind.REPORT.value
REPORT_CHASE = DigestKind.REPORT_CHASE.value
KINDS = frozenset({REPORT, REPORT_CHASE})
RoundKind = Literal["report", "report_chase"]
# A chase looks this far back for its round (a monthly ask, then the longest holiday break).
CHASE_LOOKBACK = timedelta(days=45)
# Answers edit the asks of rounds this recent; older ones are history.
EDIT_WINDOW = timedelta(days=35)


# --- when --------------------------------------------------------------------------------------


def _month_days(year: int, month: int) -> int:
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    return (first_of_next - timedelta(days=1)).day


def ask_days(policy: ReminderPolicy, calendar: WorkCalendar, start: date, end: date) -> list[date]:
    """The days in `start` … `end` the group is asked on, each moved back to a working day."""
    spec = policy.report_spec
    if spec is None or end < start:
        return []
    nominal: list[date] = []
    # From a week (a month) before: a nominal day just after `end`'s range may move back in.
    day = start - timedelta(days=7)
    if spec.weekday is not None:
        day += timedelta(days=(spec.weekday - day.weekday()) % 7)
        while day <= end + timedelta(days=7):
            nominal.append(day)
            day += timedelta(weeks=1)
    else:
        assert spec.day is not None
        year, month = (start.year, start.month - 1) if start.month > 1 else (start.year - 1, 12)
        while date(year, month, 1) <= end:
            nominal.append(date(year, month, min(spec.day, _month_days(year, month))))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return sorted({d for d in (calendar.on_or_before(n) for n in nominal) if start <= d <= end})


def collection_times(
    policy: ReminderPolicy,
    calendar: WorkCalendar,
    tz: ZoneInfo,
    start: date,
    end: date,
) -> set[tuple[str, datetime]]:
    """(kind, instant in UTC) of the asks and the chases whose day lies in `start` … `end`
    (a chase's ask may lie before `start`: a re-plan on Monday keeps Friday's ask's chase)."""
    spec = policy.report_spec
    if spec is None:
        return set()
    chase = policy.chase_spec
    out: set[tuple[str, datetime]] = set()
    for day in ask_days(policy, calendar, start - CHASE_LOOKBACK, end):
        if day >= start:
            out.add((REPORT, datetime.combine(day, spec.at, tzinfo=tz).astimezone(UTC)))
        chase_day = calendar.add_workdays(day, 1)
        if chase is not None and start <= chase_day:
            at = chase.at or policy.remind_at
            out.add((REPORT_CHASE, datetime.combine(chase_day, at, tzinfo=tz).astimezone(UTC)))
    return out


def next_ask(
    policy: ReminderPolicy, calendar: WorkCalendar, tz: ZoneInfo, now: datetime
) -> datetime | None:
    """When the group is next asked under this policy (for /remind)."""
    today = now.astimezone(tz).date()
    end = today + CHASE_LOOKBACK
    times = [
        at for kind, at in collection_times(policy, calendar, tz, today, end) if kind == REPORT
    ]
    return min((at for at in times if at > now), default=None)


# --- what a round message says -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AskedItem:
    item_id: int
    seq: int
    title: str
    reported: bool = False
    # Still open now: an item done since (a re-import, say) is not chased.
    open: bool = True


@dataclass(frozen=True, slots=True)
class DepartmentAsk:
    department_id: int
    name: str
    items: tuple[AskedItem, ...]
    # Its bound members, pinged where the message is the department's to answer.
    people: tuple[PersonRef, ...] = ()
    # A chat of its own (not the group) where it is asked too.
    tg_chat_id: int | None = None
    # Every item it was asked about has a report (a message may show only some of them).
    reported: bool = False


@dataclass(frozen=True, slots=True)
class RoundContent:
    """What one message of a round shows; the bot renders it (bot/views/collection.py)."""

    kind: RoundKind
    round_id: int
    # When the group was asked (the chase names it), and that day in the office's zone.
    asked_at: datetime
    asked_on: date
    departments: tuple[DepartmentAsk, ...]
    # The chase in the group: the leaders of the items not reported, told who has not.
    leaders: tuple[PersonRef, ...] = ()
    # Set when the message goes to a department's own chat rather than the group.
    department: str | None = None

    @property
    def item_ids(self) -> tuple[int, ...]:
        return tuple(i.item_id for d in self.departments for i in d.items)


async def _asked_now(session: AsyncSession, chat_id: int, today: date) -> list[Asked]:
    """The departments with open lead parts in the chat's current plan, and those items."""
    plan = await current_plan(session, chat_id, today)
    if plan is None or plan.archived:
        return []
    rows = await session.execute(
        select(pk(ItemDepartment.department_id), pk(Item.id))
        .join(Item, pk(Item.id) == col(ItemDepartment.item_id))
        .where(
            col(Item.plan_id) == plan.id,
            col(Item.status) == ItemStatus.OPEN.value,
            col(ItemDepartment.role) == DepartmentRole.LEAD.value,
            col(ItemDepartment.status) == PartStatus.OPEN.value,
        )
        .order_by(col(Item.seq), col(ItemDepartment.position))
    )
    by_department: dict[int, list[int]] = {}
    for department_id, item_id in rows:
        by_department.setdefault(department_id, []).append(item_id)
    return [Asked(d, tuple(items)) for d, items in by_department.items()]


async def _reported(
    session: AsyncSession, round_: ReportRound, asked: Sequence[Asked]
) -> set[tuple[int, int]]:
    """(department id, item id) pairs of the round that have a report since its ask."""
    item_ids = sorted({i for a in asked for i in a.item_ids})
    if not item_ids:
        return set()
    # Who belongs to which department of each item, lead or 配合 (assist).
    linked: dict[tuple[int, int], set[int]] = {}
    for item_id, department_id, tg_user_id in await session.execute(
        select(pk(ItemDepartment.item_id), pk(ItemDepartment.department_id), col(Person.tg_user_id))
        .join(
            DepartmentMember,
            col(DepartmentMember.department_id) == pk(ItemDepartment.department_id),
        )
        .join(Person, pk(Person.id) == col(DepartmentMember.person_id))
        .where(pk(ItemDepartment.item_id).in_(item_ids))
    ):
        if tg_user_id is not None:
            linked.setdefault((item_id, tg_user_id), set()).add(department_id)
    asked_of: dict[int, set[int]] = {}
    for a in asked:
        for i in a.item_ids:
            asked_of.setdefault(i, set()).add(a.department_id)
    events = list(
        await session.execute(
            select(
                pk(ItemEvent.id),
                col(ItemEvent.item_id),
                col(ItemEvent.kind),
                col(ItemEvent.author_tg_user_id),
                col(ItemEvent.data),
            ).where(
                col(ItemEvent.item_id).in_(item_ids),
                col(ItemEvent.created_at) >= round_.fire_at,
                col(ItemEvent.kind).in_((*REPORT_KINDS, ItemEventKind.UNDO.value)),
            )
        )
    )
    undone = {
        int(data["undoes"])
        for _, _, kind, _, data in events
        if kind == ItemEventKind.UNDO.value and data and "undoes" in data
    }
    out: set[tuple[int, int]] = set()
    for event_id, item_id, kind, author, data in events:
        if kind == ItemEventKind.UNDO.value or event_id in undone:
            continue
        own = (data or {}).get("department_id")
        if isinstance(own, int):
            # A department's part (issue 16 §1): that department's answer alone.
            out.add((own, item_id))
            continue
        # A member of the item's departments answers for their own (a 配合 department's for
        # none asked); anyone else (a leader, an admin) for the whole item.
        theirs = linked.get((item_id, author), set()) if author is not None else set()
        for department_id in theirs & asked_of[item_id] if theirs else asked_of[item_id]:
            out.add((department_id, item_id))
    return out


async def _departments(
    session: AsyncSession, asked: Sequence[Asked], reported: set[tuple[int, int]]
) -> list[DepartmentAsk]:
    department_ids = [a.department_id for a in asked]
    item_ids = sorted({i for a in asked for i in a.item_ids})
    names = {
        row_id(d): d
        for d in await session.scalars(
            select(Department).where(pk(Department.id).in_(department_ids))
        )
    }
    items = {
        item_id: (seq, title, status == ItemStatus.OPEN.value)
        for item_id, seq, title, status in await session.execute(
            select(pk(Item.id), col(Item.seq), col(Item.title), col(Item.status)).where(
                pk(Item.id).in_(item_ids)
            )
        )
    }
    people: dict[int, list[PersonRef]] = {}
    for department_id, name, tg_user_id in await session.execute(
        select(col(DepartmentMember.department_id), col(Person.name), col(Person.tg_user_id))
        .join(Person, pk(Person.id) == col(DepartmentMember.person_id))
        .where(col(DepartmentMember.department_id).in_(department_ids))
        .order_by(col(DepartmentMember.department_id), pk(Person.id))
    ):
        people.setdefault(department_id, []).append(PersonRef(name, tg_user_id))
    out = []
    for a in asked:
        department = names.get(a.department_id)
        listed = [
            AskedItem(i, items[i][0], items[i][1], (a.department_id, i) in reported, items[i][2])
            for i in a.item_ids
            if i in items
        ]
        if department is None or not listed:
            continue
        listed.sort(key=lambda i: i.seq)
        out.append(
            DepartmentAsk(
                a.department_id,
                department.name,
                tuple(listed),
                tuple(people.get(a.department_id, ())),
                department.tg_chat_id,
                all(i.reported for i in listed),
            )
        )
    return out


async def _leaders(session: AsyncSession, item_ids: Sequence[int]) -> tuple[PersonRef, ...]:
    rows = await session.execute(
        select(pk(Person.id), col(Person.name), col(Person.tg_user_id))
        .join(ItemLeader, pk(ItemLeader.person_id) == pk(Person.id))
        .where(pk(ItemLeader.item_id).in_(sorted(set(item_ids))))
        .order_by(pk(Person.id))
    )
    people = {person_id: (name, tg_user_id) for person_id, name, tg_user_id in rows}
    return tuple(PersonRef(name, user, user is not None) for name, user in people.values())


def _pinged(department: DepartmentAsk, on: bool) -> DepartmentAsk:
    return replace(
        department,
        people=tuple(
            replace(p, mention=on and p.tg_user_id is not None) for p in department.people
        ),
    )


def _targets(
    content: RoundContent, chat: Chat, default_locale: str, locales: dict[int, str | None]
) -> list[MessageContent]:
    """The group's message and each department's own chat's: in the group the departments
    without a chat of their own are pinged; in its own chat, the department."""
    group = chat.tg_chat_id
    shown = tuple(
        _pinged(d, d.tg_chat_id is None or d.tg_chat_id == group) for d in content.departments
    )
    out = [
        MessageContent(
            group,
            chat.locale or default_locale,
            content.asked_on,
            (),
            collection=replace(content, departments=shown),
        )
    ]
    own: dict[int, list[DepartmentAsk]] = {}
    for d in content.departments:
        if d.tg_chat_id is not None and d.tg_chat_id != group:
            own.setdefault(d.tg_chat_id, []).append(_pinged(d, True))
    for tg_chat_id, departments in sorted(own.items()):
        name = "、".join(d.name for d in departments)
        out.append(
            MessageContent(
                tg_chat_id,
                locales.get(tg_chat_id) or default_locale,
                content.asked_on,
                (),
                # The leaders are told in the group, not in each department's chat.
                collection=replace(
                    content, departments=tuple(departments), department=name, leaders=()
                ),
            )
        )
    return out


async def _chat_locales(session: AsyncSession, tg_chat_ids: Sequence[int]) -> dict[int, str | None]:
    if not tg_chat_ids:
        return {}
    rows = await session.execute(
        select(col(Chat.tg_chat_id), col(Chat.locale)).where(col(Chat.tg_chat_id).in_(tg_chat_ids))
    )
    return {tg_chat_id: locale for tg_chat_id, locale in rows}


async def compose(
    session: AsyncSession,
    chat: Chat,
    kind: str,
    fire_at: datetime,
    *,
    tz: ZoneInfo,
    default_locale: str,
) -> list[MessageContent]:
    """What each chat is told for the chat's due ask or chase at `fire_at`, the group first;
    nothing when there is nothing to ask (no open lead parts) or nobody to chase."""
    chat_id = row_id(chat)
    if kind == REPORT:
        today = fire_at.astimezone(tz).date()
        wanted = await _asked_now(session, chat_id, today)
        if not wanted and await get_round(session, chat_id, fire_at) is None:
            return []  # nothing open: no round, nothing sent
        round_, asked = await open_round(session, chat_id, fire_at, wanted)
        departments = await _departments(session, asked, await _reported(session, round_, asked))
        if not departments:
            return []
        content = RoundContent("report", row_id(round_), round_.fire_at, today, tuple(departments))
    else:
        chased = await round_to_chase(session, chat_id, fire_at, fire_at - CHASE_LOOKBACK)
        if chased is None:
            return []
        asked = await round_asked(session, row_id(chased))
        reported = await _reported(session, chased, asked)
        # Each department is chased about the items it has not reported on and still has open.
        behind = [
            replace(d, items=owed)
            for d in await _departments(session, asked, reported)
            if (owed := tuple(i for i in d.items if not i.reported and i.open))
        ]
        if not behind:
            return []
        leaders = await _leaders(session, [i.item_id for d in behind for i in d.items])
        content = RoundContent(
            "report_chase",
            row_id(chased),
            chased.fire_at,
            chased.fire_at.astimezone(tz).date(),
            tuple(behind),
            leaders,
        )
    own = sorted({d.tg_chat_id for d in content.departments if d.tg_chat_id is not None})
    return _targets(content, chat, default_locale, await _chat_locales(session, own))


async def record_round_message(
    session: AsyncSession,
    content: RoundContent,
    tg_chat_id: int,
    message_id: int,
    item_ids: Sequence[int],
    now: datetime,
) -> None:
    """A message of a round went out: keep it (to edit it as answers arrive, and to know a
    reply to it), and mark the round chased when it was its chase."""
    listed = set(item_ids)
    departments = [
        d.department_id for d in content.departments if any(i.item_id in listed for i in d.items)
    ]
    await add_round_message(
        session, content.round_id, tg_chat_id, message_id, content.kind, departments
    )
    if content.kind == REPORT_CHASE:
        await mark_chased(session, content.round_id, now)


async def ask_as_it_stands(
    session: AsyncSession,
    round_id: int,
    tg_chat_id: int,
    department_ids: Sequence[int],
    item_ids: Collection[int],
    *,
    tz: ZoneInfo,
    default_locale: str,
) -> MessageContent | None:
    """An ask message as it reads now (who has reported since), to edit it in place: its
    departments, and of their items those it listed (`item_ids`; a long ask went out as
    several messages)."""
    round_ = await session.get(ReportRound, round_id)
    chat = await session.get(Chat, round_.chat_id) if round_ is not None else None
    if round_ is None or chat is None:
        return None
    wanted = set(department_ids)
    asked = [a for a in await round_asked(session, round_id) if a.department_id in wanted]
    departments = [
        replace(d, items=shown)
        for d in await _departments(session, asked, await _reported(session, round_, asked))
        if (shown := tuple(i for i in d.items if i.item_id in item_ids))
    ]
    if not departments:
        return None
    asked_on = round_.fire_at.astimezone(tz).date()
    content = RoundContent("report", round_id, round_.fire_at, asked_on, tuple(departments))
    own = sorted({d.tg_chat_id for d in departments if d.tg_chat_id is not None})
    for target in _targets(content, chat, default_locale, await _chat_locales(session, own)):
        if target.tg_chat_id == tg_chat_id:
            return target
    return None
