"""The month as Markdown: the summary draft, then the plan's status table."""

from __future__ import annotations

from datetime import date

from bot.exports.common import column_titles, month_name, plan_rows
from bot.i18n import t
from plans.summary import MonthReport, SummaryDraft


def _cell(value: str) -> str:
    # A pipe would end the cell and a newline the row.
    return " ".join(value.split()).replace("\\", "\\\\").replace("|", "\\|")


def _row(values: list[str]) -> str:
    return "| " + " | ".join(_cell(value) for value in values) + " |"


def plan_markdown(report: MonthReport, draft: SummaryDraft, *, locale: str, today: date) -> bytes:
    lines: list[str] = []
    for kind, text in draft.blocks():
        if kind == "title":
            lines += [f"# {text}", ""]
        elif kind == "heading":
            lines += [f"## {text}", ""]
        else:
            lines += [text, ""]
    heading = t(locale, "export.table_heading", month=month_name(report, locale))
    titles = column_titles(locale)
    lines += [f"## {heading}", "", _row(titles), "| " + " | ".join("---" for _ in titles) + " |"]
    lines += [_row(row.cells()) for row in plan_rows(report, locale, today)]
    return ("\n".join(lines) + "\n").encode("utf-8")
