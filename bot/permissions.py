"""Who may run admin commands: the configured admins, and a group's own administrators."""

from __future__ import annotations

from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.services import services

_ADMIN_STATUSES = {ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}


async def is_admin(
    context: ContextTypes.DEFAULT_TYPE, chat_id: int, chat_type: str, user_id: int
) -> bool:
    if services(context).is_admin(user_id):
        return True
    if chat_type == ChatType.PRIVATE:
        return False
    try:
        member = await context.bot.get_chat_member(chat_id, user_id)
    except TelegramError:
        return False
    return member.status in _ADMIN_STATUSES
