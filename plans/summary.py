"""The month's work summary (工作综述), drafted only from what people reported, and its figures.

Pure: a MonthReport (a plan, its items, their history) goes in; a SummaryDraft (title, numbered
sections, the unfinished items) or MonthStats comes out. The layout lives here (Chinese numerals
and "9月8日" for Chinese, "1." and "8 September" for English); the words come from the caller's
catalogue as SummaryPhrases, so every sentence a reader sees is translated in one place.

Nothing is invented: a section is written only for an item somebody reported on (a done, progress
or note entry, or the item marked done), and its paragraph is those reports in time order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from plans.numerals import int_to_cn

# History entries that say what was done; acknowledgements, snoozes, imports and edits do not.
REPORT_KINDS = frozenset({"done", "progress", "note"})
# An "undo" entry names the entry it took back in its data under this key.
UNDO_TARGET_KEY = "undoes"

ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# A sentence already closed by its author keeps its own punctuation.
_CLOSING = "。！？!?.…"
_TRAILING = "。．.，,；;：: \u3000"
_OPENS_WITH_DATE = re.compile(r"(\d{4}年)?\d{1,2}月\d{1,2}[日号]|\d{1,2}日")


class Layout(StrEnum):
    ZH = "zh"
    EN = "en"


def layout_for(locale: str) -> Layout:
    return Layout.EN if locale.lower().startswith("en") else Layout.ZH


def numeral(n: int, layout: Layout) -> str:
    """A section number as the document writes it: 一, 十一 (Chinese up to 99), else 12."""
    return int_to_cn(n) if layout is Layout.ZH and 0 < n < 100 else str(n)


def day_label(day: date, layout: Layout) -> str:
    """9月8日 / 8 September."""
    if layout is Layout.ZH:
        return f"{day.month}月{day.day}日"
    return f"{day.day} {ENGLISH_MONTHS[day.month - 1]}"


def month_label(year: int, month: int, layout: Layout) -> str:
    """2020年10月 / October 2020."""
    if layout is Layout.ZH:
        return f"{year}年{month}月"
    return f"{ENGLISH_MONTHS[month - 1]} {year}"


def title_month(year: int, month: int, layout: Layout) -> str:
    """How a summary's title names its month: 十月份 (as the sample does) / October 2020."""
    if layout is Layout.ZH:
        return f"{int_to_cn(month)}月份"
    return month_label(year, month, layout)


def done_on_time(done: bool, done_on: date | None, deadline: date | None) -> bool:
    """Done by the deadline; done without a deadline, or on a day not on record, counts as on
    time (the /stats figures and the monthly bulletin alike)."""
    if not done:
        return False
    if deadline is None or done_on is None:
        return True
    return done_on <= deadline


# -- the data -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReportFile:
    """A file sent with an update (佐证材料): "photo" or "document", and its name ("" for a
    photo, which has none)."""

    kind: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class ReportUpdate:
    """One history entry of an item; `at` is in the office's time zone."""

    id: int
    kind: str
    text: str
    percent: int | None
    at: datetime
    author: str = ""
    data: Mapping[str, Any] | None = None
    # The files sent with it, oldest first.
    files: tuple[ReportFile, ...] = ()
    # An approval's (销号) time in review: since its department's claim.
    review_time: timedelta | None = None

    @property
    def day(self) -> date:
        return self.at.date()


@dataclass(frozen=True, slots=True)
class ReportPart:
    """One department's link to an item (issue 16 §1): a lead department's own part, with its
    state, or a partner (配合, `required` False), informed and never counted."""

    name: str
    required: bool = True
    # "open", "done" or "review" (a done claim awaiting a supervisor: not done yet).
    status: str = "open"
    progress: int = 0
    # The office-local day the part was done.
    done_on: date | None = None

    @property
    def done(self) -> bool:
        return self.status == "done"


