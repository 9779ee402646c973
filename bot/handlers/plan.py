"""/plan [month] [filter]: a month's items with the office's supervision markers.

The answer is recorded as a message about those items, so `/done` sent as a reply to it
works like a reply to a reminder.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.i18n import t
from bot.item_access import command_in_scope
from bot.render import esc
from bot.replies import reply_html
from bot.services import services
from bot.views.item import Display, month_label
from bot.views.plan import listing_lines, months_label
from plans.months import parse_month
from storage.item_queries import ListingProblem, plan_listing
from storage.messages import record_message


def split_arguments(text: str) -> tuple[tuple[int | None, int] | None, str]:
    """(month, filter): the month may come first or last ("十月 组织部", "组织部 oct")."""
    words = text.split()
    if words and (month := parse_month(words[0])) is not None:
        return month, " ".join(words[1:])
    if len(words) > 1 and (month := parse_month(words[-1])) is not None:
        return month, " ".join(words[:-1])
    return None, " ".join(words)


async def plan_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    command = await command_in_scope(update, context)
    if command is None:
        return
    scope, args, locale = command.scope, command.args, command.locale
    svc = services(context)
    month, filter_text = split_arguments(args)
    async with svc.db.session() as session:
        listing = await plan_listing(session, scope.chat.id, month, filter_text, svc.today())
    if listing.problem is ListingProblem.BAD_FILTER:
        await reply_html(update, t(locale, "plan.bad_args", text=esc(filter_text)))
        return
    if listing.problem is ListingProblem.NO_PLAN and listing.asked is not None:
        line = t(
            locale,
            "items.no_plan_month",
            month=month_label(*listing.asked, locale),
            months=months_label(listing.months, locale),
        )
        await reply_html(update, line)
        return
    if listing.problem is not None:
        await reply_html(update, t(locale, "items.no_plans"))
        return
    display = Display(locale, svc.today(), svc.config.schedule.tz)
    sent = await reply_html(update, listing_lines(listing, display))
    item_ids = [item.id for item in listing.items if item.id is not None]
    if not item_ids:
        return
    async with svc.db.session() as session:
        for part in sent:
            await record_message(session, part.chat_id, part.message_id, item_ids, kind="plan")
