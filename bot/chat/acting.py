"""Running an operation (bot/operations) for a Telegram user: who they are, where they wrote,
and the one retry when the operation needs to know whether they administer the group.

Telegram is asked about administrators outside any database session: on SQLite a session
holds the write lock, and a slow Bot API call must not stall every other writer.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from telegram import CallbackQuery, Update, User
from telegram import Chat as TgChat
from telegram.constants import ChatType

from bot.chat.chosen_group import chosen_group
from bot.chat.permissions import is_admin, known_admin
from bot.context import PlanbotContext
from bot.operations.finding import NeedsAdmin
from bot.operations.who import Actor, Origin
from bot.views.buttons import parse_item_callback

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class ItemPress:
    """A press of a button about one item (`<action>:<item id>`): who pressed it, where, and
    the message it sits under."""

    query: CallbackQuery
    item_id: int
    message_id: int
    origin: Origin
    actor: Actor


async def item_press(update: Update, context: PlanbotContext, action: str) -> ItemPress | None:
    """The press of `update` when its data names an item for `action`; None after answering
    a press whose data does not (Telegram shows a spinner until a press is answered)."""
    query = update.callback_query
    if query is None or query.data is None:
        return None
    parsed = parse_item_callback(query.data, action)
    message = query.message
    if parsed is None or message is None:
        await query.answer()
        return None
    origin = origin_of(message.chat)
    actor = actor_of(context, query.from_user, origin)
    return ItemPress(query, parsed[1], message.message_id, origin, actor)


def origin_of(chat: TgChat) -> Origin:
    """The chat as an operation's origin; in private, with the group the sender chose when
    they are bound in several (bot/chat/chosen_group.py)."""
    chosen = chosen_group() if chat.type == ChatType.PRIVATE else None
    return Origin(
        chat.id,
        chat.title or chat.full_name or "",
        chat.type,
        bool(chat.is_forum),
        group=chosen.tg_chat_id if chosen is not None else None,
    )


def actor_of(context: PlanbotContext, user: User, origin: Origin | None = None) -> Actor:
    """The user as an operation's actor; an admin when that is known without asking Telegram
    (in a group: about that group; in private the group is only found inside the operation)."""
    where = None if origin is None or origin.private else origin.tg_chat_id
    return Actor(user.id, user.full_name, known_admin(context, where, user.id))


async def act(
    context: PlanbotContext,
    actor: Actor,
    operation: Callable[[Actor], Awaitable[R]],
) -> R:
    """`operation(actor)`; when it answers NeedsAdmin, ask Telegram and run it once more with
    the answer (the first run changed nothing)."""
    result = await operation(actor)
    if isinstance(result, NeedsAdmin):
        admin = await is_admin(context, result.tg_chat_id, result.chat_type, actor.tg_user_id)
        result = await operation(actor.known_admin(admin))
        if isinstance(result, NeedsAdmin):
            raise RuntimeError("an operation asked twice whether its actor is an admin")
    return result
