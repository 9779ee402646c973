"""/item N: one item as /plan shows it, its content, and everything that happened to it."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.item_access import command_in_scope, find_item, split_first
from bot.replies import reply_html
from bot.services import services
from bot.views.item import Display, card_lines
from storage.item_queries import item_history


async def item_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    command = await command_in_scope(update, context)
    if command is None:
        return
    scope = command.scope
    ref_text, _ = split_first(command.args)
    found = await find_item(update, context, scope, ref_text, "item")
    if found is None:
        return
    svc = services(context)
    assert found.item.id is not None
    async with svc.db.session() as session:
        history = await item_history(session, found.item.id)
    display = Display(scope.locale, svc.today(), svc.config.schedule.tz)
    month = (found.plan.year, found.plan.month)
    await reply_html(update, card_lines(found.item, history, display, month=month))
