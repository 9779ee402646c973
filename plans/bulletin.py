"""The monthly 通报 (issue 16 §5): a month's items counted on time, late, open and overdue, per
department, and the bulletin's text in the office's style.

Pure: rows go in (each item once per lead department, or once on its own when it has none), a
Bulletin comes out; `compose_bulletin` turns it into a title and paragraphs with the words of
the caller's catalogue (BulletinPhrases), so every sentence is translated in one place.

How a row counts, against the item's deadline:
- done by the deadline (or without one) → on time; done after it → late;
- open with the deadline passed (before `today`) → overdue; otherwise open.
A department's figures are its lead parts' (a part done after the deadline is late even when
the other departments were on time); the month's figures are the items' — an item with lead
departments is done when all of them are, on the day the last one was; an item without one
counts under its own state. The figures are plans.summary's GroupStats (total, done, due,
on_time), so the on-time rate means what it means in /stats (done on time ÷ done or past the
deadline) and the /stats chart draws them as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from plans.summary import (
    GroupStats,
    Layout,
    MonthStats,
    day_label,
    done_on_time,
    month_label,
)


@dataclass(frozen=True, slots=True)
class BulletinRow:
    """One lead part of an item, or an item without lead departments (`department` None).

    `item_done`/`item_done_on` are the item's own (aggregate) state; `part_done`/`part_done_on`
    the lead department's part, unused when `department` is None. Days are office-local.
    """

    item_id: int
    seq: int
    deadline: date | None
    item_done: bool
    item_done_on: date | None = None
    department: str | None = None
    part_done: bool = False
    part_done_on: date | None = None


@dataclass(frozen=True, slots=True)
class Standing:
    """Where one item or part stands: done (on which day, if known) or not."""

    done: bool
    done_on: date | None
    deadline: date | None

    @property
    def on_time(self) -> bool:
        return done_on_time(self.done, self.done_on, self.deadline)

    def overdue(self, today: date) -> bool:
        return not self.done and self.deadline is not None and self.deadline < today


def part_standing(row: BulletinRow) -> Standing:
    """A lead part's standing. An item closed as a whole while a part stayed open (a plan of
    the release before the parts, or a /done that did not name a department) counts the part
    done on the item's day: whoever closed the item answered for every part."""
    if row.part_done:
        return Standing(True, row.part_done_on or row.item_done_on, row.deadline)
    if row.item_done:
        return Standing(True, row.item_done_on, row.deadline)
    return Standing(False, None, row.deadline)


def item_standing(rows: Sequence[BulletinRow]) -> Standing:
    """An item's standing from its rows: from its lead parts when it has some, else its own."""
    first = rows[0]
    parts = [part_standing(r) for r in rows if r.department is not None]
    if not parts:
        return Standing(first.item_done, first.item_done_on, first.deadline)
    if not all(p.done for p in parts):
        return Standing(False, None, first.deadline)
    days = [p.done_on for p in parts if p.done_on is not None]
    return Standing(True, max(days) if days else None, first.deadline)


def _add(group: GroupStats, standing: Standing, today: date) -> None:
    group.total += 1
    group.done += standing.done
    group.due += standing.done or standing.overdue(today)
    group.on_time += standing.on_time


def late(group: GroupStats) -> int:
    """Done, but after the deadline."""
    return group.done - group.on_time


def open_count(group: GroupStats) -> int:
    return group.total - group.done


def overdue(group: GroupStats) -> int:
    """Not done, and the deadline has passed."""
    return group.due - group.done


def rank_key(group: GroupStats) -> tuple[float, int, str]:
    """Best first: the higher on-time rate (none yet, below every rate), then more items, then
    the name."""
    rate = group.on_time_rate
    return (-(rate if rate is not None else -1.0), -group.total, group.name)


