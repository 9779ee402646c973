"""The error handler: log with the update, tell the admins once, and tell the user one sentence
that says only what happened — "the admins have been told" only when a report went through.

Reports go to `[access] admin_chat` when one is set, else to each admin in private. An admin
who never opened a private chat with the bot cannot be written to (Telegram answers 403), nor
an admin chat the bot was removed from: then the chat where the error happened hears, briefly,
that the report did not reach them and how to fix it.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.context import PlanbotContext
from bot.i18n import t
from bot.logs import redact, secrets_of
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
    summary = redact(f"{type(context.error).__name__}: {context.error}", secrets_of(svc.config))
    told, unreachable = await _report(
        context, t(locale, "error.admin_report", error=esc(summary[:1000]))
    )
    if not isinstance(update, Update):
        return
    lines = [t(locale, "error.generic") + (t(locale, "error.admins_told") if told else "")]
    chat = update.effective_chat
    in_a_group = chat is not None and chat.type != ChatType.PRIVATE
    if unreachable and in_a_group:
        ids = t(locale, "list.sep").join(map(str, unreachable))
        admin_chat = svc.config.access.admin_chat
        key = "error.admin_chat_unreachable" if admin_chat else "error.admins_unreachable"
        lines.append(t(locale, key, ids=ids))
    text = "\n".join(lines)
    try:
        if update.effective_message is not None:
            await update.effective_message.reply_text(text, parse_mode=None, do_quote=False)
        elif chat is not None and in_a_group and unreachable:
            # A press on a message that is gone: no one to answer, but the admins must know.
            await context.bot.send_message(chat.id, lines[-1], parse_mode=None)
    except TelegramError:
        log.warning("could not tell the chat about the error", exc_info=True)


async def _tell(update: object, sentence: str) -> None:
    if isinstance(update, Update) and update.effective_message is not None:
        try:
            await update.effective_message.reply_text(sentence, parse_mode=None, do_quote=False)
        except TelegramError:
            log.warning("could not tell the user about the error", exc_info=True)


async def _report(context: PlanbotContext, report: str) -> tuple[int, list[int]]:
    """Send `report` to the admin chat, or to every configured admin in private: how many
    chats it reached, and those Telegram refused it for (an admin who never opened a chat with
    the bot or blocked it, an admin chat the bot is no longer in)."""
    told, unreachable = 0, []
    for chat in context.services.config.access.notice_chats:
        try:
            await context.bot.send_message(chat, report)
        except (Forbidden, BadRequest) as error:
            log.warning("could not report the error to chat %s: %s", chat, error.message)
            unreachable.append(chat)
        except TelegramError as error:
            log.warning("could not report the error to chat %s: %s", chat, error.message)
        else:
            told += 1
    return told, unreachable
