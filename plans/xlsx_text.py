"""An .xlsx upload (the usual form of a 任务分解表) → text the plan reader understands.

The sheet that looks most like a plan table is read (the first sheet when none does): a merged
cell's value fills its whole range, as Word tables read; title rows above the table become
lines; every other non-empty row becomes one tab-separated line.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

from plans.labels import column_kind
from plans.ooxml import MAX_UNCOMPRESSED_BYTES, ArchiveError, cell_text, check_archive_size

# Beyond these a sheet is not a plan; they bound the work a crafted file can cause.
MAX_ROWS = 20_000
MAX_COLUMNS = 64
# How far down the header of a plan table may sit (below titles, a 文号, a date).
_HEADER_ROWS = 10
_DEFAULT_SHEET_NAME = re.compile(r"(?i)(sheet|工作表)\s*\d*")

Grid = list[list[str]]


def xlsx_to_text(data: bytes, *, limit: int = MAX_UNCOMPRESSED_BYTES) -> str:
    """Text of the workbook's plan sheet: title lines, then one tab-separated line per row."""
    check_archive_size(data, ".xlsx", limit)
    # Imported here so that text-only callers do not pay for openpyxl.
    import openpyxl

    try:
        with warnings.catch_warnings():
            # openpyxl warns about data validation, headers/footers and such it drops.
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
        sheets = [s for s in book.worksheets if s.sheet_state == "visible"] or book.worksheets
        grids = [(sheet.title, _grid(sheet)) for sheet in sheets]
    except Exception as error:  # openpyxl raises many types on a damaged file
        raise ArchiveError(f"cannot read this .xlsx: {error}") from error
    if not grids:
        return ""
    # Ties go to the earlier sheet (max keeps the first), so a plan on sheet 1 wins.
    name, grid = max(grids, key=lambda named: (_plan_score(named[1]), any(map(any, named[1]))))
    return "\n".join(sheet_lines(grid, name))


def sheet_lines(grid: Grid, name: str = "") -> list[str]:
    """Rows above the table with one value become lines; other non-empty rows tab-separated.

    A sheet named something other than "Sheet1" with no title row gets its name as the title.
    """
    rows = [row for row in grid if any(row)]
    width = max((_used_width(row) for row in rows), default=0)
    lines: list[str] = []
    titles = 0
    for row in rows:
        values = list(dict.fromkeys(cell for cell in row if cell))
        if len(lines) == titles and len(values) == 1:
            lines.append(values[0])
            titles += 1
        else:
            lines.append("\t".join(row[:width]))
    if titles == 0 and name.strip() and not _DEFAULT_SHEET_NAME.fullmatch(name.strip()):
        lines.insert(0, name.strip())
    return lines


def _grid(sheet: Any) -> Grid:
    """The sheet's cell texts, row by row, with each merged range filled with its value."""
    height = min(sheet.max_row or 0, MAX_ROWS)
    width = min(sheet.max_column or 0, MAX_COLUMNS)
    if height == 0 or width == 0:
        return []
    grid = [
        [_text(value) for value in row]
        for row in sheet.iter_rows(
            min_row=1, max_row=height, min_col=1, max_col=width, values_only=True
        )
    ]
    for merged in sheet.merged_cells.ranges:
        top, left = merged.min_row - 1, merged.min_col - 1
        if top >= height or left >= width:
            continue
        value = grid[top][left]
        for r in range(top, min(merged.max_row, height)):
            for c in range(left, min(merged.max_col, width)):
                grid[r][c] = value
    return grid


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return cell_text(str(value).splitlines())


def _used_width(row: Sequence[str]) -> int:
    for n in range(len(row), 0, -1):
        if row[n - 1]:
            return n
    return 0


def _plan_score(grid: Grid) -> int:
    """How many different plan columns (序号, 工作任务, 责任领导 …) one of the top rows names."""
    best = 0
    for row in [row for row in grid if any(row)][:_HEADER_ROWS]:
        kinds = {kind for cell in row if cell and (kind := column_kind(cell)) is not None}
        best = max(best, len(kinds))
    return best
