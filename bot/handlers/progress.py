"""/progress N 60% [note] or /progress N note: how far an item is, or how it stands.

A bare number is a percentage ("/progress 3 60"), and so are 六成, 百分之五十, 一半
(plans/percent.py);
anything else after the item is a note. 过半 and the like are a note, and the answer asks for a
number.
100% does not mark the item done: that is /done, and the answer says so.
"""

from __future__ import annotations

from telegram import Update

from bot.chat.acting import act, actor_of, origin_of
from bot.chat.item_access import command_args, failure_line, incoming, items_named
from bot.chat.replies import reply_html
from bot.context import PlanbotContext
from bot.i18n import t
from bot.operations.finding import ByNumber, NeedsAdmin, answer_locale
from bot.operations.reports import Changed, Which, report_progress
from bot.operations.who import Actor
from bot.views.item import note_line, ref_label
from bot.views.render import esc, quoted
from plans.percent import BadPercent, ProgressReport, read_progress
from storage.item_changes import Outcome


async def progress_command(update: Update, context: PlanbotContext) -> None:
    sent = incoming(update)
    if sent is None:
        return
    origin, args = origin_of(sent.chat), command_args(sent.message.text)
    actor = actor_of(context, sent.user, origin)
    deps = context.services.deps
    # `60%`, `75` may follow the item: a number after it is never another item.
    named = await items_named(
        update, context, origin, actor, args, "progress", spaced=False, usage="progress.need"
    )
    if named is None:
        return
    ref, report = named.refs[0], read_progress(named.rest)
    if report is None or isinstance(report, BadPercent):
        locale = await answer_locale(deps, origin, actor)
        if isinstance(report, BadPercent):
            line = t(locale, "progress.bad_percent", value=quoted(report.value))
        else:
            line = t(locale, "progress.need")
        await reply_html(update, line)
        return
    result = await act(
        context,
        actor,
        lambda a: report_progress(deps, origin, a, ByNumber(ref), report.percent, report.note),
    )
    if isinstance(result, Changed):
        await reply_html(update, _progress_lines(result, actor, report))
    elif not isinstance(result, NeedsAdmin | Which):
        await reply_html(update, failure_line(result, "progress"))


def _progress_lines(changed: Changed, actor: Actor, report: ProgressReport) -> list[str]:
    locale, change = changed.locale, changed.change
    item = change.item
    if change.outcome is Outcome.GONE or item is None:
        return [t(locale, "items.gone")]
    if change.outcome is Outcome.UNCHANGED:
        return [t(locale, "progress.done_item", item=ref_label(item, locale), seq=item.seq)]
    author = esc(actor.name)
    label = ref_label(item, locale)
    if report.percent is None:
        lines = [t(locale, "progress.noted", item=label, author=author)]
    else:
        lines = [t(locale, "progress.ok", item=label, percent=item.progress, author=author)]
    lines += note_line(report.note, locale)
    if report.vague:
        lines.append(t(locale, "progress.vague", seq=item.seq))
    if report.percent == 100:
        lines.append(t(locale, "progress.full", seq=item.seq))
    if report.percent is not None:
        lines.append(t(locale, "items.undo_hint"))
    return lines
