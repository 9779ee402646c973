"""Who may run admin commands: the configured admins, and a group's own administrators.

A group's administrators are asked of Telegram (getChatMember) and a "yes" is remembered for
a few minutes, so an admin pressing buttons does not cost a request each time. A "no" is not
remembered: someone just promoted tries again at once and must not be refused for minutes.
"""

from __future__ import annotations

from datetime import timedelta

from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError

from bot.context import PlanbotContext
from bot.operations.policy import Action
from bot.operations.roles import may
from bot.operations.who import Actor

_ADMIN_STATUSES = {ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}
# How long a group administrator stays one for us after Telegram said so.
ADMIN_CACHE_TTL = timedelta(minutes=5)


def known_admin(context: PlanbotContext, chat_id: int | None, user_id: int) -> bool | None:
    """True for a configured admin, or one Telegram named lately for this chat; None when only
    asking Telegram can tell (a "no" is never remembered, see above)."""
    if context.services.is_admin(user_id):
        return True
    if chat_id is None:
        return None
    until = context.bot_data.admin_cache.get((chat_id, user_id))
    return True if until is not None and context.services.now() < until else None


async def may_in_chat(
    context: PlanbotContext, action: Action, chat_id: int, chat_type: str, user_id: int
) -> bool:
    """Whether the user may do `action`, which names no item, in this chat: the operations'
    rule (bot/operations/roles.py:may) with what is known of them here, Telegram asked only
    when its answer decides."""
    actor = Actor(user_id, "", known_admin(context, chat_id, user_id))
    answer = may(context.services.deps, actor, action)
    if answer is None:
        answer = await is_admin(context, chat_id, chat_type, user_id)
    return answer


async def is_admin(context: PlanbotContext, chat_id: int, chat_type: str, user_id: int) -> bool:
    svc = context.services
    if svc.is_admin(user_id):
        return True
    if chat_type == ChatType.PRIVATE:
        return False
    # In bot_data, not module state: each Application (and each test's) has its own.
    cache = context.bot_data.admin_cache
    now = svc.now()
    until = cache.get((chat_id, user_id))
    if until is not None and now < until:
        return True
    try:
        member = await context.bot.get_chat_member(chat_id, user_id)
    except TelegramError:
        return False
    if member.status in _ADMIN_STATUSES:
        cache[(chat_id, user_id)] = now + ADMIN_CACHE_TTL
        return True
    cache.pop((chat_id, user_id), None)
    return False