@dataclass(frozen=True, slots=True)
class ReportItem:
    id: int
    seq: int
    title: str
    leaders: tuple[str, ...] = ()
    # The responsible (lead) departments; the partners are in `partners`.
    departments: tuple[str, ...] = ()
    deadline: date | None = None
    deadline_text: str = ""
    recurring: bool = False
    done: bool = False
    progress: int = 0
    # The office-local day it was marked done.
    done_on: date | None = None
    # Every history entry, oldest first.
    updates: tuple[ReportUpdate, ...] = ()
    # Every department link in document order, leads and partners (empty: `departments` all
    # lead, sharing the item's state).
    parts: tuple[ReportPart, ...] = ()
    partners: tuple[str, ...] = ()

    def lead_parts(self) -> list[ReportPart]:
        """Each lead department's part. A done item's parts are all done (closing the item
        closes them), on the item's day where a part has none of its own."""
        if not self.parts:
            state = "done" if self.done else "open"
            return [
                ReportPart(n, True, state, self.progress, self.done_on) for n in self.departments
            ]
        leads = [p for p in self.parts if p.required]
        if self.done:
            return [
                p if p.done else replace(p, status="done", progress=100, done_on=self.done_on)
                for p in leads
            ]
        return leads

    def as_part(self, part: ReportPart) -> ReportItem:
        """The item as one lead department's part of it stands: done, done day and progress
        its own (the deadline and the reports the item's)."""
        return replace(self, done=part.done, done_on=part.done_on, progress=part.progress)

    def reports(self) -> list[ReportUpdate]:
        """What people reported (done, progress, notes), oldest first, minus what was undone."""
        undone = {
            target
            for u in self.updates
            if u.kind == "undo"
            and u.data
            and isinstance(target := u.data.get(UNDO_TARGET_KEY), int)
        }
        return [u for u in self.updates if u.kind in REPORT_KINDS and u.id not in undone]

    def last_report(self) -> ReportUpdate | None:
        """The newest report that says something (a bare "done" on an open item says nothing)."""
        for update in reversed(self.reports()):
            if update.text.strip() or (update.kind == "progress" and update.percent is not None):
                return update
        return None

    def days_overdue(self, today: date) -> int | None:
        """Calendar days past the deadline for an open item; None when not overdue."""
        if self.done or self.deadline is None or self.deadline >= today:
            return None
        return (today - self.deadline).days

    @property
    def on_time(self) -> bool:
        return done_on_time(self.done, self.done_on, self.deadline)

    def is_due(self, today: date) -> bool:
        """Counted for the on-time rate: done, or its deadline has passed."""
        return self.done or (self.deadline is not None and self.deadline < today)


@dataclass(frozen=True, slots=True)
class MonthReport:
    """A month's plan with everything the summary and the exports need."""

    # Telegram's id of the group, so calendar UIDs stay the same across exports.
    tg_chat_id: int
    year: int
    month: int
    title: str
    items: tuple[ReportItem, ...] = ()


# -- the summary ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SummaryPhrases:
    """The words of a summary in one language; placeholders as in each field's comment."""

    layout: Layout
    # {org}{month}: "{org}{month}工作综述"
    title: str
    # {org}: how the organisation's name precedes the title ("{org}" / "{org}: ")
    org: str
    # {number}{title}
    section: str
    # {date}{text}: one day's reports opening with the date
    dated: str
    # {text}{percent}: a report with a percentage
    with_percent: str
    # {percent}: a percentage without words
    percent_only: str
    # A bare "done" on an item that is done.
    completed: str
    full_stop: str
    # The closing part's heading.
    unfinished: str
    # {number}{title}{details}
    unfinished_item: str
    # Between the details of an unfinished item.
    detail_sep: str
    # {names}
    leaders: str
    # {names}
    departments: str
    # {deadline}
    deadline: str
    # {deadline}{days}
    overdue: str
    # {date}{text}
    last_report: str
    no_report: str
    list_sep: str
    nobody: str
    # Said when no item has a report yet.
    nothing_reported: str
    # Said when every item is done.
    all_done: str


