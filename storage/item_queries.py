"""Reading items for the chat: one item with its plan, a plan's listing and its filters, the
items someone answers for, an item's history."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from sqlalchemy import ColumnElement, Select, func, inspect, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.util import identity_key
from sqlmodel import col

from plans.months import Period
from plans.names import normalise_name
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
)
from storage.part_states import lead_links
from storage.plans import (
    ITEM_LINK_OPTIONS,
    PeriodKey,
    current_plan,
    get_plan,
    items_with_links,
    running_period_plans,
)
from storage.rows import pk, related, row_id

# Updates that count as someone having reported on an item (an acknowledgement does not).
REPORT_KINDS = (ItemEventKind.DONE.value, ItemEventKind.PROGRESS.value, ItemEventKind.NOTE.value)


# One item with its plan, leaders and departments in one statement (joined): an item has a
# handful of links, so the joins multiply little, and one statement serves instead of five
# (ITEM_LINK_OPTIONS' loads, right for many items at once). Read with `.unique()`.
ONE_ITEM_OPTIONS = (
    joinedload(related(Item.plan), innerjoin=True),
    # Outer joins in a chain: an inner join nested in the outer one made SQLite build the
    # whole link table first (`LEFT JOIN (item_leader JOIN person)`).
    joinedload(related(Item.leader_links)).joinedload(related(ItemLeader.person)),
    joinedload(related(Item.department_links)).joinedload(related(ItemDepartment.department)),
)
# Where a session remembers the items it locked in its current transaction (see load_item).
_LOCKED = "planbot.locked_items"
# What load_item loads with an item; an item missing one of them is read again.
_LOADED_WITH = ("plan", "leader_links", "department_links")


async def load_item(
    session: AsyncSession, item_id: int, *, for_update: bool = False
) -> Item | None:
    """One item with its plan, leaders and departments, fresh from the database.

    `for_update` locks the row on PostgreSQL so two reports of one item queue up; SQLite's
    transactions already hold the write lock from their first statement. An item this
    transaction already locked (found by number, then changed) is not read again: the lock
    keeps others from changing it, and the session's own changes are in the object.
    """
    if for_update:
        held = held_item(session, item_id)
        if held is not None:
            return held
    query = (
        select(Item)
        .where(pk(Item.id) == item_id)
        .options(*ONE_ITEM_OPTIONS)
        .execution_options(populate_existing=True)
    )
    if for_update:
        query = query.with_for_update(of=Item)
    item = (await session.scalars(query)).unique().one_or_none()
    if for_update and item is not None:
        remember_locked(session, item)
    return item


def _locked_here(session: AsyncSession) -> set[int]:
    """The ids of the items locked in the session's current transaction."""
    sync = session.sync_session
    transaction = sync.get_transaction()
    held = sync.info.get(_LOCKED)
    if held is None or held[0] is not transaction:
        # Kept with the transaction it belongs to: a new transaction starts with none.
        held = (transaction, set())
        sync.info[_LOCKED] = held
    ids: set[int] = held[1]
    return ids


def remember_locked(session: AsyncSession, item: Item) -> None:
    """`item` was read with its links under a lock (FOR UPDATE) in this transaction."""
    if session.sync_session.get_transaction() is not None:
        _locked_here(session).add(row_id(item))


def held_item(session: AsyncSession, item_id: int) -> Item | None:
    """The item as this transaction locked and loaded it, if it did and the object is still
    in the session with its links; None: read it."""
    if session.sync_session.get_transaction() is None or item_id not in _locked_here(session):
        return None
    item = session.sync_session.identity_map.get(identity_key(Item, item_id))
    if not isinstance(item, Item):
        return None
    state = inspect(item)
    if state.expired_attributes or state.deleted or set(_LOADED_WITH) & state.unloaded:
        return None
    return item


async def count_items(session: AsyncSession, plan_id: int) -> int:
    return await session.scalar(select(func.count()).where(col(Item.plan_id) == plan_id)) or 0


async def reported_item_ids(session: AsyncSession, item_ids: Iterable[int]) -> set[int]:
    """Which of these items someone has reported on (done, progress or a note)."""
    ids = sorted(set(item_ids))
    if not ids:
        return set()
    rows = await session.scalars(
        select(col(ItemEvent.item_id))
        .where(col(ItemEvent.item_id).in_(ids), col(ItemEvent.kind).in_(REPORT_KINDS))
        .distinct()
    )
    return set(rows)


