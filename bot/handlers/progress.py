"""/progress N 60% [note] or /progress N note: how far an item is, or how it stands.

A bare number is a percentage ("/progress 3 60"); anything else after the item is a note.
100% does not mark the item done: that is /done, and the answer says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram import Update

from bot.chat.item_access import (
    author_of,
    command_in_scope,
    find_item,
    may_change,
    split_first,
)
from bot.chat.replies import reply_html
from bot.context import PlanbotContext
from bot.i18n import t
from bot.views.item import note_line, ref_label, refusal_line
from bot.views.render import esc
from storage.item_changes import Outcome, report_progress

# "60%", "60 %", "60%已完成初稿"; a bare "60" only as a word of its own ("2个单位" is a note).
_WITH_SIGN = re.compile(r"([+-]?\d+(?:\.\d+)?)\s*[%％](.*)", re.DOTALL)
_BARE = re.compile(r"([+-]?\d+(?:\.\d+)?)(?:\s+(.*))?", re.DOTALL)


@dataclass(frozen=True, slots=True)
class ProgressReport:
    percent: int | None
    note: str


@dataclass(frozen=True, slots=True)
class BadPercent:
    value: str


def parse_report(text: str) -> ProgressReport | BadPercent | None:
    """What follows the item number: a percentage and/or a note; None when it is empty."""
    text = text.strip()
    if not text:
        return None
    match = _WITH_SIGN.fullmatch(text) or _BARE.fullmatch(text)
    if match is None:
        return ProgressReport(None, text)
    number, rest = match.group(1), match.group(2) or ""
    if not 0 <= float(number) <= 100:
        return BadPercent(f"{number}%")
    return ProgressReport(round(float(number)), rest.strip())


async def progress_command(update: Update, context: PlanbotContext) -> None:
    command = await command_in_scope(update, context)
    if command is None:
        return
    user, scope, locale = command.user, command.scope, command.locale
    ref_text, rest = split_first(command.args)
    report = parse_report(rest)
    if not ref_text or report is None:
        await reply_html(update, t(locale, "progress.need"))
        return
    if isinstance(report, BadPercent):
        await reply_html(update, t(locale, "progress.bad_percent", value=esc(report.value)))
        return
    found = await find_item(update, context, scope, ref_text, "progress")
    if found is None:
        return
    item_id = found.item_id
    if not await may_change(context, scope.chat, item_id, user.id):
        await reply_html(update, refusal_line(found.item, locale))
        return
    svc = context.services
    async with svc.db.session() as session:
        change = await report_progress(
            session, svc.planner, item_id, author_of(user), report.percent, report.note, svc.now()
        )
    item = change.item
    if change.outcome is Outcome.GONE or item is None:
        await reply_html(update, t(locale, "items.gone"))
        return
    if change.outcome is Outcome.UNCHANGED:
        await reply_html(
            update, t(locale, "progress.done_item", item=ref_label(item, locale), seq=item.seq)
        )
        return
    author = esc(user.full_name)
    if report.percent is None:
        lines = [t(locale, "progress.noted", item=ref_label(item, locale), author=author)]
    else:
        lines = [
            t(
                locale,
                "progress.ok",
                item=ref_label(item, locale),
                percent=item.progress,
                author=author,
            )
        ]
    lines += note_line(report.note, locale)
    if report.percent == 100:
        lines.append(t(locale, "progress.full", seq=item.seq))
    if report.percent is not None:
        lines.append(t(locale, "items.undo_hint"))
    await reply_html(update, lines)
