"""Files made from a month's plan: Word, Excel, Markdown, iCalendar, and the /stats chart.

Each module turns plain data (plans.summary's MonthReport and SummaryDraft) into bytes; none
touches the database or Telegram. `make_export` picks the format and names the file; the
format libraries are imported only when a file of theirs is made, so the bot starts fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.exports.common import draft_summary, file_stem
from bot.views.bulletin import bulletin_text
from plans.bulletin import Bulletin
from plans.summary import MonthReport

FORMATS = ("docx", "xlsx", "md", "ics")
# What people type for a format, beyond its extension.
ALIASES = {
    "word": "docx",
    "doc": "docx",
    "excel": "xlsx",
    "xls": "xlsx",
    "markdown": "md",
    "ical": "ics",
    "calendar": "ics",
    "日历": "ics",
}


@dataclass(frozen=True, slots=True)
class ExportFile:
    filename: str
    data: bytes


def parse_format(token: str) -> str | None:
    word = token.strip().lower().removeprefix(".")
    if word in FORMATS:
        return word
    return ALIASES.get(word)


def make_export(
    fmt: str,
    report: MonthReport,
    *,
    locale: str,
    today: date,
    now: datetime,
    org: str,
    bulletin: Bulletin | None = None,
) -> ExportFile:
    """The month as a `fmt` file; CPU-bound, so callers on the event loop use a thread.
    The Word file carries the month's `bulletin` (通报) as a section of its own when given."""
    filename = f"{file_stem(report, locale)}.{fmt}"
    if fmt == "docx":
        from bot.exports.docx import summary_docx

        draft = draft_summary(report, locale=locale, today=today, org=org)
        text = bulletin_text(bulletin, locale) if bulletin is not None else None
        data = summary_docx(report, draft, locale=locale, today=today, bulletin=text)
        return ExportFile(filename, data)
    if fmt == "xlsx":
        from bot.exports.xlsx import plan_xlsx

        return ExportFile(filename, plan_xlsx(report, locale=locale, today=today))
    if fmt == "md":
        from bot.exports.markdown import plan_markdown

        draft = draft_summary(report, locale=locale, today=today, org=org)
        return ExportFile(filename, plan_markdown(report, draft, locale=locale, today=today))
    if fmt == "ics":
        from bot.exports.ics import plan_ics

        return ExportFile(filename, plan_ics(report, locale=locale, today=today, now=now))
    raise ValueError(f"unknown export format {fmt!r}; expected one of {FORMATS}")
