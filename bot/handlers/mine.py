"""/mine: the open items the sender answers for, nearest deadline first.

In a group: that group's plans, every month. In private: every group where the sender is
bound to a name.
"""

from __future__ import annotations

from telegram import Update

from bot.chat.acting import actor_of, origin_of
from bot.chat.item_access import incoming, locale_of
from bot.chat.replies import record_sent, reply_html
from bot.context import PlanbotContext
from bot.i18n import t
from bot.operations.listings import mine_view
from bot.views.item import Display, names_label
from bot.views.plan import mine_lines


async def mine_command(update: Update, context: PlanbotContext) -> None:
    sent_in = incoming(update)
    if sent_in is None:
        return
    svc = context.services
    origin = origin_of(sent_in.chat)
    view = await mine_view(svc.deps, origin, actor_of(context, sent_in.user, origin))
    chats, mine = view.chats, view.mine
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
