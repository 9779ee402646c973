"""/undo: take back the sender's own last change (done, progress, reopen, edit) within ten
minutes; the item's previous state comes from the history row of that change."""

from __future__ import annotations

from telegram import Update

from bot.chat.acting import actor_of, origin_of
from bot.chat.item_access import failure_line, incoming
from bot.chat.reminder_edits import update_reminders
from bot.chat.replies import reply_html
from bot.context import PlanbotContext
from bot.i18n import t
from bot.operations.finding import NoGroup
from bot.operations.reports import undo
from bot.views.evidence import undone_files_lines
from bot.views.item import kind_label, later_change_label, ref_label, state_label
from bot.views.render import esc
from storage.item_changes import UndoOutcome


async def undo_command(update: Update, context: PlanbotContext) -> None:
    sent = incoming(update)
    if sent is None:
        return
    origin = origin_of(sent.chat)
    result = await undo(context.services.deps, origin, actor_of(context, sent.user, origin))
    if isinstance(result, NoGroup):
        await reply_html(update, failure_line(result, "undo"))
        return
    locale, undone = result.locale, result.undo
    if undone.outcome is UndoOutcome.NOTHING or undone.item is None or undone.undone is None:
        await reply_html(update, t(locale, "undo.nothing"))
        return
    item = ref_label(undone.item, locale)
    # A CONFLICT always comes with the later change that stands in the way (storage sets both).
    if undone.outcome is UndoOutcome.CONFLICT and undone.later is not None:
        who = undone.later.author_name or t(locale, "items.bot")
        line = t(
            locale,
            "undo.conflict",
            item=item,
            who=esc(who),
            what=later_change_label(undone.later, locale),
        )
        await reply_html(update, line)
        return
    line = t(
        locale,
        "undo.ok",
        item=item,
        what=kind_label(undone.undone.kind, locale),
        state=state_label(undone.item, locale),
    )
    await reply_html(update, [line, *undone_files_lines(result.files_dropped, locale)])
    await update_reminders(context, result.reminders)
