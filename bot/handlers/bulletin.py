"""/bulletin [month]: the month's 通报 as text, then the departments' chart.

The month is read as /plan reads a period (十月, 2020-10, october, 本月, 上个月; plans/months.py
read_period); a quarter or a year is refused, a bulletin is about a month. None: this month's
plan, else the latest month's. Anyone in the group may ask; in private, about the group the
sender is bound in. The chart is /stats's renderer with the departments in ranking order.
"""

from __future__ import annotations

import asyncio

from telegram import Update

from bot.chat.acting import actor_of, origin_of
from bot.chat.item_access import command_args, failure_line, incoming
from bot.chat.replies import chat_locale, reply_html
from bot.context import PlanbotContext
from bot.exports.chart import bulletin_png
from bot.exports.common import missing_plan
from bot.i18n import t
from bot.operations.bulletin import MonthBulletin, month_bulletin
from bot.operations.finding import NoGroup
from bot.operations.month_reports import NoMonthPlan
from bot.views.bulletin import bulletin_caption, bulletin_lines
from bot.views.render import esc, quoted
from plans.bulletin import Bulletin
from plans.months import read_period
from plans.summary import MonthReport


async def bulletin_command(update: Update, context: PlanbotContext) -> None:
    sent = incoming(update)
    if sent is None:
        return
    svc = context.services
    origin = origin_of(sent.chat)
    text = command_args(sent.message.text)
    month: tuple[int | None, int] | None = None
    if text.strip():
        period = read_period(text, svc.today())
        if period is None or period.month is None:
            locale = await chat_locale(context, sent.chat.id)
            key = "report.bad_month" if period is None else "bulletin.bad_period"
            example = esc(t(locale, "cmd.bulletin.example"))
            await reply_html(update, t(locale, key, text=quoted(text), example=example))
            return
        month = (period.year, period.month)
    found = await month_bulletin(svc.deps, origin, actor_of(context, sent.user, origin), month)
    if isinstance(found, NoGroup):
        await reply_html(update, failure_line(found, "bulletin"))
        return
    if isinstance(found, NoMonthPlan):
        await reply_html(update, missing_plan(found.locale, found.asked, found.have, svc.today()))
        return
    await _show(update, found)


async def _show(update: Update, found: MonthBulletin) -> None:
    locale, bulletin = found.locale, found.bulletin
    await reply_html(update, bulletin_lines(bulletin, locale))
    message = update.effective_message
    if bulletin.empty or message is None:
        return
    png = await asyncio.to_thread(bulletin_png, bulletin, locale=locale)
    caption = bulletin_caption(bulletin, locale)
    await message.reply_photo(png, caption=caption, parse_mode=None, do_quote=False)


async def bulletin_for_export(
    update: Update, context: PlanbotContext, report: MonthReport
) -> Bulletin | None:
    """The bulletin of the month `report` is about, for the Word export's section of it; None
    for a quarter's or a year's plan, or when it cannot be read for the asker."""
    sent = incoming(update)
    if sent is None or not report.month:
        return None
    origin = origin_of(sent.chat)
    actor = actor_of(context, sent.user, origin)
    month = (report.year, report.month)
    found = await month_bulletin(context.services.deps, origin, actor, month)
    return found.bulletin if isinstance(found, MonthBulletin) else None
