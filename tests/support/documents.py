"""Office files and PDFs for tests, built from JSON recipes so the repository holds no binaries.

`build(Path("x/NAME.xlsx.json"))` returns ("NAME.xlsx", bytes of the workbook). Recipes:

.xlsx  {"sheets": [{"name": "任务分解", "rows": [["序号", "工作任务"], [1, "…"]],
                    "merged": ["A1:E1"], "hidden": false}]}
       Cells are strings or numbers; "2023-06-30" style dates stay text unless written as
       {"date": "2023-06-30"}. The first sheet listed is the first in the workbook.
.docx  {"body": ["a paragraph", {"list": "a paragraph in Word's 1. 2. 3. list"},
                 {"table": [["序号", "工作任务"], ["1", "…"]], "merged": ["A1:B1"]}]}
.pdf   {"body": ["a paragraph, wrapped at the right margin", {"table": [[…], […]]}],
        "font_size": 11}
       Text is set in the CJK font that mplfonts ships (SimHei), embedded with its text layer.
"""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path
from typing import Any


def build(recipe: Path) -> tuple[str, bytes]:
    """The file a recipe describes: (its name without ".json", its bytes)."""
    name = recipe.name.removesuffix(".json")
    spec = json.loads(recipe.read_text(encoding="utf-8"))
    suffix = Path(name).suffix.lower()
    builders = {".xlsx": xlsx_bytes, ".docx": docx_bytes, ".pdf": pdf_bytes}
    if suffix not in builders:
        raise ValueError(f"{recipe}: no builder for {suffix!r}")
    return name, builders[suffix](spec)


def xlsx_bytes(spec: dict[str, Any]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet_spec in spec["sheets"]:
        sheet = book.create_sheet(sheet_spec.get("name", f"Sheet{len(book.worksheets) + 1}"))
        for row in sheet_spec.get("rows", []):
            sheet.append([_cell(value) for value in row])
        for cells in sheet_spec.get("merged", []):
            sheet.merge_cells(cells)
        if sheet_spec.get("hidden"):
            sheet.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, dict) and "date" in value:
        return date.fromisoformat(value["date"])
    return None if value == "" else value


def docx_bytes(spec: dict[str, Any]) -> bytes:
    import docx

    document = docx.Document()
    for block in spec["body"]:
        if isinstance(block, str):
            document.add_paragraph(block)
        elif "list" in block:
            document.add_paragraph(block["list"], style="List Number")
        elif "table" in block:
            _docx_table(document, block["table"], block.get("merged", []))
        else:
            raise ValueError(f"unknown .docx block {block!r}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def long_docx(paragraphs: list[str], style: str | None = None) -> bytes:
    """A .docx of many paragraphs, written as XML: python-docx's add_paragraph slows down as
    the document grows (50,000 paragraphs take over a minute), this takes a second."""
    import zipfile
    from xml.sax.saxutils import escape

    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    body = "".join(f"<w:p>{ppr}<w:r><w:t>{escape(text)}</w:t></w:r></w:p>" for text in paragraphs)
    xml = parts["word/document.xml"]
    at = xml.rindex(b"<w:sectPr")
    parts["word/document.xml"] = xml[:at] + body.encode() + xml[at:]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def _docx_table(document: Any, rows: list[list[Any]], merged: list[str]) -> None:
    from openpyxl.utils.cell import range_boundaries

    width = max(len(row) for row in rows)
    table = document.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = str(value)
    for cells in merged:
        left, top, right, bottom = range_boundaries(cells)
        # python-docx keeps the top-left text and appends the others; keep only the first.
        text = table.cell(top - 1, left - 1).text
        table.cell(top - 1, left - 1).merge(table.cell(bottom - 1, right - 1)).text = text


def pdf_bytes(spec: dict[str, Any]) -> bytes:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.add_font("cjk", fname=str(cjk_font()))
    size = spec.get("font_size", 11)
    pdf.set_font("cjk", size=size)
    line_height = size * 0.6
    for block in spec["body"]:
        if isinstance(block, str):
            pdf.multi_cell(0, line_height, text=block, new_x="LMARGIN", new_y="NEXT")
        elif "table" in block:
            # Word aligns table cells at the top; so does this table.
            style = FontFace(emphasis="")
            with pdf.table(headings_style=style, v_align="TOP") as table:
                for row in block["table"]:
                    cells = table.row()
                    for value in row:
                        cells.cell(str(value))
        else:
            raise ValueError(f"unknown .pdf block {block!r}")
    return bytes(pdf.output())


def cjk_font() -> Path:
    """A TrueType font with Chinese glyphs: SimHei, shipped inside the mplfonts wheel."""
    import mplfonts

    return Path(mplfonts.__file__).parent / "fonts" / "SimHei.ttf"
