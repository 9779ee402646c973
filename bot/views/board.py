"""What the web board shows of a plan (issue 17): rows for the template, grouped and filtered.

Pure functions over what bot/operations/board.py read. The pieces the chat shows are the
chat's own renderers (bot/views/item.py, bot/views/parts.py), whose output is escaped HTML
with the catalogue's trusted markup: the template takes those as Markup and escapes the rest
(titles, names, notes) itself. One meaning per state: the /plan markers, plus 🟣 for an item a
lead department's done claim of which awaits review.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from markupsafe import Markup

from bot.i18n import t
from bot.views.item import Display, deadline_label, history_line, progress_label
from bot.views.parts import departments_label
from bot.views.periods import period_key, period_label
from bot.views.plan import counts_label, plan_label
from jobs.status import MARKERS, Marker, item_marker
from storage.item_queries import Listing
from storage.models import Item, ItemEvent, ItemStatus, PartStatus
from storage.parts import Part, parts_of, review_times
from storage.plans import PeriodKey
from storage.rows import row_id

# The colour of a state: a CSS class (bot/web/static/board.css) per /plan marker.
REVIEW = "review"
REVIEW_MARK = "🟣"


class Grouping(StrEnum):
    DEPARTMENT = "department"
    LEADER = "leader"


class Show(StrEnum):
    ALL = "all"
    OVERDUE = "overdue"
    OPEN = "open"
    DONE = "done"


def read_grouping(text: str) -> Grouping:
    """?group=; anything else (hostile too) is the default, by department."""
    return Grouping(text) if text in Grouping._value2member_map_ else Grouping.DEPARTMENT


def read_show(text: str) -> Show:
    return Show(text) if text in Show._value2member_map_ else Show.ALL


@dataclass(frozen=True, slots=True)
class Row:
    id: int
    seq: int
    title: str
    # done, overdue, behind, near, ok, review.
    state: str
    mark: str
    leaders: list[str]
    # The lead departments, what the row is grouped under by department.
    departments: list[str]
    departments_html: Markup
    deadline_html: Markup
    # "还剩 3 天", "逾期 2 天", "" without a deadline or once done.
    days: str
    progress: int
    progress_html: Markup
    note: str
    done: bool
    overdue: bool


@dataclass(frozen=True, slots=True)
class Section:
    heading: str
    rows: list[Row]


@dataclass(frozen=True, slots=True)
class PeriodLink:
    key: str
    label: str
    current: bool


@dataclass(frozen=True, slots=True)
class Board:
    heading: str
    counts: str
    sections: list[Section]
    # The quarter's and year's plans running now: (heading, rows), under the month's.
    running: list[Section] = field(default_factory=list)
    shown: int = 0


def _state(
    item: Item, parts: Sequence[Part], display: Display, has_report: bool
) -> tuple[str, str]:
    marker: Marker = item_marker(
        deadline=item.deadline,
        today=display.today,
        done=item.status == ItemStatus.DONE.value,
        progress=item.progress,
        has_report=has_report,
    )
    waiting = any(p.required and p.status == PartStatus.REVIEW.value for p in parts)
    if marker != "done" and waiting:
        return REVIEW, REVIEW_MARK
    return marker, MARKERS[marker]


def days_label(item: Item, display: Display) -> str:
    if item.deadline is None or item.status == ItemStatus.DONE.value:
        return ""
    left = (item.deadline - display.today).days
    if left < 0:
        return t(display.locale, "board.overdue_days", n=-left)
    if left == 0:
        return t(display.locale, "board.due_today")
    return t(display.locale, "board.days_left", n=left)


def row_of(item: Item, display: Display, has_report: bool, note: str) -> Row:
    parts = parts_of(item)
    state, mark = _state(item, parts, display, has_report)
    done = item.status == ItemStatus.DONE.value
    return Row(
        id=row_id(item),
        seq=item.seq,
        title=item.title,
        state=state,
        mark=mark,
        leaders=[p.name for p in item.leaders],
        departments=[p.name for p in parts if p.required],
        departments_html=Markup(departments_label(parts, display.locale, states=not done)),
        deadline_html=Markup(deadline_label(item, display.locale)),
        days=days_label(item, display),
        progress=100 if done else item.progress,
        progress_html=Markup(progress_label(item, display)),
        note=note,
        done=done,
        overdue=state == "overdue",
    )


def keeps(row: Row, show: Show) -> bool:
    if show is Show.OVERDUE:
        return row.overdue
    if show is Show.OPEN:
        return not row.done
    if show is Show.DONE:
        return row.done
    return True


def sections_of(rows: Sequence[Row], grouping: Grouping, locale: str) -> list[Section]:
    """Rows under each department (or leader) they name, in the order first named; an item of
    several appears under each; those naming none last, under (无)."""
    groups: dict[str, list[Row]] = {}
    nobody: list[Row] = []
    for row in rows:
        names = row.departments if grouping is Grouping.DEPARTMENT else row.leaders
        for name in dict.fromkeys(names):
            groups.setdefault(name, []).append(row)
        if not names:
            nobody.append(row)
    sections = [Section(name, kept) for name, kept in groups.items()]
    if nobody:
        sections.append(Section(t(locale, "none"), nobody))
    return sections


def period_links(listing: Listing, periods: Sequence[PeriodKey], locale: str) -> list[PeriodLink]:
    """The month switcher: every period of the group's plans, the one shown (or asked for and
    missing) marked."""
    plan = listing.plan
    shown = PeriodKey(plan.year, plan.month, plan.quarter) if plan else listing.asked
    return [
        PeriodLink(
            period_key(p.year, p.month, p.quarter),
            period_label(p.year, p.month, p.quarter, locale),
            p == shown,
        )
        for p in periods
    ]


def board_of(
    listing: Listing,
    running: Sequence[Listing],
    notes: dict[int, str],
    display: Display,
    *,
    grouping: Grouping,
    show: Show,
) -> Board | None:
    """The board of a listing; None when the listing has no plan (the page says why)."""
    plan = listing.plan
    if plan is None:
        return None
    locale = display.locale

    def rows(of: Listing) -> list[Row]:
        made = (row_of(i, display, i.id in of.reported, notes.get(row_id(i), "")) for i in of.items)
        return [r for r in made if keeps(r, show)]

    kept = rows(listing)
    title = plan.title.strip() or t(locale, "plan.default_title")
    running_sections = []
    for other in running:
        if other.plan is not None and (other_rows := rows(other)):
            heading = f"{other.plan.title.strip()}（{plan_label(other.plan, locale)}）"
            running_sections.append(Section(heading, other_rows))
    return Board(
        heading=f"{title} · {plan_label(plan, locale)}",
        counts=counts_label(listing.items, display, listing.reported),
        sections=sections_of(kept, grouping, locale),
        running=running_sections,
        shown=len(kept),
    )


def history_html(history: Sequence[ItemEvent], item: Item, display: Display) -> list[Markup]:
    """An item's history as /item shows it (escaped HTML), newest last."""
    departments = {p.department_id: p.name for p in parts_of(item)}
    times = review_times(history)
    return [
        Markup(history_line(event, display, departments, times.get(event.id or 0)))
        for event in history
    ]