async def latest_year_of_month(session: AsyncSession, chat_id: int, month: int) -> int | None:
    """The year of the chat's most recent plan for `month` ("october" means that one)."""
    return await session.scalar(
        select(func.max(col(Plan.year))).where(
            col(Plan.chat_id) == chat_id, col(Plan.month) == month
        )
    )


async def plan_months(session: AsyncSession, chat_id: int) -> list[PeriodKey]:
    """The periods of the chat's plans (months, quarters, years), newest first."""
    rows = await session.execute(
        select(col(Plan.year), col(Plan.month), col(Plan.quarter))
        .where(col(Plan.chat_id) == chat_id)
        .order_by(col(Plan.year).desc(), col(Plan.month).desc(), col(Plan.quarter).desc())
    )
    return [PeriodKey(year, month, quarter) for year, month, quarter in rows.all()]


async def item_history(session: AsyncSession, item_id: int) -> list[ItemEvent]:
    """Everything that happened to an item, oldest first."""
    rows = await session.scalars(
        select(ItemEvent)
        .where(col(ItemEvent.item_id) == item_id)
        .order_by(col(ItemEvent.created_at), pk(ItemEvent.id))
    )
    return list(rows)


async def last_notes(session: AsyncSession, item_ids: Sequence[int]) -> dict[int, str]:
    """Each item's newest history entry that says something in words (a report's note), by item.

    One statement over the (item_id, created_at) index: the newest worded entry per item, found
    by its id (ids grow with time), however many entries the items have.
    """
    if not item_ids:
        return {}
    newest = (
        select(func.max(pk(ItemEvent.id)))
        .where(col(ItemEvent.item_id).in_(item_ids), col(ItemEvent.text) != "")
        .group_by(col(ItemEvent.item_id))
    )
    rows = await session.execute(
        select(col(ItemEvent.item_id), col(ItemEvent.text)).where(pk(ItemEvent.id).in_(newest))
    )
    return {item_id: text for item_id, text in rows.all()}


# -- /plan filters ------------------------------------------------------------------------


class FilterKind(StrEnum):
    OVERDUE = "overdue"
    OPEN = "open"
    DONE = "done"
    # A leader's or a department's name (or part of one).
    NAME = "name"


@dataclass(frozen=True, slots=True)
class ItemFilter:
    kind: FilterKind
    name: str = ""


FILTER_WORDS: dict[str, FilterKind] = {
    "overdue": FilterKind.OVERDUE,
    "late": FilterKind.OVERDUE,
    "逾期": FilterKind.OVERDUE,
    "超期": FilterKind.OVERDUE,
    "open": FilterKind.OPEN,
    "todo": FilterKind.OPEN,
    "未完成": FilterKind.OPEN,
    "进行中": FilterKind.OPEN,
    "done": FilterKind.DONE,
    "完成": FilterKind.DONE,
    "已完成": FilterKind.DONE,
}


def filter_keyword(text: str) -> ItemFilter | None:
    kind = FILTER_WORDS.get(text.strip().lower())
    return ItemFilter(kind) if kind else None


async def read_filter(session: AsyncSession, chat_id: int, text: str) -> ItemFilter | None:
    """A keyword, or a name that is (part of) a leader or department of the chat; else None."""
    if keyword := filter_keyword(text):
        return keyword
    name = normalise_name(text)
    if not name:
        return None
    for model in (Department, Person):
        known = await session.scalar(
            select(func.count()).where(
                col(model.chat_id) == chat_id, col(model.name).contains(name, autoescape=True)
            )
        )
        if known:
            return ItemFilter(FilterKind.NAME, name)
    return None


def matches(item: Item, item_filter: ItemFilter, today: date) -> bool:
    """Whether an item (links loaded) passes the filter on `today`."""
    done = item.status == ItemStatus.DONE.value
    if item_filter.kind is FilterKind.DONE:
        return done
    if item_filter.kind is FilterKind.OPEN:
        return not done
    if item_filter.kind is FilterKind.OVERDUE:
        return not done and item.deadline is not None and item.deadline < today
    # A partner (配合) department's name still finds the item: the office asks "what is 办公室
    # in on"; /plan marks it as only a partner's (partner_only).
    names = [p.name for p in item.leaders] + [d.name for d in item.departments]
    return _names_hit(names, item_filter.name)


