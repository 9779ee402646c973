"""What one of our messages is about, for a plain reply to it: read in one unit of work,
changing nothing (the reply is only confirmed by a button press)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.operations.deps import Deps
from bot.operations.finding import NoGroup, OnMessage, group_of, message_items
from bot.operations.who import Actor, Origin
from storage.models import Item


@dataclass(frozen=True, slots=True)
class OnItems:
    """The group's language and the items the message lists (empty when it lists none or is
    not ours)."""

    locale: str
    items: list[Item] = field(default_factory=list)


async def replied_items(
    deps: Deps, origin: Origin, actor: Actor, on: OnMessage
) -> OnItems | NoGroup:
    """The items of the message `on` names, in the language of the group it belongs to."""
    async with deps.db.session() as session:
        group = await group_of(session, deps, origin, actor)
        if isinstance(group, NoGroup):
            return group
        return OnItems(group.locale, await message_items(session, on))
