"""The access gate: a bot added to a stranger's group stays silent there."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.services import services

log = logging.getLogger(__name__)


async def gate(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    allowed = services(context).config.access.allowed_chats
    if not allowed or not isinstance(update, Update) or update.effective_chat is None:
        return
    if update.effective_chat.id not in allowed:
        log.info("ignoring an update from chat %s (not in allowed_chats)", update.effective_chat.id)
        raise ApplicationHandlerStop
