"""The error handler: log with the update, tell the user one sentence, tell the admins once."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot.context import PlanbotContext
from bot.i18n import t
from bot.logs import redact
from bot.views.render import esc

log = logging.getLogger(__name__)


async def on_error(update: object, context: PlanbotContext) -> None:
    log.error("error while handling an update", exc_info=context.error)
    svc = context.services
    svc.counters.command_errors += 1
    locale = svc.config.i18n.locale
    if isinstance(update, Update) and update.effective_message is not None:
        try:
            await update.effective_message.reply_text(
                t(locale, "error.generic"), parse_mode=None, do_quote=False
            )
        except TelegramError:
            log.warning("could not tell the user about the error", exc_info=True)
    summary = redact(f"{type(context.error).__name__}: {context.error}", [svc.config.token])
    for admin in svc.config.access.admins:
        try:
            await context.bot.send_message(
                admin,
                t(locale, "error.admin_report", error=esc(summary[:1000])),
            )
        except TelegramError:
            log.warning("could not report the error to admin %s", admin)
