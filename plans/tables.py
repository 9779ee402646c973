"""Plan tables: rows (Markdown, pipes, tabs, HTML) → records keyed by what each column means."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from plans.labels import FIELD_KINDS, Kind, column_kind
from plans.spacing import squeeze

_RULE_CELL = re.compile(r":?-{2,}:?")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_PIPE = re.compile(r"(?<!\\)\|")
# How many rows may sit above the header (a document title, a caption such as
# "十月份工作计划", an issuing office and date).
_MAX_CAPTION_ROWS = 5
# Header words named in the refusal when a table's header is not understood.
TASK_WORDS = ("工作任务", "主要工作", "工作内容", "重点工作", "工作事项")
FIELD_WORDS = ("责任领导", "责任部门", "完成时限")

Record = dict[Kind, list[str]]


@dataclass(frozen=True, slots=True)
class Table:
    """A table whose header names plan fields; records map column kinds to cell texts.

    Every record has a SEQ value: the number column's cell when the table has one
    (`numbered`), else the row's place among the table's tasks ("1", "2", …).
    """

    records: list[Record]
    # Text of rows above the header, often the plan heading itself.
    caption: list[str] = field(default_factory=list)
    numbered: bool = True
    # What the reader left out or guessed: columns ignored, a column taken as the task.
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class TableTrouble:
    """Rows that look like a table whose header names no plan columns."""

    header: tuple[str, ...]


def split_row(line: str) -> list[str] | None:
    """Cells of a table row, or None for other lines.

    "| a | b |" (Markdown), "a | b | c" (pipes without the outer ones), "a<TAB>b" (a copy
    from a browser, Excel or a .docx table).
    """
    stripped = line.strip(" \u3000\r\n")
    if stripped.startswith("|") and stripped.count("|") >= 2:
        body = stripped[1:-1] if stripped.endswith("|") else stripped[1:]
        return _cells(body)
    if "\t" in line:
        cells = [cell.strip() for cell in line.strip("\r\n").split("\t")]
        return cells if len(cells) >= 2 else None
    if _PIPE.search(stripped):
        body = stripped[:-1] if stripped.endswith("|") else stripped
        cells = _cells(body)
        return cells if len(cells) >= 2 else None
    return None


def _cells(body: str) -> list[str]:
    return [_BR.sub("；", cell).replace("\\|", "|").strip() for cell in _PIPE.split(body)]


def read_table(rows: Sequence[Sequence[str]]) -> Table | None:
    """Read rows as a plan table when one of the first rows is a header naming its fields."""
    rows = [[cell.strip() for cell in row] for row in rows if not _is_rule(row)]
    for at, header in enumerate(rows[: _MAX_CAPTION_ROWS + 1]):
        kinds = _header_kinds(header)
        if kinds is None:
            continue
        body = rows[at + 1 :]
        # A two-row header ("责任" over "领导" and "部门") names its columns on the second row.
        if body and (merged := _second_header(kinds, header, body[0])) is not None:
            kinds, header, body = merged, body[0], body[1:]
        caption = [_merged_text(row) for row in rows[:at]]
        warnings = []
        if Kind.TITLE not in kinds and (guess := _guess_title(kinds, header, body)) is not None:
            kinds[guess] = Kind.TITLE
            warnings.append(f"表格没有“工作任务”列，把“{squeeze(header[guess])}”列当作工作任务")
        if ignored := _ignored(kinds, header):
            named = "、".join(f"“{name}”" for name in ignored)
            warnings.append(f"表格的{named}列不是计划的字段，没有导入")
        records = _records(kinds, header, body)
        numbered = Kind.SEQ in kinds
        if not numbered:
            for n, record in enumerate(records, start=1):
                record[Kind.SEQ] = [str(n)]
        return Table(records, [c for c in caption if c], numbered, warnings)
    return None


def header_trouble(rows: Sequence[Sequence[str]]) -> TableTrouble | None:
    """Rows not read as a plan table that still look like one: say which header was found.

    Two or more rows of two or more filled cells; the header is the first such row whose
    cells differ (a merged title row repeats one text across the row).
    """
    rows = [row for row in rows if not _is_rule(row)]
    full = [filled for row in rows if len(filled := [c.strip() for c in row if c.strip()]) >= 2]
    if len(full) < 2:
        return None
    header = next((row for row in full if len(set(row)) >= 2), None)
    if header is None:
        return None
    return TableTrouble(tuple(squeeze(cell) for cell in dict.fromkeys(header)))


def _header_kinds(header: Sequence[str]) -> list[Kind | None] | None:
    if len({cell for cell in header if cell}) < 2:
        return None  # one text merged across the row is a caption
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


def _second_header(
    kinds: list[Kind | None], header: Sequence[str], row: Sequence[str]
) -> list[Kind | None] | None:
    """The kinds of a header continued on `row`, or None when `row` is data."""
    below = [column_kind(cell) for cell in row]
    if not any(kind in FIELD_KINDS for kind in below):
        return None
    for n, cell in enumerate(row):
        same = n < len(header) and cell == header[n]
        if cell and below[n] is None and not same:
            return None
    merged = list(kinds)
    for n, kind in enumerate(below):
        if n < len(merged) and kind is not None:
            merged[n] = kind
    return merged if len(merged) >= len(below) else merged + below[len(merged) :]


def _guess_title(
    kinds: list[Kind | None], header: Sequence[str], body: Sequence[Sequence[str]]
) -> int | None:
    """A header without a task column ("名称", "事由"): the unknown column with the most text."""
    unknown = [n for n, kind in enumerate(kinds) if kind is None and n < len(header) and header[n]]
    if not unknown:
        return None
    return max(unknown, key=lambda n: (sum(len(row[n]) for row in body if n < len(row)), -n))


def _ignored(kinds: list[Kind | None], header: Sequence[str]) -> list[str]:
    names = (squeeze(cell) for kind, cell in zip(kinds, header, strict=False) if kind is None)
    return list(dict.fromkeys(name for name in names if name))


def _records(
    kinds: list[Kind | None], header: Sequence[str], rows: Sequence[Sequence[str]]
) -> list[Record]:
    records: list[Record] = []
    for row in rows:
        # A header repeated on every page of a long table is not a task.
        if list(row[: len(header)]) == list(header):
            continue
        record = _record(kinds, row)
        if record is None:
            continue
        if records and _continues(records[-1], record):
            _merge(records[-1], record)
        else:
            records.append(record)
    return records


def _record(kinds: list[Kind | None], row: Sequence[str]) -> Record | None:
    cells = list(row)
    filled = [cell for cell in cells if cell]
    if not filled:
        return None
    # A merged row ("一、党建工作" spanning the task and field columns, perhaps after its
    # numeral in the 序号 column) or a lone label in the 序号 column is a section heading
    # inside the table, not a task.
    named = [
        cell
        for n, cell in enumerate(cells)
        if cell and (n >= len(kinds) or kinds[n] is not Kind.SEQ)
    ]
    if len(named) >= 2 and len(set(named)) == 1:
        return None
    if len(filled) == 1:
        only = cells.index(filled[0])
        if only < len(kinds) and kinds[only] is Kind.SEQ and not filled[0].isdecimal():
            return None
    record: Record = {}
    for n, (kind, cell) in enumerate(zip(kinds, cells, strict=False)):
        # A cell merged across columns repeats its text; it belongs to the first of them.
        if kind is not None and cell and (n == 0 or cell != cells[n - 1]):
            record.setdefault(kind, []).append(cell)
    return record or None


def _continues(previous: Record, record: Record) -> bool:
    """A row whose number and task repeat the row above (a merged cell spanning both rows)
    adds to that task: its measures, its partners. Without a number, the same task on the
    next row with another deadline is another task (升旗仪式 every week)."""
    title = record.get(Kind.TITLE)
    if not title or title != previous.get(Kind.TITLE):
        return False
    if Kind.SEQ in record or Kind.SEQ in previous:
        return record.get(Kind.SEQ) == previous.get(Kind.SEQ)
    return record.get(Kind.DEADLINE) == previous.get(Kind.DEADLINE)


def _merge(into: Record, record: Record) -> None:
    for kind, values in record.items():
        have = into.setdefault(kind, [])
        have.extend(value for value in values if value not in have)


def _is_rule(row: Sequence[str]) -> bool:
    cells = [cell.strip() for cell in row if cell.strip()]
    return bool(cells) and all(_RULE_CELL.fullmatch(cell) for cell in cells)


def _merged_text(row: Sequence[str]) -> str:
    return " ".join(dict.fromkeys(cell.strip() for cell in row if cell.strip()))