@dataclass(frozen=True, slots=True)
class SummarySection:
    heading: str
    paragraph: str
    item_seq: int


@dataclass(frozen=True, slots=True)
class SummaryDraft:
    title: str
    sections: tuple[SummarySection, ...]
    # Said instead of sections when nobody reported anything.
    note: str
    unfinished_heading: str
    unfinished: tuple[str, ...]
    # Said under the heading when every item is done.
    unfinished_note: str = ""

    def blocks(self) -> list[tuple[str, str]]:
        """(kind, text) in reading order; kind is title, heading, paragraph or entry."""
        out: list[tuple[str, str]] = [("title", self.title)]
        for section in self.sections:
            out += [("heading", section.heading), ("paragraph", section.paragraph)]
        if self.note:
            out.append(("paragraph", self.note))
        out.append(("heading", self.unfinished_heading))
        out += [("entry", line) for line in self.unfinished]
        if self.unfinished_note:
            out.append(("paragraph", self.unfinished_note))
        return out

    def text(self) -> str:
        return "\n\n".join(text for _, text in self.blocks())


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


def _close(text: str, phrases: SummaryPhrases) -> str:
    if text.endswith(tuple(_CLOSING)):
        return text
    # Chinese words end with 。 even in an English layout.
    return text + ("。" if _is_cjk(text[-1]) else phrases.full_stop)


def _said(update: ReportUpdate, item_done: bool, phrases: SummaryPhrases) -> str | None:
    """What one report says, as a clause without closing punctuation; None if nothing."""
    text = " ".join(update.text.split()).rstrip(_TRAILING)
    if update.kind == "progress" and update.percent is not None:
        if text:
            return phrases.with_percent.format(text=text, percent=update.percent)
        return phrases.percent_only.format(percent=update.percent)
    if text:
        return text
    if update.kind == "done" and item_done:
        return phrases.completed
    return None


def _paragraph(item: ReportItem, phrases: SummaryPhrases) -> str:
    """The item's reports in time order, each day opening with its date."""
    sentences: list[str] = []
    last_day: date | None = None
    reports = item.reports()
    # A "done" without words only matters as the last word on a finished item.
    final_done = next((u for u in reversed(reports) if u.kind == "done"), None)
    for update in reports:
        said = _said(update, item.done and update is final_done, phrases)
        if said is None:
            continue
        if update.day != last_day:
            last_day = update.day
            # "10月17日在…举办" names its own (more precise) day already.
            if not _OPENS_WITH_DATE.match(said):
                said = phrases.dated.format(date=day_label(update.day, phrases.layout), text=said)
        sentences.append(_close(said, phrases))
    if item.done and final_done is None and item.done_on is not None:
        # Marked done without a history entry (e.g. by an older import): the day is on record.
        sentences.append(
            _close(
                phrases.dated.format(
                    date=day_label(item.done_on, phrases.layout), text=phrases.completed
                ),
                phrases,
            )
        )
    # Chinese runs sentences together; English puts a space after the full stop.
    return (" " if phrases.layout is Layout.EN else "").join(sentences)


def _names(names: Iterable[str], phrases: SummaryPhrases) -> str:
    joined = phrases.list_sep.join(names)
    return joined or phrases.nobody


def _deadline_words(item: ReportItem, today: date, phrases: SummaryPhrases) -> str:
    if item.deadline_text:
        shown = item.deadline_text
    elif item.deadline is not None:
        shown = day_label(item.deadline, phrases.layout)
    else:
        shown = phrases.nobody
    days = item.days_overdue(today)
    if days is not None:
        return phrases.overdue.format(deadline=shown, days=days)
    return phrases.deadline.format(deadline=shown)


