"""A .pdf upload with a text layer → text: lines in reading order, table rows tab-separated.

pypdf's layout mode places each piece of text at its column on the page. Lines whose wide
gaps start at the same columns as a nearby line's are table rows and become tab-separated; a
lone line with wide gaps is justified text. A line that runs to the right margin was wrapped
by the typesetter, so the next line continues it (an item's title or its bracketed fields are
not cut in two). A PDF without text (a scan) is refused: there is nothing to read without OCR.
"""

from __future__ import annotations

import io
import logging
import re
from typing import TYPE_CHECKING
from unicodedata import east_asian_width

from plans.numbering import read_marker

if TYPE_CHECKING:
    from pypdf import PageObject

MAX_PAGES = 300
# Fewer visible characters than this in the whole file: a scan with at most a page number.
_MIN_TEXT = 10
# One cell's text in a layout line: words with at most two spaces between them (a wider gap
# separates cells, or words of a justified line).
_SEGMENT = re.compile(r"\S(?:\S| {1,2}(?=\S))*")
# How far (in layout columns) cells of one column may start apart (also a wrapped cell's line).
_CELL_SLACK = 1
# How many lines apart two rows of one table may be (cells wrapped onto lines between them).
_ROW_WINDOW = 8
# "- 3 -", "— 3 —", "第 3 页 共 9 页": page furniture, not plan text.
_PAGE_NUMBER = re.compile(
    r"[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
)
# A line this close (in full-width characters) to the page's widest line ends at the right margin.
_FULL_SLACK = 1.5
_MIN_FULL_WIDTH = 20
# A paragraph may end exactly at the margin; one that ends like this is not continued.
_PARAGRAPH_ENDS = tuple("。！？!?）)」】")


class PdfError(ValueError):
    """The bytes are not a PDF this module can read (damaged, or locked with a password)."""


class PdfScanned(PdfError):
    """The PDF has no text layer: its pages are pictures."""


class PdfTooLong(PdfError):
    """More pages than a plan has; refused before reading them."""

    def __init__(self, pages: int, limit: int = MAX_PAGES) -> None:
        super().__init__(f"pdf has {pages} pages, more than the {limit} allowed")
        self.pages = pages
        self.limit = limit


def pdf_to_text(data: bytes, *, max_pages: int = MAX_PAGES) -> str:
    """Text of every page in order; raises PdfScanned when there is no text to read."""
    # Imported here so that text-only callers do not pay for pypdf.
    from pypdf import PdfReader

    # pypdf logs every oddity of a real-world file; the reader's own outcome is what counts.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise PdfError("the pdf is locked with a password")
        pages = list(reader.pages)
    except PdfError:
        raise
    except Exception as error:  # pypdf raises many types (PyPdfError and others) on a bad file
        raise PdfError(f"cannot read this .pdf: {error}") from error
    if len(pages) > max_pages:
        raise PdfTooLong(len(pages), max_pages)
    lines: list[tuple[str, bool]] = []
    for page in pages:
        lines.extend(page_lines(_layout_text(page)))
    text = "\n".join(unwrap(lines))
    if sum(not ch.isspace() for ch in text) < _MIN_TEXT:
        raise PdfScanned("the pdf has no text layer")
    return text


def _layout_text(page: PageObject) -> str:
    try:
        return page.extract_text(extraction_mode="layout", layout_mode_space_vertically=False)
    except Exception:  # a page layout mode cannot place still has plain text
        try:
            return page.extract_text()
        except Exception:  # a page that cannot be read at all adds nothing
            return ""


def page_lines(layout: str) -> list[tuple[str, bool]]:
    """One page's layout text → (line, reaches the right margin); table rows tab-separated.

    A line with wide gaps is a table row when a line near it has cells starting at the same
    columns; alone, it is a justified line whose word gaps were stretched. A line below a row
    with nothing in the row's first column holds the rest of cells too long for one line
    (Word aligns cells at the top): its text joins those cells.
    """
    raw = [
        line.rstrip()
        for line in layout.splitlines()
        if line.strip() and not _PAGE_NUMBER.fullmatch(line.strip())
    ]
    segments = [[(m.start(), m.group()) for m in _SEGMENT.finditer(line)] for line in raw]
    rows = _table_rows(segments)
    right = max((_width(line) for n, line in enumerate(raw) if n not in rows), default=0.0)
    lines: list[tuple[str, bool] | list[str]] = []
    starts: list[int] = []  # where the cells of the last table row begin, in layout columns
    for n, line in enumerate(raw):
        row = lines[-1] if lines and isinstance(lines[-1], list) else None
        if row is not None and _continue_row(row, starts, segments[n]):
            continue
        if n in rows:
            lines.append([text for _, text in segments[n]])
            starts = [at for at, _ in segments[n]]
        else:
            text = " ".join(text for _, text in segments[n])
            full = right >= _MIN_FULL_WIDTH and _width(line) >= right - _FULL_SLACK
            lines.append((text, full and not text.endswith(_PARAGRAPH_ENDS)))
    return [("\t".join(line), False) if isinstance(line, list) else line for line in lines]


def _table_rows(segments: list[list[tuple[int, str]]]) -> set[int]:
    """Lines with several cells whose columns line up with another such line nearby."""
    candidates = [n for n, line in enumerate(segments) if len(line) > 1]
    rows: set[int] = set()
    for i, n in enumerate(candidates):
        for m in candidates[i + 1 :]:
            if m - n > _ROW_WINDOW:
                break
            if _aligned(segments[n], segments[m]):
                rows.update((n, m))
    return rows


def _aligned(a: list[tuple[int, str]], b: list[tuple[int, str]]) -> bool:
    """Whether two lines share cell columns beyond the left margin (two, or one of two)."""
    later = [at for at, _ in b[1:]]
    shared = sum(any(abs(at - other) <= _CELL_SLACK for other in later) for at, _ in a[1:])
    return shared >= min(2, len(a) - 1, len(b) - 1)


def _continue_row(row: list[str], starts: list[int], segments: list[tuple[int, str]]) -> bool:
    """Append the segments to the row's cells when none of them is in its first column."""
    cells = [_cell_at(starts, at) for at, _ in segments]
    if not cells or min(cells) < 1:
        return False
    for cell, (_, text) in zip(cells, segments, strict=True):
        row[cell] = _join(row[cell], text)
    return True


def _cell_at(starts: list[int], at: int) -> int:
    """The index of the cell whose column span holds position `at` (-1 left of the first)."""
    cell = -1
    for n, start in enumerate(starts):
        if at >= start - _CELL_SLACK:
            cell = n
    return cell


def _join(left: str, right: str) -> str:
    return left + (" " if left[-1:].isascii() and right[:1].isascii() else "") + right


def _width(line: str) -> float:
    """Printed width in full-width characters: Latin letters and digits take half."""
    return sum(0.5 if east_asian_width(ch) in ("Na", "H") else 1.0 for ch in line.strip()) + (
        len(line) - len(line.lstrip())
    )


def unwrap(lines: list[tuple[str, bool]]) -> list[str]:
    """Join each line that reached the right margin with the plain line after it."""
    out: list[str] = []
    carry = False
    for line, full in lines:
        tabbed = "\t" in line
        if carry and out and not tabbed and read_marker(line) is None:
            out[-1] = _join(out[-1], line)
        else:
            out.append(line)
        carry = full
    return out
