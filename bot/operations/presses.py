"""Which item a button press may act on. Callback data comes from the client and can be
forged, so every press naming an item by its row id (done, 👀, ⏰, delete, a confirmed reply)
is checked here against where it was pressed before any operation touches the item:

- a message we recorded as showing items (a reminder, a digest, a /plan answer): the item must
  be one of them;
- any other message of ours with buttons (a "which one?" question, a confirmation, /delete's
  question) in a group: the item must be in that group's plans, or a message we sent to that
  group showed it (a department's own group gets the reminders of its items);
- in a private chat, besides: the presser must be bound to a name in the item's group.

Who pressed then needs the same right as anywhere (the operation checks it), in the item's
group: an admin of the chat pressed in is no admin of another group's plan (`Actor.in_chat`).
A press that fails the check changes nothing and is answered `Misplaced`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.operations.deps import Deps
from bot.operations.finding import ByRowId, Group, group_of_item, locale_of_origin
from bot.operations.who import Actor, Origin
from storage.item_queries import load_item
from storage.messages import chat_shows_item, message_item_ids
from storage.models import Item
from storage.people import people_by_tg_user
from storage.rows import row_id


@dataclass(frozen=True, slots=True)
class Misplaced:
    """The press names an item that neither its message nor its chat is about (forged data,
    or a private chat of someone not bound in the item's group): nothing was done."""

    locale: str


@dataclass(frozen=True, slots=True)
class PressedItem:
    """The item a press may act on, its group, and the presser as far as that group goes."""

    group: Group
    item: Item
    actor: Actor


async def pressed_item(
    session: AsyncSession,
    deps: Deps,
    origin: Origin,
    actor: Actor,
    target: ByRowId,
    *,
    for_update: bool = False,
) -> PressedItem | Misplaced | None:
    """The item of a press once it belongs where it was pressed (see above); None when it no
    longer exists (deleted: the caller says so)."""
    item = await load_item(session, target.item_id, for_update=for_update)
    if item is None:
        return None
    group = await group_of_item(session, deps, item)
    if not await _belongs(session, origin, actor, target, group, item):
        return Misplaced(await locale_of_origin(session, deps, origin, actor))
    return PressedItem(group, item, actor.in_chat(group.chat.tg_chat_id))


async def _belongs(
    session: AsyncSession, origin: Origin, actor: Actor, target: ByRowId, group: Group, item: Item
) -> bool:
    if origin.private and not await people_by_tg_user(session, group.chat_id, actor.tg_user_id):
        return False
    shown = await message_item_ids(session, origin.tg_chat_id, target.message_id)
    if shown:
        return row_id(item) in shown
    if group.chat.tg_chat_id == origin.tg_chat_id or origin.private:
        return True
    return await chat_shows_item(session, origin.tg_chat_id, row_id(item))