def _unfinished_line(item: ReportItem, today: date, phrases: SummaryPhrases) -> str:
    details = [
        phrases.leaders.format(names=_names(item.leaders, phrases)),
        phrases.departments.format(names=_names(item.departments, phrases)),
        _deadline_words(item, today, phrases),
    ]
    last = item.last_report()
    if last is None:
        details.append(phrases.no_report)
    else:
        said = _said(last, False, phrases) or ""
        details.append(
            phrases.last_report.format(date=day_label(last.day, phrases.layout), text=said)
        )
    return phrases.unfinished_item.format(
        number=numeral(item.seq, phrases.layout),
        title=item.title.rstrip(_TRAILING),
        details=phrases.detail_sep.join(details),
    )


def compose_summary(
    report: MonthReport, *, today: date, org: str, phrases: SummaryPhrases
) -> SummaryDraft:
    """The 工作综述 draft: one numbered section per item with reports, then what is not done.

    Sections follow the plan's order and are numbered consecutively, as a summary numbers its
    own parts; the unfinished part names items by their number in the plan, so `/done N` works.
    """
    title = phrases.title.format(
        org=phrases.org.format(org=org) if org.strip() else "",
        month=title_month(report.year, report.month, phrases.layout),
    )
    sections: list[SummarySection] = []
    for item in report.items:
        paragraph = _paragraph(item, phrases)
        if not paragraph:
            continue
        number = numeral(len(sections) + 1, phrases.layout)
        sections.append(
            SummarySection(
                heading=phrases.section.format(number=number, title=item.title),
                paragraph=paragraph,
                item_seq=item.seq,
            )
        )
    unfinished = tuple(
        _unfinished_line(item, today, phrases) for item in report.items if not item.done
    )
    return SummaryDraft(
        title=title,
        sections=tuple(sections),
        note="" if sections else phrases.nothing_reported,
        unfinished_heading=phrases.unfinished,
        unfinished=unfinished,
        unfinished_note="" if unfinished else phrases.all_done,
    )


# -- the figures ----------------------------------------------------------------------------


@dataclass(slots=True)
class GroupStats:
    """Completion and on-time figures of the items one department or leader answers for."""

    name: str
    total: int = 0
    done: int = 0
    # Items whose deadline has passed, or that are done: those that could have been on time.
    due: int = 0
    on_time: int = 0

    @property
    def completion_rate(self) -> float:
        return self.done / self.total if self.total else 0.0

    @property
    def on_time_rate(self) -> float | None:
        """None while nothing is due yet: no rate rather than a flattering 100%."""
        return self.on_time / self.due if self.due else None

    def add(self, item: ReportItem, today: date) -> None:
        self.total += 1
        self.done += item.done
        self.due += item.is_due(today)
        self.on_time += item.on_time


@dataclass(frozen=True, slots=True)
class MonthStats:
    overall: GroupStats
    # In the order they first appear in the plan.
    departments: tuple[GroupStats, ...] = ()
    leaders: tuple[GroupStats, ...] = ()
    # Some item has several lead departments, each counted by its own part: /stats says so.
    by_parts: bool = False


def month_stats(report: MonthReport, today: date) -> MonthStats:
    """Per department and per leader: an item with two lead departments counts for both, each
    by its own part (done, on time or overdue as that part stands); partners not at all."""
    overall = GroupStats(name="")
    departments: dict[str, GroupStats] = {}
    leaders: dict[str, GroupStats] = {}
    for item in report.items:
        overall.add(item, today)
        # One link per department (the link's key), so one part per department and item.
        for part in item.lead_parts():
            departments.setdefault(part.name, GroupStats(part.name)).add(item.as_part(part), today)
        for name in dict.fromkeys(item.leaders):
            leaders.setdefault(name, GroupStats(name)).add(item, today)
    by_parts = any(len(item.lead_parts()) > 1 for item in report.items)
    return MonthStats(overall, tuple(departments.values()), tuple(leaders.values()), by_parts)
