"""The supervision marker (督办标识) shown next to an item in /plan and in digests."""

from __future__ import annotations

from datetime import date
from typing import Literal

Marker = Literal["done", "overdue", "behind", "near", "ok"]

MARKERS: dict[Marker, str] = {"done": "✅", "overdue": "🔴", "behind": "🟡", "near": "🔵", "ok": ""}

# Within this many days of the deadline an item with little progress or no report is "behind".
BEHIND_DAYS = 3
BEHIND_PROGRESS = 50


def item_marker(
    *,
    deadline: date | None,
    today: date,
    done: bool,
    progress: int,
    has_report: bool,
    near_days: int = 7,
) -> Marker:
    """Which marker an item gets on `today`; the first that applies wins, in this order:

    done; overdue (deadline passed); behind (due within 3 days, under 50% or no report yet);
    near (due within `near_days`); ok. Days are calendar days: a deadline is a promise to the
    office, not to the working week. An item without a deadline is only ever done or ok.
    """
    if done:
        return "done"
    if deadline is None:
        return "ok"
    days_left = (deadline - today).days
    if days_left < 0:
        return "overdue"
    if days_left <= BEHIND_DAYS and (progress < BEHIND_PROGRESS or not has_report):
        return "behind"
    if days_left <= near_days:
        return "near"
    return "ok"
