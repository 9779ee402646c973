"""What the group's plans say, for /plan, /item and /mine: read in one unit of work.

Reads change nothing but still find the group first, so they share the operations' way of
naming who asks and where. They read in a read-only session (finding.read_in_group: on SQLite
no wait for the write lock), unless the group's row must first be made (its first command) or
its title updated.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from bot.operations.deps import Deps
from bot.operations.finding import Group, NoGroup, NoSuchItem, find_in_group, read_in_group
from bot.operations.who import Actor, Origin
from plans.itemref import ItemRef
from plans.months import Period
from storage.attachments import item_attachments
from storage.deleted_items import latest_deletion
from storage.item_queries import (
    Listing,
    MyItems,
    chats_of_user,
    item_history,
    my_items,
    plan_listing,
    running_listings,
)
from storage.models import Attachment, Chat, DeletedItem, Item, ItemEvent
from storage.rows import row_id


@dataclass(frozen=True, slots=True)
class PlanView:
    locale: str
    listing: Listing
    # The open items of this quarter's and this year's plans, shown after the current plan's.
    running: list[Listing] = field(default_factory=list)


async def plan_view(
    deps: Deps, origin: Origin, actor: Actor, period: Period | None, filter_text: str
) -> PlanView | NoGroup:
    """The plan of `period` (none: the current one, with the running quarter's and year's open
    items when no filter is given), filtered by `filter_text`."""
    today = deps.today()

    async def read(session: AsyncSession, group: Group) -> PlanView:
        listing = await plan_listing(session, group.chat_id, period, filter_text, today)
        running = []
        if period is None and not filter_text.strip() and listing.plan is not None:
            running = await running_listings(session, group.chat_id, listing.plan, today)
        return PlanView(group.locale, listing, running)

    return await read_in_group(deps, origin, actor, read)


@dataclass(frozen=True, slots=True)
class ItemCard:
    locale: str
    item: Item
    history: list[ItemEvent]
    # Its files (佐证材料), oldest first.
    attachments: list[Attachment] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class DeletedCard:
    """A number that names no item now but did once: the newest deletion of it."""

    locale: str
    record: DeletedItem


async def item_card(
    deps: Deps, origin: Origin, actor: Actor, ref: ItemRef
) -> ItemCard | DeletedCard | NoSuchItem | NoGroup:
    """One item and its history; for a number deleted from its plan, the deletion record."""

    async def read(session: AsyncSession, group: Group) -> ItemCard | DeletedCard | NoSuchItem:
        found = await find_in_group(session, deps, group, ref)
        if isinstance(found, Item):
            history = await item_history(session, row_id(found))
            files = await item_attachments(session, row_id(found))
            return ItemCard(group.locale, found, history, files)
        return await _deleted_or(session, group, found)

    return await read_in_group(deps, origin, actor, read)


async def _deleted_or(
    session: AsyncSession, group: Group, missing: NoSuchItem
) -> DeletedCard | NoSuchItem:
    plan = missing.plan
    if plan is None:
        return missing
    record = await latest_deletion(
        session, plan.chat_id, plan.year, plan.month, plan.quarter, missing.ref.seq
    )
    return missing if record is None else DeletedCard(group.locale, record)


@dataclass(frozen=True, slots=True)
class MineView:
    """The open items the actor answers for, in `chats` (none: bound nowhere here)."""

    chats: list[Chat]
    mine: MyItems


async def mine_view(deps: Deps, origin: Origin, actor: Actor) -> MineView:
    """In a group, the actor's items of its plans; in private, of every group they are bound
    in (not only the one `group_of` picks: /mine lists them all)."""

    async def read(session: AsyncSession, chats: list[Chat]) -> MineView:
        mine = await my_items(session, actor.tg_user_id, [row_id(c) for c in chats])
        return MineView(chats, mine)

    if origin.private:
        async with deps.db.reading() as session:
            everywhere = await read(session, await chats_of_user(session, actor.tg_user_id))
            session.expunge_all()
            return everywhere

    async def in_group(session: AsyncSession, group: Group) -> MineView:
        return await read(session, [group.chat])

    view = await read_in_group(deps, origin, actor, in_group)
    # A group is never NoGroup (only a private chat of someone bound nowhere is).
    return MineView([], MyItems([], [], set(), [])) if isinstance(view, NoGroup) else view
