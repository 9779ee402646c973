"""Answering in the chat: the chat's language, long answers split under Telegram's limit, and
buttons taken off a message."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy.exc import OperationalError
from telegram import CallbackQuery, InlineKeyboardMarkup, Message, ReplyParameters, Update
from telegram.constants import ChatType

from bot.chat.chosen_group import chosen_group
from bot.context import PlanbotContext
from bot.delivery.edits import edit
from bot.i18n import t
from bot.views.render import esc, split_lines
from storage.chats import get_chat
from storage.db import is_locked
from storage.messages import record_message

log = logging.getLogger(__name__)


async def chat_locale(context: PlanbotContext, tg_chat_id: int | None) -> str:
    """The chat's own language if it chose one, else the configured default."""
    svc = context.services
    if tg_chat_id is not None:
        # Read-only: a command that only reads answers while another writer holds SQLite.
        async with svc.db.reading() as session:
            chat = await get_chat(session, tg_chat_id)
            locale = chat.locale if chat is not None else None
        if locale:
            return locale
    return svc.config.i18n.locale


async def reply_html(
    update: Update,
    lines: str | Sequence[str],
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
    quote: bool = False,
) -> list[Message]:
    """Send HTML lines as one or more messages into the chat (and forum topic) asked from.

    Parts go out one after another so they arrive in order; the keyboard rides on the last. In
    a group the first part answers the command as a reply to it, so that in a busy group an
    answer stays tied to its question (sent anyway if the command was deleted meanwhile); a
    button's answer and a private chat's need no quote, unless `quote` asks for one (a
    question whose buttons read the command it answers, bot/chat/group_choice.py).

    In private, a command meant for one of the sender's several groups is answered under that
    group's name (bot/chat/chosen_group.py).
    """
    message = update.effective_message
    if message is None:
        return []
    reply_to = None
    if quote or (update.message is not None and message.chat.type != ChatType.PRIVATE):
        reply_to = ReplyParameters(message.message_id, allow_sending_without_reply=True)
    shown = [lines] if isinstance(lines, str) else list(lines)
    group = chosen_group()
    if group is not None and message.chat.type == ChatType.PRIVATE:
        shown.insert(0, t(group.locale, "groups.header", title=esc(group.title)))
    chunks = split_lines(shown)
    sent: list[Message] = []
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        sent.append(
            await message.reply_text(
                chunk,
                reply_markup=reply_markup if last else None,
                do_quote=False,
                reply_parameters=reply_to if index == 0 else None,
                disable_web_page_preview=True,
            )
        )
    return sent


async def clear_buttons(query: CallbackQuery) -> None:
    """Take the buttons off the pressed message. Already gone (a second press of the same
    button, processed after the first took them off) is fine (bot/delivery/edits.py)."""
    await edit(query.edit_message_reply_markup(None))


async def record_sent(
    context: PlanbotContext, sent: Sequence[Message], item_ids: list[int]
) -> None:
    """Remember that the messages just sent are about these items, so that a reply to one
    (`/done`, `/ack`) means them. After sending: only then are the message ids known."""
    if not item_ids:
        return
    try:
        async with context.services.db.session() as session:
            for message in sent:
                await record_message(
                    session, message.chat_id, message.message_id, item_ids, kind="plan"
                )
    except OperationalError as error:
        if not is_locked(error):
            raise
        # Another writer held SQLite past the busy timeout. The answer is out and right; only a
        # reply to it will not mean its items (the bot then asks which), so no "busy" after it.
        log.warning("the database was locked: the items an answer lists were not recorded")
