"""The error handler: log with the update, tell the user one sentence, tell the admins once."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot.context import PlanbotContext
from bot.i18n import t
from bot.logs import redact
from bot.views.render import esc
from storage.db import is_locked

log = logging.getLogger(__name__)


async def on_error(update: object, context: PlanbotContext) -> None:
    svc = context.services
    svc.counters.command_errors += 1
    locale = svc.config.i18n.locale
    if context.error is not None and is_locked(context.error):
        # SQLite held by another writer past the busy timeout: nothing is wrong with the bot
        # or the command. Its unit of work rolled back; the user is told to send it again.
        log.warning("the database was locked; the update was not handled (told to retry)")
        await _tell(update, t(locale, "error.busy"))
        return
    log.error("error while handling an update", exc_info=context.error)
    await _tell(update, t(locale, "error.generic"))
    summary = redact(f"{type(context.error).__name__}: {context.error}", [svc.config.token])
    for admin in svc.config.access.admins:
        try:
            await context.bot.send_message(
                admin,
                t(locale, "error.admin_report", error=esc(summary[:1000])),
            )
        except TelegramError:
            log.warning("could not report the error to admin %s", admin)


async def _tell(update: object, sentence: str) -> None:
    if isinstance(update, Update) and update.effective_message is not None:
        try:
            await update.effective_message.reply_text(sentence, parse_mode=None, do_quote=False)
        except TelegramError:
            log.warning("could not tell the user about the error", exc_info=True)
