"""Inside an operation's unit of work: the group the actor means, the item they name, and
whether they may change it.

Who may change an item is bot/operations/policy.py's table (`may_change` reads it).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from bot.operations.deps import Deps
from bot.operations.policy import Action
from bot.operations.roles import may_do
from bot.operations.who import Actor, Origin
from plans.itemref import ItemRef
from storage.chats import bound_group, chat_is_current, chat_row, get_chat, get_or_create_chat
from storage.item_queries import count_items, latest_year_of_month, plan_months
from storage.items import Missing, resolve_item
from storage.messages import items_for_message
from storage.models import Chat, Item, Plan
from storage.plans import PeriodKey
from storage.rows import row_id

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Group:
    """The group an update is about (our row) and the language to answer in."""

    chat: Chat
    locale: str

    @property
    def chat_id(self) -> int:
        return row_id(self.chat)


# --- what an operation may answer instead of doing its work ----------------------------------


@dataclass(frozen=True, slots=True)
class NoGroup:
    """A private chat of someone bound nowhere: there is no group to act in."""

    locale: str


@dataclass(frozen=True, slots=True)
class NoSuchItem:
    """No such item: `missing` says whether the plan or the number is missing; with NO_ITEM the
    plan looked in and how many items it has; with NO_PLAN the plans the group has."""

    locale: str
    ref: ItemRef
    missing: Missing
    # The year meant when `ref` names a plan without one (this year).
    year: int
    plan: Plan | None = None
    count: int = 0
    months: list[PeriodKey] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class NoneNamed:
    """A reply to a message of ours that lists no items, naming none itself."""

    locale: str


@dataclass(frozen=True, slots=True)
class NeedsAdmin:
    """Only an admin may, and nobody has asked Telegram whether the actor is one of this
    group's: ask, then call the operation again with `Actor.admin` set. Nothing was changed."""

    tg_chat_id: int
    chat_type: str


@dataclass(frozen=True, slots=True)
class Refused:
    """The actor may not change this item (not its leader, not in its departments; or, with
    `assisting`, only in departments that assist with it (配合), which are informed, not
    responsible)."""

    locale: str
    item: Item
    assisting: bool = False


# --- the group --------------------------------------------------------------------------------


async def group_of(
    session: AsyncSession, deps: Deps, origin: Origin, actor: Actor
) -> Group | NoGroup:
    """In a group, that group (its row made on first sight, its title kept current); in a
    private chat, the group the actor is bound in (the one they chose, when they did)."""
    if origin.private:
        chat = await bound_group(session, actor.tg_user_id, origin.group)
        if chat is None:
            own = await get_chat(session, origin.tg_chat_id)
            return NoGroup((own.locale if own else None) or deps.default_locale)
    else:
        chat = await get_or_create_chat(
            session,
            origin.tg_chat_id,
            title=origin.title,
            type=origin.type,
            is_forum=origin.is_forum,
        )
        await session.flush()
    return Group(chat, chat.locale or deps.default_locale)


async def known_group(
    session: AsyncSession, deps: Deps, origin: Origin, actor: Actor
) -> Group | NoGroup | None:
    """`group_of` without writing anything: None when it would write (a group's row to make on
    first sight, or its title, type or forum flag to bring up to date)."""
    if origin.private:
        return await group_of(session, deps, origin, actor)  # finds, never writes
    chat = await get_chat(session, origin.tg_chat_id)
    if chat is None or not chat_is_current(chat, origin.title, origin.type, origin.is_forum):
        return None
    return Group(chat, chat.locale or deps.default_locale)


async def read_in_group(
    deps: Deps,
    origin: Origin,
    actor: Actor,
    read: Callable[[AsyncSession, Group], Awaitable[T]],
) -> T | NoGroup:
    """`read` in the group the actor means, in a read-only unit of work (Database.reading: on
    SQLite it does not wait for the write lock, so a read answers while an import or another
    process writes); only when the group's row must first be made or updated (`known_group`)
    in a writing one. What `read` returns is detached from the session, so it must load every
    value it returns."""
    async with deps.db.reading() as session:
        group = await known_group(session, deps, origin, actor)
        if isinstance(group, NoGroup):
            return group
        if group is not None:
            result = await read(session, group)
            # Loaded as returned: the read-only session's rollback must not expire them.
            session.expunge_all()
            return result
    async with deps.db.session() as session:
        group = await group_of(session, deps, origin, actor)
        if isinstance(group, NoGroup):
            return group
        return await read(session, group)


