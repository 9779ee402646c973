"""HTML → plan text: a .html page, or a raw <table> pasted into a .md/.txt, as lines and tab rows.

Tables come out as tab-separated rows (the form a .docx table or a copy from Excel takes), so
one table reader serves every format. A cell merged across rows or columns (rowspan/colspan)
repeats its text in every cell it covers: a leader shared by three tasks leads each of them.
Only the standard library's html.parser is used; malformed markup never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

HTML_SUFFIXES = frozenset({".html", ".htm"})

_TABLE_TAG = re.compile(r"<(/?)table\b[^>]*>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
# Tags that end a line of text (outside tables) or a paragraph inside a cell.
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl",
        "dt", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
        "main", "nav", "ol", "p", "pre", "section", "title", "ul",
    }
)  # fmt: skip
_HIDDEN = frozenset({"script", "style", "template", "noscript"})
# Merged cells larger than any plan table are markup errors, not layouts.
_MAX_COLSPAN = 100
_MAX_ROWSPAN = 1000
_MAX_COLUMNS = 200
_CELL_EDGES = " \u3000；;。"


def html_to_text(html: str) -> str:
    """The text of an HTML document: one line per paragraph, each table row tab-separated."""
    reader = _Reader()
    try:
        reader.feed(html)
        reader.close()
    except Exception:  # html.parser raises AssertionError on some broken declarations
        pass
    reader.finish()
    return _tidy("".join(reader.out))


def expand_html_tables(text: str) -> str:
    """Text with every raw <table>…</table> replaced by its rows (tab-separated lines)."""
    if "<table" not in text.lower():
        return text
    parts: list[str] = []
    done = 0
    depth = 0
    start = 0
    for match in _TABLE_TAG.finditer(text):
        closing = bool(match.group(1))
        if not closing:
            if depth == 0:
                start = match.start()
            depth += 1
        elif depth > 0:
            depth -= 1
            if depth == 0:
                parts += [text[done:start], "\n", html_to_text(text[start : match.end()]), "\n"]
                done = match.end()
    if depth > 0:  # a table never closed runs to the end of the text
        parts += [text[done:start], "\n", html_to_text(text[start:]), "\n"]
        done = len(text)
    parts.append(text[done:])
    return "".join(parts)


@dataclass(slots=True)
class _Grid:
    """The outermost table being read: finished rows, the current row, pending row spans."""

    rows: list[list[str]] = field(default_factory=list)
    row: list[str] | None = None
    col: int = 0
    # Column → (rows still covered, text) for cells merged downwards.
    below: dict[int, tuple[int, str]] = field(default_factory=dict)
    cell: list[str] | None = None
    span: tuple[int, int] = (1, 1)
    caption: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.grid: _Grid | None = None
        # Tables inside a cell of the table being read: their text joins that cell.
        self.inner = 0
        self.hidden = 0
        self.pre = 0
        # Numbers of the open ordered lists (None for <ul>), so "<ol><li>" keeps its "1.".
        self.lists: list[int | None] = []

    # -- tags ------------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag == "table":
            if self.grid is None:
                self._line()
                self.grid = _Grid()
            else:
                self.inner += 1
                self._cell_break()
        elif self.grid is not None and self.inner == 0 and tag == "tr":
            self._end_row()
            self.grid.row = []
            self.grid.col = 0
        elif self.grid is not None and self.inner == 0 and tag in ("td", "th"):
            self._end_cell()
            if self.grid.row is None:
                self.grid.row = []
                self.grid.col = 0
            values = dict(attrs)
            self.grid.span = (
                _span(values.get("rowspan"), _MAX_ROWSPAN),
                _span(values.get("colspan"), _MAX_COLSPAN),
            )
            self.grid.cell = []
        else:
            self._block_tag(tag, attrs, opening=True)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag == "table":
            if self.inner > 0:
                self.inner -= 1
                self._cell_break()
            elif self.grid is not None:
                self._end_table()
        elif self.grid is not None and self.inner == 0 and tag == "tr":
            self._end_row()
        elif self.grid is not None and self.inner == 0 and tag in ("td", "th"):
            self._end_cell()
        else:
            self._block_tag(tag, [], opening=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS or tag in ("td", "th", "tr"):
            self._break()

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        # &nbsp; pads cells and list numbers in pages saved from Word: plain space here.
        data = data.replace("\u00a0", " ")
        if not self.pre:
            data = _SPACES.sub(" ", data)
        grid = self.grid
        if grid is None:
            self.out.append(data)
        elif grid.cell is not None:
            grid.cell.append(data.replace("\t", " ").replace("\n", "；"))
        elif data.strip():
            grid.caption.append(data.strip())

    def finish(self) -> None:
        if self.grid is not None:
            self._end_table()

    # -- text outside tables ---------------------------------------------------------------
    def _block_tag(self, tag: str, attrs: list[tuple[str, str | None]], *, opening: bool) -> None:
        if tag == "pre":
            self.pre = self.pre + 1 if opening else max(0, self.pre - 1)
        if tag in ("ol", "ul"):
            if opening:
                start = dict(attrs).get("start") or "1"
                self.lists.append(int(start) if tag == "ol" and start.isdecimal() else None)
            elif self.lists:
                self.lists.pop()
        if tag in _BLOCKS or (self.grid is not None and tag in ("td", "th", "tr")):
            self._break()
        if opening and tag == "li" and self.lists and self.lists[-1] is not None:
            number = self.lists[-1]
            self.lists[-1] = number + 1
            mark = f"{number}." if len(self.lists) == 1 else f"（{number}）"
            self.handle_data(mark)

    def _break(self) -> None:
        if self.grid is None:
            self._line()
        else:
            self._cell_break()

    def _line(self) -> None:
        self.out.append("\n")

    # -- the table -------------------------------------------------------------------------
    def _cell_break(self) -> None:
        if self.grid is not None and self.grid.cell is not None:
            self.grid.cell.append("；")

    def _end_cell(self) -> None:
        grid = self.grid
        if grid is None or grid.cell is None or grid.row is None:
            return
        parts = (part.strip(_CELL_EDGES) for part in "".join(grid.cell).split("；"))
        text = "；".join(part for part in parts if part)
        grid.cell = None
        rowspan, colspan = grid.span
        _fill_below(grid, grid.row)
        for _ in range(colspan):
            if grid.col >= _MAX_COLUMNS:
                break
            _put(grid, grid.row, text)
            if rowspan > 1:
                grid.below[grid.col - 1] = (rowspan - 1, text)
            _fill_below(grid, grid.row)

    def _end_row(self) -> None:
        grid = self.grid
        if grid is None or grid.row is None:
            return
        self._end_cell()
        for col in sorted(c for c in grid.below if c >= grid.col):
            if col in grid.below:
                grid.col = col
                _fill_below(grid, grid.row)
        if any(grid.row):
            grid.rows.append(grid.row)
        grid.row = None
        grid.col = 0

    def _end_table(self) -> None:
        grid = self.grid
        if grid is None:
            return
        self._end_row()
        self.grid = None
        width = max((len(row) for row in grid.rows), default=0)
        lines = [" ".join(grid.caption)] if grid.caption else []
        # Every row as wide as the widest, so a one-cell title row stays a row of the table.
        lines += ["\t".join(row + [""] * (width - len(row))) for row in grid.rows]
        self.out.append("\n\n" + "\n".join(lines) + "\n\n")


def _put(grid: _Grid, row: list[str], text: str) -> None:
    """`text` in the grid's current column of `row` (the open row), then move right."""
    while len(row) < grid.col:
        row.append("")
    row.append(text)
    grid.col += 1


def _fill_below(grid: _Grid, row: list[str]) -> None:
    """Cells covered by a merged cell from a row above take its text."""
    while grid.col in grid.below:
        left, text = grid.below.pop(grid.col)
        _put(grid, row, text)
        if left > 1:
            grid.below[grid.col - 1] = (left - 1, text)


def _span(value: str | None, limit: int) -> int:
    digits = (value or "").strip()
    if not digits.isdecimal():
        return 1
    number = int(digits[:6])
    return limit if number == 0 else max(1, min(number, limit))


def _tidy(text: str) -> str:
    """Lines without padding, no blank lines but one on each side of a table."""
    lines: list[str] = []
    for line in text.split("\n"):
        row = "\t" in line
        line = line.strip(" \u3000\u00a0") if row else line.strip()
        if not line:
            continue
        if lines and lines[-1] and ("\t" in lines[-1]) != row:
            lines.append("")
        lines.append(line)
    return "\n".join(lines)
