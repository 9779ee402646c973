"""/start: in private, what planbot is and how to bind oneself; in a group, a short hello
(for an admin the group's id, a warning when the bot is no administrator and so sees no
reactions, and a way to open a private chat when the bot has none with them)."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError

from bot.chat.permissions import is_admin
from bot.chat.private_reach import reaches_privately
from bot.chat.replies import chat_locale, reply_html
from bot.context import PlanbotContext
from bot.handlers.chat_id import chat_id_line
from bot.i18n import t
from bot.views.render import esc
from storage.chats import bound_groups
from storage.people import people_by_tg_user
from storage.rows import row_id

log = logging.getLogger(__name__)


async def _bound_names(update: Update, context: PlanbotContext) -> list[tuple[str, list[str]]]:
    """Each group the sender is bound in, with their names there (empty if nowhere)."""
    user = update.effective_user
    if user is None:
        return []
    async with context.services.db.session() as session:
        return [
            (chat.title, [p.name for p in await people_by_tg_user(session, row_id(chat), user.id)])
            for chat in await bound_groups(session, user.id)
        ]


async def _group_hello(update: Update, context: PlanbotContext, locale: str) -> None:
    """The hello in a group; for an admin also the group's id and, when the bot cannot write
    to them in private (they never opened a chat with it), a button that opens one: error
    reports and other notices for admins could not reach them otherwise."""
    chat, user = update.effective_chat, update.effective_user
    lines = [t(locale, "start.group"), t(locale, "start.group_hint")]
    markup = None
    if chat is None or user is None or not await is_admin(context, chat.id, chat.type, user.id):
        await reply_html(update, lines)
        return
    lines.append(chat_id_line(locale, chat))
    if not await _bot_administers(context, chat.id):
        lines.append(t(locale, "start.no_reactions"))
    if not await _reaches(context, user.id):
        link = context.bot.link
        lines.append(t(locale, "start.open_private", link=esc(link)))
        button = InlineKeyboardButton(t(locale, "start.open_button"), url=link)
        markup = InlineKeyboardMarkup.from_button(button)
    await reply_html(update, lines, reply_markup=markup)


async def _bot_administers(context: PlanbotContext, chat_id: int) -> bool:
    """Whether the bot is an administrator of the group: Telegram sends it reactions (a 👍 on
    a reminder counts as 已确认) only then. True when Telegram did not say (no warning on a
    guess)."""
    try:
        member = await context.bot.get_chat_member(chat_id, context.bot.id)
    except TelegramError:
        log.warning("could not learn whether the bot administers chat %s", chat_id)
        return True
    return member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


async def _reaches(context: PlanbotContext, user_id: int) -> bool:
    """Whether the bot can write to the user in private; True when Telegram did not say (a
    network failure is no reason to tell an admin to open a chat they may have opened)."""
    try:
        return await reaches_privately(context.bot, user_id)
    except TelegramError:
        log.warning("could not learn whether user %s can be written to in private", user_id)
        return True


async def start(update: Update, context: PlanbotContext) -> None:
    chat = update.effective_chat
    locale = await chat_locale(context, chat.id if chat else None)
    if chat is None or chat.type != ChatType.PRIVATE:
        await _group_hello(update, context, locale)
        return
    name = update.effective_user.full_name if update.effective_user else ""
    lines = [t(locale, "start.private", name=esc(name)), ""]
    bound = await _bound_names(update, context)
    for group, names in bound:
        names_text = esc(t(locale, "list.sep").join(names))
        lines.append(t(locale, "start.bound", chat=esc(group), names=names_text))
    if not bound:
        lines.append(t(locale, "start.bind_hint"))
    await reply_html(update, lines)
