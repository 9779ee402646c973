"""The access gate: a bot added to a stranger's group says so once, then stays silent."""

from __future__ import annotations

import logging
from contextlib import suppress

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.context import PlanbotContext
from bot.i18n import t

log = logging.getLogger(__name__)


async def gate(update: object, context: PlanbotContext) -> None:
    allowed = context.services.config.access.allowed_chats
    if not allowed or not isinstance(update, Update) or update.effective_chat is None:
        return
    chat = update.effective_chat
    if chat.id in allowed:
        return
    log.info("ignoring an update from chat %s (not in allowed_chats)", chat.id)
    if update.callback_query is not None:
        # Answered without a word, or the button would spin on.
        with suppress(TelegramError):
            await update.callback_query.answer()
    # One sentence per chat and run, nothing stored: the chat is not ours to keep data about.
    svc = context.services
    if chat.id not in svc.told_not_allowed and update.effective_message is not None:
        svc.told_not_allowed.add(chat.id)
        locale = svc.config.i18n.locale
        await update.effective_message.reply_text(
            t(locale, "access.not_allowed"), parse_mode=None, do_quote=False
        )
    raise ApplicationHandlerStop