def partner_only(item: Item, item_filter: ItemFilter | None) -> bool:
    """Whether a name filter keeps the item only because it names one of its partner (配合)
    departments, not a leader or a lead department (links loaded)."""
    if item_filter is None or item_filter.kind is not FilterKind.NAME:
        return False
    leads = lead_links(item)
    owners = [p.name for p in item.leaders] + [link.department.name for link in leads]
    partners = [link.department.name for link in item.department_links if link not in leads]
    return not _names_hit(owners, item_filter.name) and _names_hit(partners, item_filter.name)


def _names_hit(names: Iterable[str], part: str) -> bool:
    return any(part in name for name in names)


class ListingProblem(StrEnum):
    NO_PLANS = "no_plans"
    # None for the month asked, but others exist (listed in `months`).
    NO_PLAN = "no_plan"
    BAD_FILTER = "bad_filter"


@dataclass(slots=True)
class Listing:
    """A plan as /plan shows it: the items the filter keeps, and what it needs to draw their
    markers; or the problem that leaves nothing to show."""

    plan: Plan | None = None
    items: list[Item] = field(default_factory=list)
    total: int = 0
    reported: set[int] = field(default_factory=set)
    item_filter: ItemFilter | None = None
    problem: ListingProblem | None = None
    months: list[PeriodKey] = field(default_factory=list)
    asked: PeriodKey | None = None
    # Kept by a department filter only as that department's partner (配合) items.
    partnered: set[int] = field(default_factory=set)


async def _asked_key(session: AsyncSession, chat_id: int, period: Period, today: date) -> PeriodKey:
    """The plan a period argument names. A month without a year: the latest year the chat has
    that month, else this year; a quarter without a year: this year's."""
    if period.month is not None:
        year = period.year or await latest_year_of_month(session, chat_id, period.month)
        return PeriodKey(year or today.year, period.month)
    return PeriodKey(period.year or today.year, quarter=period.quarter or 0)


async def listing_of(
    session: AsyncSession, plan: Plan, item_filter: ItemFilter | None, today: date
) -> Listing:
    """One plan's items, those the filter keeps, and which were reported on."""
    items = await items_with_links(session, row_id(plan))
    reported = await reported_item_ids(session, [i.id for i in items if i.id is not None])
    kept = [i for i in items if item_filter is None or matches(i, item_filter, today)]
    partnered = {row_id(i) for i in kept if partner_only(i, item_filter)}
    return Listing(plan, kept, len(items), reported, item_filter, partnered=partnered)


async def plan_listing(
    session: AsyncSession,
    chat_id: int,
    period: Period | None,
    filter_text: str,
    today: date,
) -> Listing:
    """The plan of `period` (a month, a quarter or a year; none: the current plan), filtered by
    `filter_text` when given."""
    item_filter = None
    if filter_text.strip():
        item_filter = await read_filter(session, chat_id, filter_text)
        if item_filter is None:
            return Listing(problem=ListingProblem.BAD_FILTER)
    if period is None:
        plan = await current_plan(session, chat_id, today)
        asked = None
    else:
        asked = await _asked_key(session, chat_id, period, today)
        plan = await get_plan(session, chat_id, asked.year, asked.month, quarter=asked.quarter)
    if plan is None:
        months = await plan_months(session, chat_id)
        problem = ListingProblem.NO_PLAN if months else ListingProblem.NO_PLANS
        return Listing(problem=problem, months=months, asked=asked)
    return await listing_of(session, plan, item_filter, today)


async def running_listings(
    session: AsyncSession, chat_id: int, shown: Plan, today: date
) -> list[Listing]:
    """The open items of this quarter's and this year's plans, which `/plan` shows next to the
    month's (`shown`) while they run; plans with nothing open are left out."""
    listings = []
    for plan in await running_period_plans(session, chat_id, today):
        if plan.id != shown.id:
            listing = await listing_of(session, plan, ItemFilter(FilterKind.OPEN), today)
            if listing.items:
                listings.append(listing)
    return listings


# -- /mine ------------------------------------------------------------------------------------


