"""A document's text → blocks: non-empty lines, and each recognised table as one block."""

from __future__ import annotations

import re
from collections.abc import Iterator

from plans.html_tables import expand_html_tables
from plans.numbering import strip_decoration
from plans.tables import Table, TableTrouble, header_trouble, read_table, split_row

_LINE_BREAKS = re.compile(r"\r\n|[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")

# A run of consecutive table rows, each kept with its line as written.
Rows = list[tuple[str, list[str]]]


def blocks_of(text: str) -> Iterator[str | Table]:
    """Non-empty lines with Markdown decoration removed, and recognised tables as one block."""
    for chunk in _chunks(text):
        if isinstance(chunk, str):
            if line := _line(chunk):
                yield line
            continue
        table = read_table([cells for _, cells in chunk])
        if table is None:
            yield from (line for raw, _ in chunk if (line := _line(raw)))
        else:
            yield from table.caption
            yield table


def table_trouble(text: str) -> TableTrouble | None:
    """The header of a table in `text` that could not be read, when no table could.

    For the refusal of a document whose plan is a table with headers the reader does not know:
    it names the header found, so the person can rename its columns.
    """
    trouble = None
    for chunk in _chunks(text):
        if isinstance(chunk, str):
            continue
        rows = [cells for _, cells in chunk]
        if read_table(rows) is not None:
            return None
        trouble = trouble or header_trouble(rows)
    return trouble


def _chunks(text: str) -> Iterator[str | Rows]:
    """Lines that are not table rows, and runs of consecutive table rows."""
    rows: Rows = []
    for raw in _LINE_BREAKS.split(expand_html_tables(text.replace("\ufeff", ""))):
        cells = split_row(raw)
        if cells is not None:
            rows.append((raw, cells))
            continue
        if rows:
            yield rows
            rows = []
        yield raw
    if rows:
        yield rows


def _line(raw: str) -> str:
    return strip_decoration(raw.replace("\t", " "))
