"""/id: a group's Telegram id, which `planbot import FILE --chat ID` asks for.

Admins only (the table's access rule); /start in a group shows the same line to an admin.
"""

from __future__ import annotations

from telegram import Chat, Update
from telegram.constants import ChatType

from bot.chat.replies import chat_locale, reply_html
from bot.context import PlanbotContext
from bot.i18n import t
from bot.views.render import esc


def chat_id_line(locale: str, chat: Chat) -> str:
    return t(locale, "chat_id.group", title=esc(chat.title or ""), id=chat.id)


async def id_command(update: Update, context: PlanbotContext) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    locale = await chat_locale(context, chat.id)
    if chat.type == ChatType.PRIVATE:
        await reply_html(update, t(locale, "chat_id.private"))
        return
    await reply_html(update, chat_id_line(locale, chat))
