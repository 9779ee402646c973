"""What a calendar feed shows (issue 17): the items with a deadline in one scope — a group's
plans, the items a person answers for across the groups they are bound in, a department's —
as plain data, and the few figures that say whether the feed changed since a client last asked.

Every statement is bounded by the scope: a group's plans by plan.chat_id, a person's items by
their Person rows (ix_item_leader_person_id, department_member → ix_item_department_department_id),
a department's by ix_item_department_department_id; an item's history is counted through
ix_item_event_item_id_created_at. Archived plans are the record of a finished period, not
deadlines to keep, and are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from enum import StrEnum
from functools import cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    BindParameter,
    ColumnElement,
    Select,
    bindparam,
    func,
    or_,
    select,
    true,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from plans.summary import ReportItem
from storage.access_tokens import token_is_live, token_params
from storage.db import Database
from storage.item_queries import REPORT_KINDS, member_links
from storage.models import (
    AccessKind,
    Chat,
    Department,
    DepartmentRole,
    Item,
    ItemDepartment,
    ItemEvent,
    ItemLeader,
    Person,
    Plan,
)
from storage.plans import ITEM_LINK_OPTIONS
from storage.polled_reads import as_text, read_row, text_instant
from storage.reports import report_item
from storage.rows import pk


class ScopeKind(StrEnum):
    GROUP = "group"
    PERSON = "person"
    DEPARTMENT = "department"


@dataclass(frozen=True, slots=True)
class FeedScope:
    """Whose deadlines: a group (Chat.id), a Telegram account (its user id), a department."""

    kind: ScopeKind
    id: int


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item of a feed: the item as the exports see it (its history not loaded), the group
    it belongs to (its UID names it), and what its history says in figures."""

    tg_chat_id: int
    item: ReportItem
    # How many history entries the item has: it only grows (history is never deleted, an
    # /undo adds an entry), and every change of a deadline adds one — the event's SEQUENCE.
    changes: int
    last_change: datetime | None
    # Someone reported on it (done, progress, a note): "in progress" even at 0 %. None: read
    # it from the item's history (an export, whose items carry it).
    reported: bool | None = None


@dataclass(frozen=True, slots=True)
class FeedVersion:
    """What the feed's content depends on in the database, read in one small statement: the
    items (how many, their rows' latest change), their history's newest entry (a part's
    state, a note: the id, which only grows, so a clock that went back cannot hide it), the
    language."""

    locale: str | None
    items: int
    # The items' latest row change, as the database writes it (text: only compared).
    updated: str | None
    last_event: int | None
    # The latest instant among the items' rows and their history.
    last_change: datetime | None
    # The link asked with is still live (storage.access_tokens.token_is_live); True when the
    # caller asked without one.
    live: bool = True

    def key(self) -> str:
        return f"{self.locale or '-'}|{self.items}|{self.updated or '-'}|{self.last_event or 0}"


# The bound parameter naming the scope's id in the statements below: they are built once per
# kind of scope (a polled feed's 304 costs its one statement, not building it as well).
SCOPE_ID = "scope_id"


def _scope_id(value: int | None = None) -> BindParameter[int]:
    # BigInteger: a person's scope is a Telegram user id.
    return bindparam(SCOPE_ID, value, type_=BigInteger())


def _scope_condition(kind: ScopeKind, scope_id: ColumnElement[int]) -> ColumnElement[bool]:
    if kind is ScopeKind.GROUP:
        return col(Plan.chat_id) == scope_id
    lead = col(ItemDepartment.role) == DepartmentRole.LEAD.value
    if kind is ScopeKind.DEPARTMENT:
        by_department = select(pk(ItemDepartment.item_id)).where(
            pk(ItemDepartment.department_id) == scope_id, lead
        )
        return pk(Item.id).in_(by_department)
    as_leader = (
        select(pk(ItemLeader.item_id))
        .join(Person, pk(Person.id) == pk(ItemLeader.person_id))
        .where(col(Person.tg_user_id) == scope_id)
    )
    return or_(pk(Item.id).in_(as_leader), pk(Item.id).in_(member_links(scope_id).where(lead)))


def _in_scope(kind: ScopeKind, scope_id: ColumnElement[int]) -> list[ColumnElement[bool]]:
    return [
        _scope_condition(kind, scope_id),
        col(Plan.archived).is_(False),
        col(Item.deadline).is_not(None),
    ]


