"""Progress collection (进展报送) in the chat: answers by reply to an ask, and the asks edited
once an answer arrived.

A reply to an ask (or its chase) is the answer the bot asked for, so it is recorded at once,
as `/progress` would record it (bot/operations/reports.py report_progress), one report per
numbered line (plans/report_answers.py); /undo takes it back. A reply that answers nothing
(收到, 好的) goes on to the ordinary plain-reply handling. A photo or file whose caption answers
an ask is recorded the same way, the file kept as each report's evidence (佐证材料).

After every update, the asks listing an item a report was applied to in it (by a reply here,
/progress, /done, a confirmed plain reply, /undo) are edited to show 已报送 / 未报送 as they
stand (bot/operations/collection.py).
"""

from __future__ import annotations

from telegram import Message, Update

from bot.chat.acting import act, actor_of, origin_of
from bot.chat.item_access import Incoming, failure_line
from bot.chat.reminder_edits import update_reminders
from bot.chat.replies import reply_html
from bot.context import PlanbotContext
from bot.handlers.progress import progress_lines
from bot.i18n import t
from bot.operations.collection import asks_showing, replied_ask, take_arrived
from bot.operations.finding import NeedsAdmin, NoGroup, OnMessage
from bot.operations.reports import Changed, Which, report_progress
from bot.views.evidence import attached_lines
from bot.views.render import quoted
from plans.itemref import ItemRef
from plans.report_answers import Answer, Problem, Unread, read_answers
from storage.attachments import FileRef


async def answer_ask(
    update: Update,
    context: PlanbotContext,
    sent: Incoming,
    replied: Message,
    text: str,
    file: FileRef | None = None,
) -> bool:
    """Record a reply to an ask as the progress it reports, with `file` (the photo or file the
    reply was the caption of) as its evidence; whether it was one (answered)."""
    origin = origin_of(sent.chat)
    actor = actor_of(context, sent.user, origin)
    deps = context.services.deps
    on = OnMessage(replied.chat_id, replied.message_id)
    asked = await replied_ask(deps, origin, actor, on)
    if asked is None or isinstance(asked, NoGroup) or not asked.listed:
        return False
    read = read_answers(text, asked.listed, asked.sole)
    if read is None:
        return False
    locale = asked.locale
    if isinstance(read, Unread):
        seqs = t(locale, "list.sep").join(str(n) for n in asked.listed)
        if read.problem is Problem.NOT_LISTED:
            line = t(locale, "collection.reply_not_listed", seq=read.value, seqs=seqs)
        elif read.problem is Problem.BAD_PERCENT:
            line = t(locale, "progress.bad_percent", value=quoted(read.value))
        else:
            line = t(locale, "collection.reply_number", seq=asked.listed[0], seqs=seqs)
        await reply_html(update, line)
        return True
    lines: list[str] = []
    for answer in read:
        lines += await _record(context, sent, on, answer, file)
    if lines:
        await reply_html(update, lines)
    return True


async def _record(
    context: PlanbotContext, sent: Incoming, on: OnMessage, answer: Answer, file: FileRef | None
) -> list[str]:
    origin = origin_of(sent.chat)
    actor = actor_of(context, sent.user, origin)
    deps = context.services.deps
    target = OnMessage(on.tg_chat_id, on.message_id, ItemRef(answer.seq))
    report = answer.report
    result = await act(
        context,
        actor,
        lambda a: report_progress(
            deps, origin, a, target, report.percent, report.note, evidence=file
        ),
    )
    if isinstance(result, Changed):
        return progress_lines(result, actor, report) + attached_lines(
            result.change, file, result.locale
        )
    if isinstance(result, NeedsAdmin | Which):
        return []
    return [failure_line(result, "progress")]


async def edit_answered_asks(update: Update, context: PlanbotContext) -> None:
    """After an update: the asks listing an item reported on in it, edited as they stand."""
    answered = take_arrived()
    if answered:
        await update_reminders(context, await asks_showing(context.services.deps, answered))
