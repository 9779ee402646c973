"""/board in a private chat: the board as a Telegram Mini App, for the groups the sender is
bound in (in a group, /board answers with the group's token link: bot/handlers/board.py,
which hands private chats to `private_board`)."""

from __future__ import annotations

from telegram import Update

from bot.chat.replies import chat_locale, reply_html
from bot.context import PlanbotContext
from bot.i18n import t
from bot.operations.mini_app import app_groups
from bot.views.mini_app import app_keyboard, app_url
from bot.views.render import esc


async def private_board(update: Update, context: PlanbotContext) -> None:
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return
    locale = await chat_locale(context, chat.id)
    public_url = context.services.config.http.public_url
    url = app_url(public_url)
    if url is None:
        await reply_html(update, t(locale, "miniapp.not_https" if public_url else "miniapp.no_url"))
        return
    groups = await app_groups(context.services.deps, user.id)
    if not groups:
        await reply_html(update, t(locale, "items.private_unbound"))
        return
    names = t(locale, "miniapp.sep").join(esc(g.title) for g in groups)
    await reply_html(
        update, t(locale, "miniapp.open", groups=names), reply_markup=app_keyboard(locale, url)
    )
