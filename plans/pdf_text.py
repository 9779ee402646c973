"""A .pdf upload with a text layer → text: lines in reading order, table rows tab-separated.

pypdf's layout mode places each piece of text at its column on the page; a wide gap inside a
line is a table's cell boundary, so such a line becomes a tab-separated row. A line that runs
to the right margin was wrapped by the typesetter, so the next line continues it (an item's
title or its bracketed fields are not cut in two). A PDF without text (a scan) is refused:
there is nothing to read without OCR.
"""

from __future__ import annotations

import io
import logging
import re

from plans.numbering import read_marker

MAX_PAGES = 300
# Fewer visible characters than this in the whole file: a scan with at most a page number.
_MIN_TEXT = 10
# Spaces that separate table cells in layout text; a sentence never has three in a row.
_CELL_GAP = re.compile(r" {3,}")
# "- 3 -", "— 3 —", "第 3 页 共 9 页": page furniture, not plan text.
_PAGE_NUMBER = re.compile(
    r"[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
)
# A line this close (in layout columns) to the page's widest line ends at the right margin.
_FULL_SLACK = 3
_MIN_FULL_WIDTH = 20


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
    from pypdf.errors import PyPdfError

    # pypdf logs every oddity of a real-world file; the reader's own outcome is what counts.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise PdfError("the pdf is locked with a password")
        pages = list(reader.pages)
    except PdfError:
        raise
    except (PyPdfError, Exception) as error:  # pypdf raises many types on a damaged file
        raise PdfError(f"cannot read this .pdf: {error}") from error
    if len(pages) > max_pages:
        raise PdfTooLong(len(pages), max_pages)
    lines: list[str] = []
    for page in pages:
        lines.extend(page_lines(_layout_text(page)))
    text = "\n".join(_unwrap(lines))
    if sum(not ch.isspace() for ch in text) < _MIN_TEXT:
        raise PdfScanned("the pdf has no text layer")
    return text


def _layout_text(page: object) -> str:
    try:
        return page.extract_text(  # type: ignore[attr-defined]
            extraction_mode="layout", layout_mode_space_vertically=False
        )
    except Exception:  # a page layout mode cannot place still has plain text
        try:
            return page.extract_text()  # type: ignore[attr-defined]
        except Exception:  # a page that cannot be read at all adds nothing
            return ""


def page_lines(layout: str) -> list[tuple[str, bool]]:
    """One page's layout text → (line, reaches the right margin); wide gaps become tabs."""
    raw = [line.rstrip() for line in layout.splitlines()]
    plain = [line for line in raw if line.strip() and not _CELL_GAP.search(line.strip())]
    right = max((len(line) for line in plain), default=0)
    lines: list[tuple[str, bool]] = []
    for line in raw:
        stripped = line.strip()
        if not stripped or _PAGE_NUMBER.fullmatch(stripped):
            continue
        cells = _CELL_GAP.split(stripped)
        if len(cells) > 1:
            lines.append(("\t".join(cells), False))
        else:
            full = right >= _MIN_FULL_WIDTH and len(line) >= right - _FULL_SLACK
            lines.append((stripped, full))
    return lines


def _unwrap(lines: list[tuple[str, bool]]) -> list[str]:
    """Join each line that reached the right margin with the plain line after it."""
    out: list[str] = []
    carry = False
    for line, full in lines:
        tabbed = "\t" in line
        if carry and out and not tabbed and read_marker(line) is None:
            joiner = " " if out[-1][-1:].isascii() and line[:1].isascii() else ""
            out[-1] = out[-1] + joiner + line
        else:
            out.append(line)
        carry = full
    return out
