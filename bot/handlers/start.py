"""/start: in private, what planbot is and how to bind oneself; in a group, a short hello."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType

from bot.chat.plan_group import chat_for_update
from bot.chat.replies import chat_locale, reply_html
from bot.context import PlanbotContext
from bot.handlers.chat_id import id_line_for_admin
from bot.i18n import t
from bot.views.render import esc
from storage.people import people_by_tg_user


async def _bound_names(update: Update, context: PlanbotContext) -> tuple[str, list[str]]:
    """The group the sender is bound in and their names there (empty if nowhere)."""
    user = update.effective_user
    if user is None:
        return "", []
    async with context.services.db.session() as session:
        chat = await chat_for_update(session, update)
        if chat is None or chat.id is None:
            return "", []
        people = await people_by_tg_user(session, chat.id, user.id)
        return chat.title, [p.name for p in people]


async def start(update: Update, context: PlanbotContext) -> None:
    chat = update.effective_chat
    locale = await chat_locale(context, chat.id if chat else None)
    if chat is None or chat.type != ChatType.PRIVATE:
        lines = [t(locale, "start.group"), t(locale, "start.group_hint")]
        await reply_html(update, lines + await id_line_for_admin(update, context))
        return
    name = update.effective_user.full_name if update.effective_user else ""
    lines = [t(locale, "start.private", name=esc(name)), ""]
    group, names = await _bound_names(update, context)
    if names:
        names_text = esc(t(locale, "list.sep").join(names))
        lines.append(t(locale, "start.bound", chat=esc(group), names=names_text))
    else:
        lines.append(t(locale, "start.bind_hint"))
    await reply_html(update, lines)
