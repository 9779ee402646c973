"""/item N: one item as /plan shows it, its content, and everything that happened to it; for a
number that was deleted, who deleted it, when, and the history it had."""

from __future__ import annotations

from telegram import Update

from bot.chat.item_access import NotFound, command_in_scope, locate_item, split_first
from bot.chat.replies import reply_html
from bot.context import PlanbotContext
from bot.views.item import Display, card_lines, deleted_lines
from storage.deleted_items import history_updates, latest_deletion
from storage.item_queries import item_history


async def item_command(update: Update, context: PlanbotContext) -> None:
    command = await command_in_scope(update, context)
    if command is None:
        return
    scope = command.scope
    ref_text, _ = split_first(command.args)
    located = await locate_item(context, scope, ref_text, "item")
    svc = context.services
    display = Display(scope.locale, svc.today(), svc.config.schedule.tz)
    if isinstance(located, NotFound):
        await reply_html(update, await _deleted_or(context, located, display))
        return
    async with svc.db.session() as session:
        history = await item_history(session, located.item_id)
    month = (located.plan.year, located.plan.month, located.plan.quarter)
    await reply_html(update, card_lines(located.item, history, display, month=month))


async def _deleted_or(
    context: PlanbotContext, missing: NotFound, display: Display
) -> list[str] | str:
    """The newest deletion record of the missing number, else why there is no item."""
    plan = missing.plan
    if plan is None or missing.seq is None:
        return missing.line
    async with context.services.db.session() as session:
        record = await latest_deletion(
            session, plan.chat_id, plan.year, plan.month, plan.quarter, missing.seq
        )
    if record is None:
        return missing.line
    return deleted_lines(record, history_updates(record), display)
