"""/undo: take back the sender's own last change (done, progress, reopen, edit) within ten
minutes; the item's previous state comes from the history row of that change."""

from __future__ import annotations

from telegram import Update

from bot.chat.item_access import author_of, command_in_scope
from bot.chat.replies import reply_html
from bot.context import PlanbotContext
from bot.i18n import t
from bot.views.item import kind_label, later_change_label, ref_label, state_label
from bot.views.render import esc
from storage.item_changes import UndoOutcome, undo_last


async def undo_command(update: Update, context: PlanbotContext) -> None:
    command = await command_in_scope(update, context)
    if command is None:
        return
    user, scope, locale = command.user, command.scope, command.locale
    svc = context.services
    async with svc.db.session() as session:
        undo = await undo_last(session, svc.planner, scope.chat_id, author_of(user), svc.now())
    if undo.outcome is UndoOutcome.NOTHING or undo.item is None or undo.undone is None:
        await reply_html(update, t(locale, "undo.nothing"))
        return
    item = ref_label(undo.item, locale)
    # A CONFLICT always comes with the later change that stands in the way (storage sets both).
    if undo.outcome is UndoOutcome.CONFLICT and undo.later is not None:
        who = undo.later.author_name or t(locale, "items.bot")
        line = t(
            locale,
            "undo.conflict",
            item=item,
            who=esc(who),
            what=later_change_label(undo.later, locale),
        )
        await reply_html(update, line)
        return
    line = t(
        locale,
        "undo.ok",
        item=item,
        what=kind_label(undo.undone.kind, locale),
        state=state_label(undo.item, locale),
    )
    await reply_html(update, line)
