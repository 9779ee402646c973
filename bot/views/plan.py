"""What /plan and /mine show: a plan's items with the office's supervision markers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from bot.i18n import t
from bot.views.item import Display, item_lines, marker
from bot.views.periods import period_label, ref_label
from bot.views.render import esc
from jobs.status import MARKERS
from storage.item_queries import FilterKind, ItemFilter, Listing
from storage.models import Item, Plan
from storage.plans import PeriodKey


def plan_label(plan: Plan, locale: str) -> str:
    return period_label(plan.year, plan.month, plan.quarter, locale)


def filter_label(item_filter: ItemFilter, locale: str) -> str:
    if item_filter.kind is FilterKind.NAME:
        return esc(item_filter.name)
    return t(locale, f"plan.filter.{item_filter.kind.value}")


def months_label(periods: Sequence[PeriodKey], locale: str) -> str:
    return t(locale, "list.sep").join(
        period_label(p.year, p.month, p.quarter, locale) for p in periods
    )


def counts_label(items: Sequence[Item], display: Display, reported: set[int]) -> str:
    signs = Counter(marker(item, display, item.id in reported) for item in items)
    return t(
        display.locale,
        "plan.counts",
        done=signs[MARKERS["done"]],
        overdue=signs[MARKERS["overdue"]],
        behind=signs[MARKERS["behind"]],
        near=signs[MARKERS["near"]],
    )


def listing_lines(listing: Listing, display: Display) -> list[str]:
    """The month's plan (or the part the filter keeps), compact: two lines per item."""
    plan = listing.plan
    if plan is None:  # a listing of nothing: /plan says what the problem is instead
        return []
    locale = display.locale
    month = plan_label(plan, locale)
    title = esc(plan.title) if plan.title.strip() else t(locale, "plan.default_title")
    lines = [t(locale, "plan.header", title=title, month=month, n=listing.total)]
    if plan.archived:
        lines.append(t(locale, "plan.archived"))
    if listing.item_filter is not None:
        label = filter_label(listing.item_filter, locale)
        if not listing.items:
            return [*lines, t(locale, "plan.no_match", month=month, filter=label)]
        lines.append(t(locale, "plan.filtered", filter=label, n=len(listing.items)))
    lines.append(counts_label(listing.items, display, listing.reported))
    for item in listing.items:
        partner = item.id in listing.partnered
        lines += item_lines(item, display, item.id in listing.reported, partner=partner)
    lines.append(t(locale, "plan.legend"))
    return lines


def running_lines(listings: Sequence[Listing], display: Display) -> list[str]:
    """The quarter's and the year's plans that run now, under the month's: their open items."""
    lines: list[str] = []
    for listing in listings:
        if listing.plan is None:  # running listings always have their plan
            continue
        lines.append("")
        lines.append(
            t(
                display.locale,
                "plan.running",
                title=esc(listing.plan.title),
                period=plan_label(listing.plan, display.locale),
                n=len(listing.items),
            )
        )
        for item in listing.items:
            lines += item_lines(item, display, item.id in listing.reported)
    return lines


def item_label(item: Item) -> str:
    """How /done names an item of another plan: 2020-10#3, 2024Q1#3, 2023#3."""
    return ref_label(item.plan.year, item.plan.month, item.plan.quarter, item.seq)


def mine_lines(
    items: Sequence[Item],
    reported: set[int],
    display: Display,
    partnered: Sequence[Item] = (),
) -> list[str]:
    """The sender's open items, nearest deadline first; numbered 2020-10#3 when the months
    differ, so the label can be pasted into /done. Then, apart, the items its departments are
    only partners (配合) of."""
    several_plans = len({item.plan_id for item in [*items, *partnered]}) > 1
    lines = [t(display.locale, "mine.header", n=len(items))]
    for item in items:
        label = item_label(item) if several_plans else ""
        lines += item_lines(item, display, item.id in reported, label=label)
    if partnered:
        lines += ["", t(display.locale, "parts.mine_partners", n=len(partnered))]
        for item in partnered:
            label = item_label(item) if several_plans else ""
            lines += item_lines(item, display, item.id in reported, label=label)
    return lines
