"""/board in a group (admins): the link to the group's web board, with a button to open it
when Telegram takes the address on a button (not a local one: bot/views/url_buttons.py);
`/board reset` revokes the link (it answers 404 from then on) and makes a new one.

Without `[http] public_url` there is no address to give: one sentence says what to set.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.error import BadRequest

from bot.chat.acting import act, actor_of, origin_of
from bot.chat.item_access import command_args, failure_line, incoming
from bot.chat.replies import chat_locale, reply_html
from bot.context import PlanbotContext
from bot.handlers.mini_app import private_board
from bot.i18n import t
from bot.operations.board import BoardLink, board_link
from bot.operations.finding import NoGroup
from bot.views.render import esc, quoted
from bot.views.url_buttons import button_url_ok

logger = logging.getLogger(__name__)

RESET_WORDS = frozenset({"reset", "重置", "作废"})


def board_url(public_url: str, token: str) -> str:
    return f"{public_url.rstrip('/')}/board/{token}"


async def board_command(update: Update, context: PlanbotContext) -> None:
    sent = incoming(update)
    if sent is None:
        return
    if sent.chat.type == ChatType.PRIVATE:
        # In private the board opens as a Telegram Mini App, for the sender's own groups.
        await private_board(update, context)
        return
    svc = context.services
    argument = command_args(sent.message.text).strip()
    if argument and argument.lower() not in RESET_WORDS:
        locale = await chat_locale(context, sent.chat.id)
        await reply_html(update, t(locale, "board.bad_args", text=quoted(argument)))
        return
    public_url = svc.config.http.public_url
    if not public_url:
        locale = await chat_locale(context, sent.chat.id)
        await reply_html(update, t(locale, "board.no_public_url"))
        return
    origin = origin_of(sent.chat)
    secret = svc.config.http.token_secret.get_secret_value() or None
    link = await act(
        context,
        actor_of(context, sent.user, origin),
        lambda actor: board_link(svc.deps, origin, actor, secret=secret, reset=bool(argument)),
    )
    if isinstance(link, NoGroup):
        await reply_html(update, failure_line(link, "board"))
    elif isinstance(link, BoardLink):
        url = board_url(public_url, link.token)
        key = "board.reset_done" if argument else "board.link"
        await reply_with_link_button(update, t(link.locale, key, url=esc(url)), url, link.locale)
    else:  # AdminsOnly: the guard lets only admins by, but Telegram's answer may have changed
        locale = await chat_locale(context, sent.chat.id)
        await reply_html(update, t(locale, "board.admins_only"))


async def reply_with_link_button(update: Update, text: str, url: str, locale: str) -> None:
    """`text` with a button opening `url` when Telegram takes that address on a button (a
    local one, `http://192.168.1.20:8080`, it refuses: the link in the text is enough); and if
    Telegram refuses the button anyway, the text alone."""
    if not button_url_ok(url):
        await reply_html(update, text)
        return
    button = InlineKeyboardButton(t(locale, "board.button"), url=url)
    try:
        await reply_html(update, text, reply_markup=InlineKeyboardMarkup([[button]]))
    except BadRequest as refused:
        if "button_url" not in refused.message.lower():
            raise
        # Not the address: it holds the board's token, which no log shows.
        logger.warning("Telegram refused the board's button (sent as text): %s", refused.message)
        await reply_html(update, text)
