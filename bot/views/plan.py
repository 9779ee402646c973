"""What /plan and /mine show: a month's items with the office's supervision markers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from bot.i18n import t
from bot.render import esc
from bot.views.item import Display, item_lines, marker, month_label
from jobs.status import MARKERS
from storage.item_queries import FilterKind, ItemFilter, Listing
from storage.models import Item


def filter_label(item_filter: ItemFilter, locale: str) -> str:
    if item_filter.kind is FilterKind.NAME:
        return esc(item_filter.name)
    return t(locale, f"plan.filter.{item_filter.kind.value}")


def months_label(months: Sequence[tuple[int, int]], locale: str) -> str:
    return t(locale, "list.sep").join(month_label(y, m, locale) for y, m in months)


def _counts(items: Sequence[Item], display: Display, reported: set[int]) -> str:
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
    assert plan is not None
    locale = display.locale
    month = month_label(plan.year, plan.month, locale)
    title = esc(plan.title) if plan.title.strip() else t(locale, "plan.default_title")
    lines = [t(locale, "plan.header", title=title, month=month, n=listing.total)]
    if listing.item_filter is not None:
        label = filter_label(listing.item_filter, locale)
        if not listing.items:
            return [*lines, t(locale, "plan.no_match", month=month, filter=label)]
        lines.append(t(locale, "plan.filtered", filter=label, n=len(listing.items)))
    lines.append(_counts(listing.items, display, listing.reported))
    for item in listing.items:
        lines += item_lines(item, display, item.id in listing.reported)
    lines.append(t(locale, "plan.legend"))
    return lines


def mine_lines(items: Sequence[Item], reported: set[int], display: Display) -> list[str]:
    """The sender's open items, nearest deadline first; numbered 2020-10#3 when the months
    differ, so the label can be pasted into /done."""
    several_plans = len({item.plan_id for item in items}) > 1
    lines = [t(display.locale, "mine.header", n=len(items))]
    for item in items:
        label = f"{item.plan.year}-{item.plan.month:02d}#{item.seq}" if several_plans else ""
        lines += item_lines(item, display, item.id in reported, label=label)
    return lines
