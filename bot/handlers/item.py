"""/item N: one item as /plan shows it, its content, and everything that happened to it; for a
number that was deleted, who deleted it, when, and the history it had."""

from __future__ import annotations

from telegram import Update

from bot.chat.acting import actor_of, origin_of
from bot.chat.item_access import command_args, failure_line, incoming, items_named, split_first
from bot.chat.replies import reply_html
from bot.context import PlanbotContext
from bot.handlers.evidence import send_item_files, wants_files
from bot.operations.finding import NoGroup, NoSuchItem
from bot.operations.listings import DeletedCard, item_card
from bot.views.evidence import attachment_lines
from bot.views.item import Display, card_lines, deleted_lines
from storage.deleted_items import history_updates


async def item_command(update: Update, context: PlanbotContext) -> None:
    sent = incoming(update)
    if sent is None:
        return
    origin = origin_of(sent.chat)
    actor = actor_of(context, sent.user, origin)
    svc = context.services
    named = await items_named(
        update, context, origin, actor, command_args(sent.message.text), "item"
    )
    if named is None:
        return
    ref = named.refs[0]
    if wants_files(named.rest):
        await send_item_files(update, context, origin, actor, ref)
        return
    card = await item_card(svc.deps, origin, actor, ref)
    if isinstance(card, NoGroup | NoSuchItem):
        await reply_html(update, failure_line(card, "item"))
        return
    display = Display(card.locale, svc.today(), svc.config.schedule.tz)
    if isinstance(card, DeletedCard):
        await reply_html(update, deleted_lines(card.record, history_updates(card.record), display))
        return
    plan = card.item.plan
    month = (plan.year, plan.month, plan.quarter)
    lines = card_lines(card.item, card.history, display, month=month)
    ref_text = split_first(command_args(sent.message.text))[0]
    await reply_html(update, lines + attachment_lines(card.attachments, display, ref_text))
