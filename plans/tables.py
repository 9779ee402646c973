"""Plan tables: Markdown tables and tab-separated rows (as docx tables arrive) → records."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from plans.labels import FIELD_KINDS, Kind, column_kind

_RULE_CELL = re.compile(r":?-{2,}:?")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
# How many rows may sit above the header (a merged caption such as "十月份工作计划").
_MAX_CAPTION_ROWS = 3


@dataclass(frozen=True, slots=True)
class Table:
    """A table whose header names plan fields; records map column kinds to cell texts."""

    records: list[dict[Kind, list[str]]]
    # Text of rows above the header, often the plan heading itself.
    caption: list[str] = field(default_factory=list)


def split_row(line: str) -> list[str] | None:
    """Cells of a Markdown row ("| a | b |") or a tab-separated line; None for other lines."""
    stripped = line.strip(" \u3000\r\n")
    if stripped.startswith("|") and stripped.count("|") >= 2:
        body = stripped[1:-1] if stripped.endswith("|") else stripped[1:]
        cells = re.split(r"(?<!\\)\|", body)
        return [_BR.sub("；", cell).replace("\\|", "|").strip() for cell in cells]
    if "\t" in line:
        cells = [cell.strip() for cell in line.strip("\r\n").split("\t")]
        return cells if len(cells) >= 2 else None
    return None


def read_table(rows: Sequence[Sequence[str]]) -> Table | None:
    """Read rows as a plan table when one of the first rows is a header naming its fields."""
    rows = [row for row in rows if not _is_rule(row)]
    for at, header in enumerate(rows[: _MAX_CAPTION_ROWS + 1]):
        kinds = _header_kinds(header)
        if kinds is None:
            continue
        caption = [_merged_text(row) for row in rows[:at]]
        records = [r for row in rows[at + 1 :] if (r := _record(kinds, row)) is not None]
        return Table(records, [c for c in caption if c])
    return None


def _header_kinds(header: Sequence[str]) -> list[Kind | None] | None:
    kinds = [column_kind(cell) for cell in header]
    fields = {k for k in kinds if k in FIELD_KINDS}
    if not fields or (Kind.TITLE not in kinds and len(fields) < 2):
        return None
    # A second task-like column ("工作任务" then "工作内容") holds details, not the title.
    seen_title = False
    for n, kind in enumerate(kinds):
        if kind is Kind.TITLE:
            if seen_title:
                kinds[n] = Kind.CONTENT
            seen_title = True
    return kinds


def _record(kinds: list[Kind | None], row: Sequence[str]) -> dict[Kind, list[str]] | None:
    cells = [cell.strip() for cell in row]
    filled = [cell for cell in cells if cell]
    if not filled:
        return None
    # A merged row ("一、党建工作" spanning every column) or a lone label in the 序号 column
    # is a section heading inside the table, not a task.
    if len(filled) >= 2 and len(set(filled)) == 1:
        return None
    if len(filled) == 1:
        only = cells.index(filled[0])
        if only < len(kinds) and kinds[only] is Kind.SEQ and not filled[0].isdecimal():
            return None
    record: dict[Kind, list[str]] = {}
    for kind, cell in zip(kinds, cells, strict=False):
        if kind is not None and cell:
            record.setdefault(kind, []).append(cell)
    return record or None


def _is_rule(row: Sequence[str]) -> bool:
    cells = [cell.strip() for cell in row if cell.strip()]
    return bool(cells) and all(_RULE_CELL.fullmatch(cell) for cell in cells)


def _merged_text(row: Sequence[str]) -> str:
    return " ".join(dict.fromkeys(cell.strip() for cell in row if cell.strip()))
