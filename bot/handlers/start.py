"""/start: in private, what planbot is and how to begin; in a group, a short hello."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.i18n import t
from bot.render import esc
from bot.replies import chat_locale, reply_html


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chat = update.effective_chat
    locale = await chat_locale(context, chat.id if chat else None)
    if chat is not None and chat.type == ChatType.PRIVATE:
        name = update.effective_user.full_name if update.effective_user else ""
        await reply_html(update, t(locale, "start.private", name=esc(name)))
    else:
        await reply_html(update, t(locale, "start.group"))
