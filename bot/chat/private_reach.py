"""Whether the bot can write to someone in private.

Telegram lets a bot write to a user only after the user opened a private chat with it (pressed
Start) and while they have not blocked it. The cheapest question that tells is a chat action:
refused (403 "bot can't initiate conversation", "bot was blocked", or 400 "chat not found")
when a message would be. `planbot doctor` asks it of the configured admins, `/start` in a group
of the admin who sends it.
"""

from __future__ import annotations

from telegram import Bot
from telegram.constants import ChatAction
from telegram.error import BadRequest, Forbidden


async def reaches_privately(bot: Bot, user_id: int, *, read_timeout: float | None = None) -> bool:
    """False when Telegram refuses to let the bot write to `user_id` in private; other
    failures (the network, a 5xx) are raised: they say nothing about the user."""
    try:
        await bot.send_chat_action(user_id, ChatAction.TYPING, read_timeout=read_timeout)
    except (Forbidden, BadRequest):
        return False
    return True
