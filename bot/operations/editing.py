"""The admins' changes to a plan by hand: add an item, edit one of its fields, delete it.

Each runs in one unit of work and brings the item's reminders in line itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.operations.deps import Deps
from bot.operations.finding import (
    ByNumber,
    ByRowId,
    Group,
    NeedsAdmin,
    NoGroup,
    NoSuchItem,
    find_in_group,
    group_of,
    locale_of_origin,
    may_change,
    needs_admin,
)
from bot.operations.policy import Action
from bot.operations.presses import Misplaced, pressed_item
from bot.operations.reports import Changed, follow_change
from bot.operations.roles import may
from bot.operations.who import Actor, Origin
from storage.item_changes import (
    EditField,
    ItemChange,
    NewItem,
    Outcome,
)
from storage.item_changes import add_item as store_add
from storage.item_changes import delete_item as store_delete
from storage.item_changes import edit_item as store_edit
from storage.models import Item
from storage.rows import row_id


@dataclass(frozen=True, slots=True)
class AdminsOnly:
    """Only admins may; the actor is not one."""

    locale: str


def _refusal(group: Group, allowed: bool | None) -> NeedsAdmin | AdminsOnly | None:
    if allowed:
        return None
    return needs_admin(group) if allowed is None else AdminsOnly(group.locale)


async def add_item(
    deps: Deps, origin: Origin, actor: Actor, new: NewItem
) -> Changed | NoGroup | NeedsAdmin | AdminsOnly:
    """A new item at the end of the group's current plan (this month's is created if none)."""
    now = deps.now()
    async with deps.db.session() as session:
        group = await group_of(session, deps, origin, actor)
        if isinstance(group, NoGroup):
            return group
        refusal = _refusal(group, may(deps, actor, Action.ADD))
        if refusal is not None:
            return refusal
        change = await store_add(session, group.chat_id, deps.today(), new, actor.author, now)
        await follow_change(session, deps.planner, change, now)
        return Changed(group.locale, change)


async def _admins_item(
    session: AsyncSession,
    deps: Deps,
    origin: Origin,
    actor: Actor,
    target: ByNumber | ByRowId,
    action: Action,
) -> tuple[Group, Item] | NoGroup | NoSuchItem | NeedsAdmin | AdminsOnly | Changed | Misplaced:
    if isinstance(target, ByRowId):
        pressed = await pressed_item(session, deps, origin, actor, target, for_update=True)
        if pressed is None:
            locale = await locale_of_origin(session, deps, origin, actor)
            return Changed(locale, ItemChange(Outcome.GONE))
        if isinstance(pressed, Misplaced):
            return pressed
        group, item, actor = pressed.group, pressed.item, pressed.actor
    else:
        found_group = await group_of(session, deps, origin, actor)
        if isinstance(found_group, NoGroup):
            return found_group
        group = found_group
        found = await find_in_group(session, deps, group, target.ref, for_update=True)
        if isinstance(found, NoSuchItem):
            return found
        item = found
    refusal = _refusal(group, await may_change(session, deps, row_id(item), actor, action))
    return refusal if refusal is not None else (group, item)


async def edit_item(
    deps: Deps,
    origin: Origin,
    actor: Actor,
    target: ByNumber,
    field: EditField,
    value: str,
) -> Changed | NoGroup | NoSuchItem | NeedsAdmin | AdminsOnly | Misplaced:
    """One field set from what an admin typed (see storage.item_changes.edit_item)."""
    now = deps.now()
    async with deps.db.session() as session:
        found = await _admins_item(session, deps, origin, actor, target, Action.EDIT)
        if not isinstance(found, tuple):
            return found
        group, item = found
        change = await store_edit(
            session, row_id(item), field, value, actor.author, now, today=deps.today()
        )
        await follow_change(session, deps.planner, change, now)
        return Changed(group.locale, change)


@dataclass(frozen=True, slots=True)
class ToDelete:
    """The item a /delete asks about, for the confirmation question."""

    locale: str
    item: Item


async def item_to_delete(
    deps: Deps, origin: Origin, actor: Actor, target: ByNumber | ByRowId
) -> ToDelete | NoGroup | NoSuchItem | NeedsAdmin | AdminsOnly | Changed | Misplaced:
    async with deps.db.session() as session:
        found = await _admins_item(session, deps, origin, actor, target, Action.DELETE)
        if not isinstance(found, tuple):
            return found
        group, item = found
        return ToDelete(group.locale, item)


async def delete_item(
    deps: Deps, origin: Origin, actor: Actor, target: ByRowId
) -> Changed | NoGroup | NoSuchItem | NeedsAdmin | AdminsOnly | Misplaced:
    """The item gone with its reminders; a DeletedItem keeps what it was and its history."""
    now = deps.now()
    async with deps.db.session() as session:
        found = await _admins_item(session, deps, origin, actor, target, Action.DELETE)
        if not isinstance(found, tuple):
            return found
        group, item = found
        item_id = row_id(item)
        await deps.planner.forget(session, [item_id])
        change = await store_delete(session, item_id, actor.author, now)
        return Changed(group.locale, change)
