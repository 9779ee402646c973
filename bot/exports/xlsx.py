"""The month as a workbook: one row per item (header frozen, filters on, real dates), and a
second sheet with every history entry."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.exports.common import (
    TABLE_COLUMNS,
    column_titles,
    departments_words,
    last_note,
    names,
    status_words,
    update_kind_words,
)
from bot.exports.evidence import file_words
from bot.i18n import t
from plans.summary import MonthReport

DATE_FORMAT = "yyyy-mm-dd"
TIME_FORMAT = "yyyy-mm-dd hh:mm"
ITEM_COLUMNS = (*TABLE_COLUMNS, "progress", "last_note")
UPDATE_COLUMNS = ("seq", "title", "time", "kind", "author", "progress", "text", "files")
# Column widths in characters; a Chinese character is about two.
_WIDTHS = {
    "seq": 6,
    "title": 48,
    "leaders": 14,
    "departments": 24,
    "deadline": 12,
    "status": 22,
    "done_on": 12,
    "progress": 8,
    "last_note": 48,
    "time": 17,
    "kind": 12,
    "author": 12,
    "text": 60,
    # Evidence: the files sent with the update (bot/exports/evidence.py).
    "files": 30,
}


def _sheet(sheet: Worksheet, columns: tuple[str, ...], locale: str) -> None:
    sheet.append(column_titles(locale, columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center")
    sheet.freeze_panes = "A2"
    for index, name in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS[name]


def _finish(sheet: Worksheet, columns: tuple[str, ...]) -> None:
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(sheet.max_row, 1)}"
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap


def plan_xlsx(report: MonthReport, *, locale: str, today: date) -> bytes:
    workbook = Workbook()
    items = workbook.active  # a new Workbook starts with one sheet, the active one
    items.title = t(locale, "export.sheet.items")
    _sheet(items, ITEM_COLUMNS, locale)
    for item in report.items:
        items.append(
            [
                item.seq,
                item.title,
                names(item.leaders, locale),
                departments_words(item, locale),
                # A real date where there is one; 长期 and the like stay words.
                item.deadline or item.deadline_text or None,
                status_words(item, locale, today),
                item.done_on,
                item.progress / 100,
                last_note(item, locale) or None,
            ]
        )
        row = items.max_row
        for column in ("deadline", "done_on"):
            items.cell(row, ITEM_COLUMNS.index(column) + 1).number_format = DATE_FORMAT
        items.cell(row, ITEM_COLUMNS.index("progress") + 1).number_format = "0%"
    _finish(items, ITEM_COLUMNS)

    updates = workbook.create_sheet(t(locale, "export.sheet.updates"))
    _sheet(updates, UPDATE_COLUMNS, locale)
    for item in report.items:
        for update in item.updates:
            updates.append(
                [
                    item.seq,
                    item.title,
                    # Excel has no time zones: the office's wall-clock time.
                    update.at.replace(tzinfo=None, microsecond=0),
                    update_kind_words(update, locale),
                    update.author or None,
                    update.percent / 100 if update.percent is not None else None,
                    update.text or None,
                    file_words(update.files, locale) or None,
                ]
            )
            row = updates.max_row
            updates.cell(row, UPDATE_COLUMNS.index("time") + 1).number_format = TIME_FORMAT
            updates.cell(row, UPDATE_COLUMNS.index("progress") + 1).number_format = "0%"
    _finish(updates, UPDATE_COLUMNS)

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
