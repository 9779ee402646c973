"""/plan [period] [filter]: a plan's items with the office's supervision markers.

The period is a month (十月, 2020-10), a quarter (2024年第一季度, 2024Q1) or a year (2023), or
one named from today (本月, 上个月, 下月, 本季度, 去年; plans/months.py read_period). Without
one: the current plan, followed by the open items of this quarter's and this year's plans.

The answer is recorded as a message about those items, so `/done` sent as a reply to it
works like a reply to a reminder.
"""

from __future__ import annotations

from datetime import date

from telegram import Update

from bot.chat.acting import actor_of, origin_of
from bot.chat.item_access import command_args, failure_line, incoming
from bot.chat.replies import record_sent, reply_html
from bot.context import PlanbotContext
from bot.i18n import t
from bot.operations.finding import NoGroup
from bot.operations.listings import plan_view
from bot.views.item import Display
from bot.views.periods import period_label
from bot.views.plan import listing_lines, months_label, running_lines
from bot.views.render import quoted
from plans.months import Period, read_period
from storage.item_queries import ListingProblem


def split_arguments(text: str, today: date) -> tuple[Period | None, str]:
    """(period, filter): the period may come first or last ("十月 组织部", "组织部 oct"), and may
    be named from `today` ("上个月", "本月 组织部", "last month")."""
    words = text.split()
    # One word, or two ("last month"), at either end.
    for size in (1, 2):
        if len(words) >= size and (period := read_period(" ".join(words[:size]), today)):
            return period, " ".join(words[size:])
        if len(words) > size and (period := read_period(" ".join(words[-size:]), today)):
            return period, " ".join(words[:-size])
    return None, " ".join(words)


async def plan_command(update: Update, context: PlanbotContext) -> None:
    sent = incoming(update)
    if sent is None:
        return
    origin = origin_of(sent.chat)
    svc = context.services
    period, filter_text = split_arguments(command_args(sent.message.text), svc.today())
    view = await plan_view(
        svc.deps, origin, actor_of(context, sent.user, origin), period, filter_text
    )
    if isinstance(view, NoGroup):
        await reply_html(update, failure_line(view, "plan"))
        return
    locale, listing = view.locale, view.listing
    if listing.problem is ListingProblem.BAD_FILTER:
        await reply_html(update, t(locale, "plan.bad_args", text=quoted(filter_text)))
        return
    asked = listing.asked
    if listing.problem is ListingProblem.NO_PLAN and asked is not None:
        line = t(
            locale,
            "items.no_plan_month",
            month=period_label(asked.year, asked.month, asked.quarter, locale),
            months=months_label(listing.months, locale),
        )
        await reply_html(update, line)
        return
    if listing.problem is not None:
        await reply_html(update, t(locale, "items.no_plans"))
        return
    display = Display(locale, svc.today(), svc.config.schedule.tz)
    running = view.running
    answer = await reply_html(
        update, listing_lines(listing, display) + running_lines(running, display)
    )
    shown = [item for part in (listing, *running) for item in part.items]
    await record_sent(context, answer, [item.id for item in shown if item.id is not None])
