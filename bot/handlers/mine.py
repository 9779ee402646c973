"""/mine: the open items the sender answers for, nearest deadline first.

In a group: that group's plans, every month. In private: every group where the sender is
bound to a name.
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType

from bot.chat.item_access import locale_of
from bot.chat.plan_group import chat_for_update
from bot.chat.replies import record_sent, reply_html
from bot.context import PlanbotContext
from bot.i18n import t
from bot.views.item import Display, names_label
from bot.views.plan import mine_lines
from storage.item_queries import chats_of_user, my_items


async def mine_command(update: Update, context: PlanbotContext) -> None:
    user, tg_chat = update.effective_user, update.effective_chat
    if user is None or tg_chat is None:
        return
    svc = context.services
    async with svc.db.session() as session:
        if tg_chat.type == ChatType.PRIVATE:
            chats = await chats_of_user(session, user.id)
        else:
            chat = await chat_for_update(session, update)
            chats = [chat] if chat is not None else []
        mine = await my_items(session, user.id, [c.id for c in chats if c.id is not None])
    locale = locale_of(context, chats[0] if chats else None)
    if not mine.names:
        await reply_html(update, t(locale, "mine.unbound"))
        return
    if not mine.items and not mine.partnered:
        await reply_html(update, t(locale, "mine.none", names=names_label(mine.names, locale)))
        return
    display = Display(locale, svc.today(), svc.config.schedule.tz)
    sent = await reply_html(update, mine_lines(mine.items, mine.reported, display, mine.partnered))
    # A reply `/done` to this list then asks which of these items is meant.
    await record_sent(context, sent, [i.id for i in mine.items if i.id is not None])