@dataclass(frozen=True, slots=True)
class Bulletin:
    year: int
    month: int
    # The day the figures are as of (the bulletin's day).
    as_of: date
    # The items of the month.
    overall: GroupStats
    # Each lead department's parts, best on-time rate first (rank_key).
    departments: tuple[GroupStats, ...] = ()

    @property
    def empty(self) -> bool:
        return self.overall.total == 0

    @property
    def overdue_departments(self) -> tuple[str, ...]:
        """The departments with a part open past its deadline, in ranking order."""
        return tuple(g.name for g in self.departments if overdue(g))

    def chart_stats(self) -> MonthStats:
        """The figures as /stats's chart takes them: the departments in ranking order."""
        return MonthStats(self.overall, self.departments)


def count_bulletin(rows: Iterable[BulletinRow], *, year: int, month: int, today: date) -> Bulletin:
    """The month's figures as of `today` from its rows (storage.bulletin.bulletin_rows)."""
    items: dict[int, list[BulletinRow]] = {}
    for row in rows:
        items.setdefault(row.item_id, []).append(row)
    overall = GroupStats(name="")
    departments: dict[str, GroupStats] = {}
    for item_rows in sorted(items.values(), key=lambda rs: rs[0].seq):
        _add(overall, item_standing(item_rows), today)
        for row in item_rows:
            if row.department is None:
                continue
            group = departments.setdefault(row.department, GroupStats(row.department))
            _add(group, part_standing(row), today)
    ranked = tuple(sorted(departments.values(), key=rank_key))
    return Bulletin(year, month, today, overall, ranked)


# -- the text -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BulletinPhrases:
    """The words of a bulletin in one language; placeholders as in each field's comment."""

    layout: Layout
    # {month}
    title: str
    # {month}{total}
    planned: str
    # {date}{on_time}{late}{open}{overdue}
    standing: str
    # Said instead of `standing` when the month has no items.
    no_items: str
    # The departments' paragraph heading.
    by_department: str
    # {rank}{name}{total}{on_time}{late}{open}{overdue}{rate}
    department: str
    # Said when no item names a lead department.
    no_departments: str
    # {names}
    overdue_departments: str
    no_overdue: str
    closing: str
    # The rate while nothing is due yet.
    no_rate: str
    list_sep: str


@dataclass(frozen=True, slots=True)
class BulletinText:
    title: str
    # (kind, text) in reading order; kind is "paragraph", "heading" or "entry".
    blocks: tuple[tuple[str, str], ...]

    def text(self) -> str:
        return "\n".join([self.title, *(text for _, text in self.blocks)])


def _rate(group: GroupStats, phrases: BulletinPhrases) -> str:
    rate = group.on_time_rate
    return phrases.no_rate if rate is None else f"{rate * 100:.0f}%"


def compose_bulletin(bulletin: Bulletin, phrases: BulletinPhrases) -> BulletinText:
    """The 通报: title, the month's figures, the departments ranked, who is overdue, a close."""
    month = month_label(bulletin.year, bulletin.month, phrases.layout)
    title = phrases.title.format(month=month)
    overall = bulletin.overall
    if bulletin.empty:
        return BulletinText(title, (("paragraph", phrases.no_items.format(month=month)),))
    blocks: list[tuple[str, str]] = [
        (
            "paragraph",
            phrases.planned.format(month=month, total=overall.total)
            + phrases.standing.format(
                date=day_label(bulletin.as_of, phrases.layout),
                on_time=overall.on_time,
                late=late(overall),
                open=open_count(overall),
                overdue=overdue(overall),
            ),
        )
    ]
    if bulletin.departments:
        blocks.append(("heading", phrases.by_department))
        blocks += [
            (
                "entry",
                phrases.department.format(
                    rank=rank,
                    name=group.name,
                    total=group.total,
                    on_time=group.on_time,
                    late=late(group),
                    open=open_count(group),
                    overdue=overdue(group),
                    rate=_rate(group, phrases),
                ),
            )
            for rank, group in enumerate(bulletin.departments, start=1)
        ]
    else:
        blocks.append(("paragraph", phrases.no_departments))
    names = bulletin.overdue_departments
    if names:
        blocks.append(
            ("paragraph", phrases.overdue_departments.format(names=phrases.list_sep.join(names)))
        )
    else:
        blocks.append(("paragraph", phrases.no_overdue))
    blocks.append(("paragraph", phrases.closing))
    return BulletinText(title, tuple(blocks))