async def chats_of_user(session: AsyncSession, tg_user_id: int) -> list[Chat]:
    """The group chats where this Telegram account is bound to a name."""
    rows = await session.scalars(
        select(Chat)
        .where(
            pk(Chat.id).in_(
                select(col(Person.chat_id)).where(col(Person.tg_user_id) == tg_user_id)
            ),
            col(Chat.type) != "private",
        )
        .order_by(pk(Chat.id))
    )
    return list(rows)


async def open_items_of_user(
    session: AsyncSession, tg_user_id: int, chat_ids: Sequence[int]
) -> list[Item]:
    """Open items this account answers for in these chats, every month, nearest deadline
    first; plan and links loaded: those it leads, and those where a department it is a member
    of has its own part still open (a part done or awaiting review owes nothing more)."""
    as_member = member_links(tg_user_id).where(
        col(ItemDepartment.role) == DepartmentRole.LEAD.value,
        col(ItemDepartment.status) == PartStatus.OPEN.value,
    )
    as_leader = (
        select(pk(ItemLeader.item_id))
        .join(Person, pk(Person.id) == pk(ItemLeader.person_id))
        .where(col(Person.tg_user_id) == tg_user_id)
    )
    return await _open_items(
        session, chat_ids, or_(pk(Item.id).in_(as_leader), pk(Item.id).in_(as_member))
    )


async def partner_items_of_user(
    session: AsyncSession, tg_user_id: int, chat_ids: Sequence[int], leaving: Iterable[int]
) -> list[Item]:
    """Open items where a department this account is a member of is a partner (配合): shown
    to it apart, for information; `leaving` out those it answers for anyway."""
    as_partner = member_links(tg_user_id).where(
        col(ItemDepartment.role) == DepartmentRole.ASSIST.value
    )
    items = await _open_items(session, chat_ids, pk(Item.id).in_(as_partner))
    left = set(leaving)
    return [item for item in items if item.id not in left]


def member_links(tg_user_id: int | ColumnElement[int]) -> Select[int]:
    """The items linked to a department this account is a member of (filter the links more).

    The departments first, then their links by ix_item_department_department_id: written as a
    join, SQLite without statistics read the whole link table once a role or status was asked.
    """
    departments = (
        select(col(DepartmentMember.department_id))
        .join(Person, pk(Person.id) == col(DepartmentMember.person_id))
        .where(col(Person.tg_user_id) == tg_user_id)
    )
    return select(pk(ItemDepartment.item_id)).where(
        pk(ItemDepartment.department_id).in_(departments)
    )


async def _open_items(
    session: AsyncSession, chat_ids: Sequence[int], which: ColumnElement[bool]
) -> list[Item]:
    if not chat_ids:
        return []
    rows = await session.scalars(
        select(Item)
        .join(Plan, pk(Plan.id) == col(Item.plan_id))
        .where(
            col(Plan.chat_id).in_(chat_ids),
            # An archive is the record of a finished period, not work to do.
            col(Plan.archived).is_(False),
            col(Item.status) == ItemStatus.OPEN.value,
            which,
        )
        .order_by(
            col(Item.deadline).is_(None),
            col(Item.deadline),
            col(Plan.year),
            col(Plan.month),
            col(Item.seq),
        )
        .options(*ITEM_LINK_OPTIONS, selectinload(related(Item.plan)))
    )
    return list(rows)


@dataclass(slots=True)
class MyItems:
    items: list[Item]
    # The names this account is bound as in those chats (none: it is not bound).
    names: list[str]
    reported: set[int]
    # Open items its departments are partners (配合) of, shown apart and never as owed.
    partnered: list[Item] = field(default_factory=list)


async def my_items(session: AsyncSession, tg_user_id: int, chat_ids: Sequence[int]) -> MyItems:
    items = await open_items_of_user(session, tg_user_id, chat_ids)
    partnered = await partner_items_of_user(
        session, tg_user_id, chat_ids, [row_id(i) for i in items]
    )
    names = await session.scalars(
        select(col(Person.name))
        .where(col(Person.tg_user_id) == tg_user_id, col(Person.chat_id).in_(chat_ids))
        .order_by(pk(Person.id))
    )
    reported = await reported_item_ids(session, [row_id(i) for i in [*items, *partnered]])
    return MyItems(items, list(dict.fromkeys(names)), reported, partnered)
