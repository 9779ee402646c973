"""/progress N 60% [note] or /progress N note: how far an item is, or how it stands.

A bare number is a percentage ("/progress 3 60"), and so are 六成, 百分之五十, 一半
(plans/percent.py);
anything else after the item is a note. 过半 and the like are a note, and the answer asks for a
number.
100% does not mark the item done: that is /done, and the answer says so.
"""

from __future__ import annotations

from telegram import Message, Update

from bot.chat.acting import act, actor_of, origin_of
from bot.chat.confirmations import ask_to_confirm
from bot.chat.evidence import evidence_of, file_report
from bot.chat.item_access import command_args, failure_line, incoming, items_named, split_first
from bot.chat.replies import reply_html
from bot.context import PlanbotContext
from bot.i18n import t
from bot.operations.finding import ByNumber, NeedsAdmin, OnMessage, answer_locale
from bot.operations.reports import Changed, Which, report_progress
from bot.operations.who import Actor, Origin
from bot.views.evidence import attached_lines, which_line
from bot.views.item import names_label, note_line, ref_label
from bot.views.part_answers import part_progress_line
from bot.views.render import esc, quoted
from plans.itemref import parse_item_ref
from plans.percent import BadPercent, ProgressReport, read_progress
from plans.reply_words import ReplyKind, ReplyMeaning
from storage.attachments import FileRef
from storage.item_changes import Outcome
from storage.models import ItemStatus


async def progress_command(update: Update, context: PlanbotContext) -> None:
    sent = incoming(update)
    if sent is None:
        return
    origin, args = origin_of(sent.chat), command_args(sent.words)
    actor = actor_of(context, sent.user, origin)
    deps, file = context.services.deps, evidence_of(sent.message)
    replied = _progress_target(sent.message, args, file)
    if replied is not None:
        await _progress_on_message(update, context, origin, actor, *replied, file)
        return
    # `60%`, `75` may follow the item: a number after it is never another item.
    named = await items_named(
        update, context, origin, actor, args, "progress", spaced=False, usage="progress.need"
    )
    if named is None:
        return
    ref, report = named.refs[0], read_progress(named.rest) or file_report(file)
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
        lambda a: report_progress(
            deps, origin, a, ByNumber(ref), report.percent, report.note, evidence=file
        ),
    )
    if isinstance(result, Changed):
        lines = progress_lines(result, actor, report)
        await reply_html(update, lines + attached_lines(result.change, file, result.locale))
    elif not isinstance(result, NeedsAdmin | Which):
        await reply_html(update, failure_line(result, "progress"))


def _progress_target(
    message: Message, args: str, file: FileRef | None
) -> tuple[OnMessage, ProgressReport] | None:
    """For `/progress …` sent as a reply to one of our messages: that message's item (or the
    one of its items a leading number names, as in `/progress 3 60%`) and the report; None
    for any other message, or words that are no report (the usual answers say why)."""
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or not replied.from_user.is_bot:
        return None
    first, rest = split_first(args)
    ref = parse_item_ref(first) if first else None
    # With a file, `/progress 3` alone is a note on item 3 (the file says how it stands).
    named = read_progress(rest) or file_report(file) if ref is not None else None
    if ref is not None and isinstance(named, ProgressReport):
        return OnMessage(replied.chat_id, replied.message_id, ref), named
    # A lone number is a percentage, as after an item number: `/progress 60` replying.
    report = read_progress(args) or file_report(file)
    if isinstance(report, ProgressReport):
        return OnMessage(replied.chat_id, replied.message_id), report
    return None


async def _progress_on_message(
    update: Update,
    context: PlanbotContext,
    origin: Origin,
    actor: Actor,
    on: OnMessage,
    report: ProgressReport,
    file: FileRef | None,
) -> None:
    """The report on the replied message's item; when it lists several, which one is asked
    with buttons (bot/chat/confirmations.py)."""
    deps = context.services.deps
    result = await act(
        context,
        actor,
        lambda a: report_progress(deps, origin, a, on, report.percent, report.note, evidence=file),
    )
    if isinstance(result, Changed):
        lines = progress_lines(result, actor, report)
        await reply_html(update, lines + attached_lines(result.change, file, result.locale))
    elif isinstance(result, Which) and file is not None:
        await reply_html(update, which_line(result.locale, result.items, "progress"))
    elif isinstance(result, Which):
        kind = ReplyKind.NOTE if report.percent is None else ReplyKind.PROGRESS
        meaning = ReplyMeaning(kind, report.percent, report.note, report.vague)
        await ask_to_confirm(update, context, actor, result.locale, result.items, meaning, on)
    elif not isinstance(result, NeedsAdmin):
        await reply_html(update, failure_line(result, "progress"))


def progress_lines(changed: Changed, actor: Actor, report: ProgressReport) -> list[str]:
    """What to answer a progress report with (also a confirmed plain reply)."""
    locale, change = changed.locale, changed.change
    item = change.item
    if change.outcome is Outcome.GONE or item is None:
        return [t(locale, "items.gone")]
    label, departments = ref_label(item, locale), changed.departments
    if change.outcome is Outcome.UNCHANGED:
        if departments and item.status != ItemStatus.DONE.value:
            names = names_label(departments, locale)
            return [t(locale, "parts.progress_closed", item=label, departments=names, seq=item.seq)]
        return [t(locale, "progress.done_item", item=label, seq=item.seq)]
    author = esc(actor.name)
    if report.percent is None:
        lines = [t(locale, "progress.noted", item=label, author=author)]
    elif departments:
        lines = [part_progress_line(item, departments, report.percent, actor.name, locale)]
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
