"""A document's text → blocks: non-empty lines, and each recognised table as one block."""

from __future__ import annotations

import re
from collections.abc import Iterator

from plans.numbering import strip_decoration
from plans.tables import Table, read_table, split_row

_LINE_BREAKS = re.compile(r"\r\n|[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")


def blocks_of(text: str) -> Iterator[str | Table]:
    """Non-empty lines with Markdown decoration removed, and recognised tables as one block."""
    rows: list[tuple[str, list[str]]] = []
    for raw in _LINE_BREAKS.split(text.replace("\ufeff", "")):
        cells = split_row(raw)
        if cells is not None:
            rows.append((raw, cells))
            continue
        yield from _flush(rows)
        rows = []
        if line := strip_decoration(raw.replace("\t", " ")):
            yield line
    yield from _flush(rows)


def _flush(rows: list[tuple[str, list[str]]]) -> Iterator[str | Table]:
    if not rows:
        return
    table = read_table([cells for _, cells in rows])
    if table is None:
        for raw, _ in rows:
            if line := strip_decoration(raw.replace("\t", " ")):
                yield line
        return
    yield from table.caption
    yield table
