"""A .docx upload → plain text: paragraphs with their list numbers, tables as tab-separated rows.

The body XML is walked once, element by element: going through python-docx's Paragraph and
style objects cost a style lookup per paragraph, which made a 46,000-paragraph document take
over 20 seconds.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from docx.oxml.ns import qn

from plans.docx_numbering import ListNumbers
from plans.ooxml import MAX_UNCOMPRESSED_BYTES, ArchiveError, cell_text, check_archive_size

_P = qn("w:p")
_TBL = qn("w:tbl")
_TR = qn("w:tr")
_TC = qn("w:tc")
_SDT = qn("w:sdt")
_SDT_CONTENT = qn("w:sdtContent")
_R = qn("w:r")
_T = qn("w:t")
_TYPE = qn("w:type")
_VAL = qn("w:val")
_GRID_SPAN = qn("w:gridSpan")
_TCPR = qn("w:tcPr")
_VMERGE = qn("w:vMerge")
# Run children and what they read as (python-docx's Run.text says the same).
_RUN_TEXT = {qn("w:tab"): "\t", qn("w:ptab"): "\t", qn("w:cr"): "\n", qn("w:noBreakHyphen"): "-"}
_BR = qn("w:br")
# Paragraph children that hold runs: links, tracked insertions, smart tags, content controls.
_RUN_CONTAINERS = {
    qn("w:hyperlink"),
    qn("w:ins"),
    qn("w:smartTag"),
    qn("w:fldSimple"),
    qn("w:customXml"),
    qn("w:sdt"),
    qn("w:sdtContent"),
}
# Block containers whose paragraphs belong to the body in order (content controls).
_BLOCK_CONTAINERS = {_SDT, _SDT_CONTENT, qn("w:customXml")}


def docx_to_text(data: bytes, *, limit: int = MAX_UNCOMPRESSED_BYTES) -> str:
    """Text of the document body in order; each table row becomes one tab-separated line."""
    check_archive_size(data, ".docx", limit)
    # Imported here so that text-only callers do not pay for python-docx and lxml.
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        numbers = ListNumbers.of(document)
        lines: list[str] = []
        for block in _blocks(document.element.body):
            if block.tag == _P:
                lines.append(numbers.prefix(block) + paragraph_text(block))
            else:
                lines.extend(["", *_table_lines(block, numbers), ""])
    except Exception as error:  # python-docx raises many types on a damaged file
        raise ArchiveError(f"cannot read this .docx: {error}") from error
    return "\n".join(lines)


def paragraph_text(p: Any) -> str:
    """The text of one <w:p>: runs, also inside links and tracked insertions; tabs and breaks."""
    parts: list[str] = []
    _collect(p, parts)
    return "".join(parts)


def _collect(element: Any, parts: list[str]) -> None:
    for child in element:
        tag = child.tag
        if tag == _R:
            for item in child:
                if item.tag == _T:
                    parts.append(item.text or "")
                elif item.tag == _BR:
                    # A page or column break is not a line of text.
                    if item.get(_TYPE, "textWrapping") == "textWrapping":
                        parts.append("\n")
                elif (text := _RUN_TEXT.get(item.tag)) is not None:
                    parts.append(text)
        elif tag in _RUN_CONTAINERS:
            _collect(child, parts)


def _blocks(container: Any) -> Iterator[Any]:
    """Paragraphs and tables in document order, looking inside content controls."""
    for child in container:
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag in _BLOCK_CONTAINERS:
            yield from _blocks(child)


def _table_lines(table: Any, numbers: ListNumbers) -> list[str]:
    lines = []
    above: list[str] = []  # the previous row's cell texts, by grid column, for vertical merges
    for row in _rows(table):
        cells: list[str] = []
        for tc in row.iterchildren(_TC):
            span, merged = _span(tc)
            column = len(cells)
            if merged and column < len(above):
                text = above[column]
            else:
                text = _cell_text(tc, numbers)
            # A cell spanning columns repeats its text in each, as python-docx's row.cells does.
            cells.extend([text] * span)
        above = cells
        lines.append("\t".join(cells))
    return lines


def _rows(table: Any) -> Iterator[Any]:
    for child in table:
        if child.tag == _TR:
            yield child
        elif child.tag in _BLOCK_CONTAINERS:
            yield from _rows(child)


def _span(tc: Any) -> tuple[int, bool]:
    """How many grid columns a cell covers, and whether it continues a vertical merge."""
    tcpr = tc.find(_TCPR)
    if tcpr is None:
        return 1, False
    span = tcpr.find(_GRID_SPAN)
    vmerge = tcpr.find(_VMERGE)
    try:
        columns = max(1, min(int(span.get(_VAL)), 64)) if span is not None else 1
    except (TypeError, ValueError):
        columns = 1
    return columns, vmerge is not None and vmerge.get(_VAL, "continue") == "continue"


def _cell_text(tc: Any, numbers: ListNumbers) -> str:
    parts: list[str] = []
    for block in _blocks(tc):
        if block.tag == _P:
            parts.append(numbers.prefix(block) + paragraph_text(block))
        else:
            parts.extend(
                _cell_text(inner, numbers)
                for row in _rows(block)
                for inner in row.iterchildren(_TC)
            )
    return cell_text(parts)