async def feed_entries(session: AsyncSession, scope: FeedScope, tz: tzinfo) -> list[FeedEntry]:
    """The scope's items with a deadline, nearest first; instants in the zone `tz`."""
    changes = select(func.count()).where(col(ItemEvent.item_id) == pk(Item.id)).scalar_subquery()
    last_change = (
        select(func.max(col(ItemEvent.created_at)))
        .where(col(ItemEvent.item_id) == pk(Item.id))
        .scalar_subquery()
    )
    reported = (
        select(func.count())
        .where(col(ItemEvent.item_id) == pk(Item.id), col(ItemEvent.kind).in_(REPORT_KINDS))
        .scalar_subquery()
    )
    rows = await session.execute(
        select(Item, col(Chat.tg_chat_id), changes, last_change, reported)
        .join(Plan, pk(Plan.id) == col(Item.plan_id))
        .join(Chat, pk(Chat.id) == col(Plan.chat_id))
        .where(*_in_scope(scope.kind, _scope_id(scope.id)))
        .order_by(col(Item.deadline), col(Plan.year), col(Plan.month), col(Item.seq))
        .options(*ITEM_LINK_OPTIONS)
    )
    entries = []
    for item, tg_chat_id, count, last, reports in rows.all():
        entries.append(
            FeedEntry(
                tg_chat_id=tg_chat_id,
                item=report_item(item, tz),
                changes=count or 0,
                last_change=last.astimezone(tz) if last else None,
                reported=bool(reports),
            )
        )
    return entries


def _locale_of(kind: ScopeKind, scope_id: ColumnElement[int]) -> Select[str | None]:
    """The feed's language: the group's; a department's group's; a person's own private
    chat's, if they chose one there."""
    if kind is ScopeKind.GROUP:
        return select(col(Chat.locale)).where(pk(Chat.id) == scope_id)
    if kind is ScopeKind.DEPARTMENT:
        return (
            select(col(Chat.locale))
            .join(Department, col(Department.chat_id) == pk(Chat.id))
            .where(pk(Department.id) == scope_id)
        )
    return select(col(Chat.locale)).where(col(Chat.tg_chat_id) == scope_id)


@cache
def _version_statement(kind: ScopeKind, with_token: bool) -> Select[tuple[Any, ...]]:
    """The version's statement for a kind of scope, its id (and the token's hash) bound. It
    selects integers and text only (instants cast to text), as storage.polled_reads needs."""
    scope_id = _scope_id()
    newest = select(func.max(pk(ItemEvent.id))).where(col(ItemEvent.item_id) == pk(Item.id))
    latest = select(func.max(col(ItemEvent.created_at))).where(
        col(ItemEvent.item_id) == pk(Item.id)
    )
    return (
        select(
            _locale_of(kind, scope_id).limit(1).scalar_subquery(),
            func.count(pk(Item.id)),
            as_text(func.max(col(Item.updated_at))),
            func.max(newest.scalar_subquery()),
            as_text(func.max(latest.scalar_subquery())),
            token_is_live(AccessKind.ICS) if with_token else true(),
        )
        .select_from(Item)
        .join(Plan, pk(Plan.id) == col(Item.plan_id))
        .where(*_in_scope(kind, scope_id))
    )


def _version_of(row: tuple[Any, ...] | None) -> FeedVersion:
    assert row is not None, "an aggregate has one row"
    locale, count, updated, last_event, event_at, is_live = row
    changes = [stamp for stamp in (text_instant(updated), text_instant(event_at)) if stamp]
    last_change = max(changes) if changes else None
    return FeedVersion(locale, count or 0, updated, last_event, last_change, bool(is_live))


async def feed_version(session: AsyncSession, scope: FeedScope) -> FeedVersion:
    """The figures a feed's content follows (FeedVersion), in one statement, read in a
    session: the same statement `polled_feed_version` runs, where the session's statement
    events see it (the query-plan tests capture and explain it so)."""
    statement = _version_statement(scope.kind, False)
    return _version_of(tuple((await session.execute(statement, {SCOPE_ID: scope.id})).one()))


async def polled_feed_version(db: Database, scope: FeedScope, token: str) -> FeedVersion:
    """feed_version for a request of the feed's link `token`, read as a polled request is
    (storage.polled_reads: one trip to the database); FeedVersion.live says whether the link
    still opens it (revoked anywhere: no longer)."""
    params = {SCOPE_ID: scope.id} | token_params(token)
    return _version_of(await read_row(db, _version_statement(scope.kind, True), params))


async def scope_title(session: AsyncSession, scope: FeedScope) -> str:
    """What the calendar is called after: the group's title, the department's name; "" for a
    person (the caller names it "mine")."""
    if scope.kind is ScopeKind.GROUP:
        return await session.scalar(select(col(Chat.title)).where(pk(Chat.id) == scope.id)) or ""
    if scope.kind is ScopeKind.DEPARTMENT:
        query = select(col(Department.name)).where(pk(Department.id) == scope.id)
        return await session.scalar(query) or ""
    return ""