async def group_of_item(session: AsyncSession, deps: Deps, item: Item) -> Group:
    """The group whose plan holds `item` (a button names an item, not a group)."""
    chat = await chat_row(session, item.plan.chat_id)
    return Group(chat, chat.locale or deps.default_locale)


# --- the item ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ByNumber:
    """An item by its number in a plan (`3`, `2020-10#3`)."""

    ref: ItemRef


@dataclass(frozen=True, slots=True)
class ByNumbers:
    """Several items by their numbers (`/ack 2 5`, `/ack 1-3`)."""

    refs: tuple[ItemRef, ...]


@dataclass(frozen=True, slots=True)
class ByRowId:
    """An item by our row id, from a button's data, and the message (in the origin chat) whose
    button was pressed: the data can be forged, so bot/operations/presses.py checks the item
    against where it was pressed before anything is done to it."""

    item_id: int
    message_id: int


@dataclass(frozen=True, slots=True)
class OnMessage:
    """The items one of our messages is about (a reply to a reminder or a /plan answer), or the
    one of them `ref` names."""

    tg_chat_id: int
    message_id: int
    ref: ItemRef | None = None
    # Only a message of these kinds counts (storage/messages.py: "reminder", "digest", …); a
    # reaction answers reminders, not a /plan answer that lists the same items.
    kinds: frozenset[str] | None = None


Target = ByNumber | ByRowId


async def find_in_group(
    session: AsyncSession, deps: Deps, group: Group, ref: ItemRef, *, for_update: bool = False
) -> Item | NoSuchItem:
    """Item `ref` of the group's plans (the current plan unless `ref` names one)."""
    today = deps.today()
    if ref.month is not None and ref.year is None:
        # "oct#3" means the group's latest October, as `/plan oct` does.
        year = await latest_year_of_month(session, group.chat_id, ref.month)
        ref = ItemRef(ref.seq, year or today.year, ref.month)  # a month's: no quarter
    resolved = await resolve_item(session, group.chat_id, ref, today, for_update=for_update)
    if resolved.item is not None:
        return resolved.item
    plan = resolved.plan
    if resolved.missing is Missing.NO_ITEM and plan is not None:
        count = await count_items(session, row_id(plan))
        return NoSuchItem(group.locale, ref, Missing.NO_ITEM, ref.year or today.year, plan, count)
    months = await plan_months(session, group.chat_id)
    return NoSuchItem(group.locale, ref, Missing.NO_PLAN, ref.year or today.year, months=months)


async def message_items(session: AsyncSession, on: OnMessage) -> list[Item]:
    """The items one of our messages lists (empty when it lists none, or is not ours)."""
    return await items_for_message(session, on.tg_chat_id, on.message_id, on.kinds)


# --- who may ----------------------------------------------------------------------------------


async def may_change(
    session: AsyncSession, deps: Deps, item_id: int, actor: Actor, action: Action = Action.DONE
) -> bool | None:
    """Whether the actor may do `action` to the item (bot/operations/policy.py); None when only
    an admin may and whether they are one is not known yet (see NeedsAdmin)."""
    item = await session.get(Item, item_id)  # loaded already: from the session's identity map
    if item is None:
        return False
    answers = await may_do(session, deps, actor, action, [item])
    return None if answers is None else answers[item_id]


def needs_admin(group: Group) -> NeedsAdmin:
    return NeedsAdmin(group.chat.tg_chat_id, group.chat.type)


async def locale_of_origin(session: AsyncSession, deps: Deps, origin: Origin, actor: Actor) -> str:
    """The language to answer the actor in: the group's, in private the actor's group's."""
    return (await group_of(session, deps, origin, actor)).locale


async def answer_locale(deps: Deps, origin: Origin, actor: Actor) -> str:
    """`locale_of_origin` in a unit of work of its own, for a command refused before any
    operation runs (its arguments unreadable)."""
    async with deps.db.session() as session:
        return await locale_of_origin(session, deps, origin, actor)
