"""/summary, /export and /stats: a month's plan as a summary draft, as a file, as figures.

Anyone in the group may ask (everything shown is the group's own plan); in a private chat the
plan is that of the group where the sender is bound (bot/operations/finding.py). The month is
read like /plan's: `10月`, `十月`, `october`, `2020-10`; none means the current plan. One
operation reads it (bot/operations/month_reports.py), as `planbot summary|export` does.
"""

from __future__ import annotations

import asyncio

from telegram import Update

from bot.chat.acting import actor_of, origin_of
from bot.chat.item_access import incoming
from bot.chat.replies import chat_locale, reply_html
from bot.context import PlanbotContext
from bot.exports import make_export, parse_format
from bot.exports.chart import stats_png
from bot.exports.common import draft_summary, missing_plan, month_name
from bot.exports.html import stats_lines, summary_lines
from bot.handlers.bulletin import bulletin_for_export
from bot.i18n import t
from bot.operations.finding import NoGroup
from bot.operations.month_reports import GroupReport, report_of
from bot.views.render import esc, quoted
from plans.months import parse_month
from plans.summary import MonthReport, month_stats


async def report_for(
    update: Update, context: PlanbotContext, month_text: str, command: str, locale: str
) -> MonthReport | None:
    """The month's report for the chat (one read-only unit of work, over when this returns:
    nothing is held open across a send); None after telling the user why there is none."""
    month = None
    if month_text.strip():
        month = parse_month(month_text)
        if month is None:
            example = t(locale, f"cmd.{command}.example")
            line = t(locale, "report.bad_month", text=quoted(month_text), example=esc(example))
            await reply_html(update, line)
            return None
    sent = incoming(update)
    if sent is None:
        return None
    svc = context.services
    origin = origin_of(sent.chat)
    found = await report_of(svc.deps, origin, actor_of(context, sent.user, origin), month)
    if isinstance(found, GroupReport):
        return found.report
    # In the language of the chat asked in (in private: the sender's), as every answer here.
    if isinstance(found, NoGroup):
        await reply_html(update, t(locale, "report.no_chat"))
    else:
        await reply_html(update, missing_plan(locale, found.asked, found.have, svc.today()))
    return None


def _args(context: PlanbotContext) -> list[str]:
    return list(context.args or [])


async def summary_command(update: Update, context: PlanbotContext) -> None:
    """`/summary [month]`: the 工作综述 draft; a long one also comes as a Word document."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    locale = await chat_locale(context, chat.id)
    report = await report_for(update, context, " ".join(_args(context)), "summary", locale)
    if report is None:
        return
    svc = context.services
    today, org = svc.today(), svc.config.org.name
    draft = draft_summary(report, locale=locale, today=today, org=org)
    sent = await reply_html(update, summary_lines(draft, locale))
    if len(sent) > 1:
        # Several messages are hard to copy into a document; the same draft, ready to edit.
        file = await asyncio.to_thread(
            make_export, "docx", report, locale=locale, today=today, now=svc.now(), org=org
        )
        await message.reply_document(
            file.data,
            filename=file.filename,
            caption=t(locale, "summary.docx_caption"),
            parse_mode=None,
            do_quote=False,
        )


async def export_command(update: Update, context: PlanbotContext) -> None:
    """`/export [month] docx|xlsx|md|ics`, the words in any order."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    locale = await chat_locale(context, chat.id)
    words = _args(context)
    formats = [(index, fmt) for index, word in enumerate(words) if (fmt := parse_format(word))]
    if not formats:
        await reply_html(update, t(locale, "export.bad_format"))
        return
    index, fmt = formats[0]
    month_text = " ".join(words[:index] + words[index + 1 :])
    report = await report_for(update, context, month_text, "export", locale)
    if report is None:
        return
    svc = context.services
    # The Word file carries the month's 通报 as a section (issue 16 §5).
    bulletin = await bulletin_for_export(update, context, report) if fmt == "docx" else None
    file = await asyncio.to_thread(
        make_export,
        fmt,
        report,
        locale=locale,
        today=svc.today(),
        now=svc.now(),
        org=svc.config.org.name,
        bulletin=bulletin,
    )
    caption = t(locale, "export.caption", month=month_name(report, locale), format=fmt)
    await message.reply_document(
        file.data, filename=file.filename, caption=caption, parse_mode=None, do_quote=False
    )


async def stats_command(update: Update, context: PlanbotContext) -> None:
    """`/stats [month]`: the figures as text, then as a bar chart."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    locale = await chat_locale(context, chat.id)
    report = await report_for(update, context, " ".join(_args(context)), "stats", locale)
    if report is None:
        return
    stats = month_stats(report, context.services.today())
    month = month_name(report, locale)
    await reply_html(update, stats_lines(stats, locale, month))
    png = await asyncio.to_thread(stats_png, stats, locale=locale, month=month)
    await message.reply_photo(
        png, caption=t(locale, "stats.caption", month=month), parse_mode=None, do_quote=False
    )
