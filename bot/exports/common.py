"""What every export shares: the summary's words from the catalogue, and the plan's table rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.i18n import t
from bot.views.parts import departments_label, review_time_words
from bot.views.periods import period_label
from plans.summary import (
    Layout,
    MonthReport,
    ReportItem,
    ReportPart,
    ReportUpdate,
    SummaryDraft,
    SummaryPhrases,
    compose_summary,
    day_label,
    layout_for,
    month_label,
)
from storage.plans import PeriodKey

# The columns of the plan table, in the order of the office's own tables (docx, md, xlsx).
TABLE_COLUMNS = ("seq", "title", "leaders", "departments", "deadline", "status", "done_on")


def summary_phrases(locale: str) -> SummaryPhrases:
    def p(name: str) -> str:
        return t(locale, f"summary.{name}")

    return SummaryPhrases(
        layout=layout_for(locale),
        title=p("title"),
        org=p("org"),
        section=p("section"),
        dated=p("dated"),
        with_percent=p("with_percent"),
        percent_only=p("percent_only"),
        completed=p("completed"),
        full_stop=p("full_stop"),
        unfinished=p("unfinished"),
        unfinished_item=p("unfinished_item"),
        detail_sep=p("detail_sep"),
        leaders=p("leaders"),
        departments=p("departments"),
        deadline=p("deadline"),
        overdue=p("overdue"),
        last_report=p("last_report"),
        no_report=p("no_report"),
        list_sep=t(locale, "list.sep"),
        nobody=p("nobody"),
        nothing_reported=p("nothing_reported"),
        all_done=p("all_done"),
    )


def draft_summary(report: MonthReport, *, locale: str, today: date, org: str) -> SummaryDraft:
    return compose_summary(report, today=today, org=org, phrases=summary_phrases(locale))


def month_name(report: MonthReport, locale: str) -> str:
    return month_label(report.year, report.month, layout_for(locale))


def column_titles(locale: str, columns: tuple[str, ...] = TABLE_COLUMNS) -> list[str]:
    return [t(locale, f"export.col.{name}") for name in columns]


def file_stem(report: MonthReport, locale: str) -> str:
    return t(locale, "export.filename", year=report.year, month=report.month)


def names(values: tuple[str, ...], locale: str) -> str:
    return t(locale, "list.sep").join(values)


def _as_written(part: ReportPart) -> str:
    return part.name


def departments_words(item: ReportItem, locale: str) -> str:
    """The departments column: the lead departments, each with its part's state when there are
    several and the item is open (组织部（已完成）、工联会（进度 60%）), then the partners apart
    (｜配合：办公室). Plain text: the chat's renderer, in words."""
    parts = [*item.lead_parts(), *(ReportPart(name, required=False) for name in item.partners)]
    return departments_label(parts, locale, name=_as_written, words=True, states=not item.done)


def deadline_words(item: ReportItem, locale: str) -> str:
    """The deadline as the document wrote it, with the date it means: 十月份（2020-10-31）."""
    if item.deadline is None:
        return item.deadline_text
    if item.deadline_text and item.deadline_text != item.deadline.isoformat():
        opening, closing = ("（", "）") if layout_for(locale) is Layout.ZH else (" (", ")")
        return f"{item.deadline_text}{opening}{item.deadline.isoformat()}{closing}"
    return item.deadline.isoformat()


def status_words(
    item: ReportItem, locale: str, today: date, *, reported: bool | None = None
) -> str:
    """Done (late), overdue, in progress or not started; `reported` says whether anyone
    reported on it when the item's history is not loaded (a calendar feed)."""
    if item.done:
        late = (
            (item.done_on - item.deadline).days
            if item.done_on is not None and item.deadline is not None
            else 0
        )
        if late > 0:
            return t(locale, "export.status.done_late", days=late)
        return t(locale, "export.status.done")
    days = item.days_overdue(today)
    if days is not None:
        return t(locale, "export.status.overdue", days=days, percent=item.progress)
    if reported is None:
        reported = item.last_report() is not None
    if item.progress > 0 or reported:
        return t(locale, "export.status.in_progress", percent=item.progress)
    return t(locale, "export.status.open")


def kind_words(kind: str, locale: str) -> str:
    words = t(locale, f"export.kind.{kind}")
    return kind if words == f"export.kind.{kind}" else words


def review_note(update: ReportUpdate, locale: str) -> str:
    """ "（审核用时 1天3小时）" after an approval (销号), as /item says it; "" otherwise."""
    if update.review_time is None:
        return ""
    return t(locale, "review.time_note", time=review_time_words(update.review_time, locale))


def update_kind_words(update: ReportUpdate, locale: str) -> str:
    """An update's kind in words, an approval's with its time in review (the xlsx)."""
    return kind_words(update.kind, locale) + review_note(update, locale)


def done_on_words(item: ReportItem, locale: str) -> str:
    """The day an item was done; when an approval (销号) closed it that day, with its time in
    review: `2020-10-22（审核用时 1天3小时）` (the docx's and markdown's table)."""
    if item.done_on is None:
        return ""
    day = item.done_on.isoformat()
    closing = next(
        (u for u in reversed(item.updates) if u.review_time is not None and u.day == item.done_on),
        None,
    )
    return day + review_note(closing, locale) if item.done and closing else day


def last_note(item: ReportItem, locale: str) -> str:
    """The newest report as "10月20日，text", for the tables' last column."""
    last: ReportUpdate | None = item.last_report()
    if last is None:
        return ""
    text = " ".join(last.text.split())
    if last.kind == "progress" and last.percent is not None:
        text = f"{text} ({last.percent}%)".strip() if text else f"{last.percent}%"
    return t(locale, "export.last_note", date=day_label(last.day, layout_for(locale)), text=text)


@dataclass(frozen=True, slots=True)
class PlanRow:
    """One item as the plan table shows it, as text (docx, md) and as values (xlsx)."""

    item: ReportItem
    seq: str
    title: str
    leaders: str
    departments: str
    deadline: str
    status: str
    done_on: str

    def cells(self) -> list[str]:
        return [getattr(self, name) for name in TABLE_COLUMNS]


def plan_rows(report: MonthReport, locale: str, today: date) -> list[PlanRow]:
    return [
        PlanRow(
            item=item,
            seq=str(item.seq),
            title=item.title,
            leaders=names(item.leaders, locale),
            departments=departments_words(item, locale),
            deadline=deadline_words(item, locale),
            status=status_words(item, locale, today),
            done_on=done_on_words(item, locale),
        )
        for item in report.items
    ]


def missing_plan(
    locale: str, asked: tuple[int | None, int] | None, have: Sequence[PeriodKey], today: date
) -> str:
    """Why there is no report of a month: no plan at all, only a quarter's or the year's (a
    report counts a month's plan), or none for the month asked (HTML-safe text)."""
    months = [p for p in have if p.month]
    if not months:
        if not have:
            return t(locale, "report.no_plans")
        periods = t(locale, "list.sep").join(
            period_label(p.year, p.month, p.quarter, locale) for p in have
        )
        return t(locale, "report.no_month_plans", periods=periods)
    if asked is None:
        return t(locale, "report.no_plans")
    layout = layout_for(locale)
    year, month = asked
    return t(
        locale,
        "report.no_plan",
        month=month_label(year or today.year, month, layout),
        months=t(locale, "list.sep").join(month_label(p.year, p.month, layout) for p in months),
    )
