"""Which group's plan a command is about, for handlers that read it off the update.

In a group, that group. In a private chat with the bot, the group where the sender is bound to
a name (`storage.chats.bound_group`), the one they chose when they are bound in several
(bot/chat/group_choice.py). The operations (bot/operations/finding.py) do the same
from plain values inside their unit of work.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Chat as TgChat
from telegram import Update
from telegram.constants import ChatType

from bot.chat.chosen_group import chosen_group
from storage.chats import bound_group, get_or_create_chat
from storage.models import Chat


async def group_chat(session: AsyncSession, tg_chat: TgChat) -> Chat:
    """Our Chat row for a group (made on first sight, its title kept current), flushed, so
    it has its id. For a command that only runs in groups; `chat_for_update` for the rest."""
    chat = await get_or_create_chat(
        session,
        tg_chat.id,
        title=tg_chat.title or "",
        type=tg_chat.type,
        is_forum=bool(tg_chat.is_forum),
    )
    await session.flush()
    return chat


async def chat_for_update(session: AsyncSession, update: Update) -> Chat | None:
    """Our Chat row for the plan the update is about; None in a private chat of a stranger."""
    tg_chat = update.effective_chat
    if tg_chat is None:
        return None
    if tg_chat.type != ChatType.PRIVATE:
        return await group_chat(session, tg_chat)
    user = update.effective_user
    if user is None:
        return None
    chosen = chosen_group()
    return await bound_group(session, user.id, chosen.tg_chat_id if chosen else None)
