"""The month as an office document: the summary draft, then the plan's status table.

Fonts are named in the styles, East Asian and Latin separately (仿宋 body, 黑体 headings, 宋体
title and table, Times New Roman for Latin), as the office's own documents do; Word falls back
to a font it has when one is missing, but never to one without Chinese.
"""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import CharacterStyle
from docx.table import _Row

from bot.exports.common import TABLE_COLUMNS, column_titles, month_name, plan_rows
from bot.exports.evidence import item_files_lines
from bot.i18n import t
from plans.bulletin import BulletinText
from plans.summary import MonthReport, SummaryDraft

LATIN_FONT = "Times New Roman"
BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
TITLE_FONT = "宋体"
TABLE_FONT = "宋体"
TABLE_STYLE = "Plan Table Text"

# Landscape A4 leaves 24.7 cm between 2.5 cm margins; the title column takes what is left.
_WIDTHS_CM = {
    "seq": 1.2,
    "title": 8.0,
    "leaders": 2.5,
    "departments": 4.0,
    "deadline": 3.0,
    "status": 3.5,
    "done_on": 2.5,
}
_THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def set_fonts(
    style: CharacterStyle,
    east_asian: str,
    size: float,
    *,
    bold: bool = False,
    latin: str = LATIN_FONT,
) -> None:
    """Name both fonts on a style; theme fonts are dropped because Word prefers them."""
    font = style.font
    font.name = latin
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = RGBColor(0, 0, 0)
    r_fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in _THEME_ATTRIBUTES:
        r_fonts.attrib.pop(qn(attribute), None)
    r_fonts.set(qn("w:eastAsia"), east_asian)
    r_fonts.set(qn("w:cs"), latin)


def _styles(document: DocxDocument) -> None:
    styles = document.styles
    set_fonts(styles["Normal"], BODY_FONT, 16)
    set_fonts(styles["Title"], TITLE_FONT, 22, bold=True)
    set_fonts(styles["Heading 1"], HEADING_FONT, 16)
    set_fonts(styles["Heading 2"], HEADING_FONT, 16)
    title_format = styles["Title"].paragraph_format
    title_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title_format.space_after = Pt(12)
    # The default Title has a blue rule under it; an office title has none.
    p_pr = styles["Title"].element.get_or_add_pPr()
    for border in p_pr.findall(qn("w:pBdr")):
        p_pr.remove(border)
    for name in ("Heading 1", "Heading 2"):
        styles[name].paragraph_format.space_before = Pt(12)
        styles[name].paragraph_format.space_after = Pt(6)
    table_text = styles.add_style(TABLE_STYLE, 1)  # 1 = paragraph style
    table_text.base_style = styles["Normal"]
    set_fonts(table_text, TABLE_FONT, 10.5)


def _a4(section: Section, *, landscape: bool) -> None:
    short, long = Cm(21.0), Cm(29.7)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))


def _repeat_header(row: _Row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _bulletin_section(document: DocxDocument, bulletin: BulletinText) -> None:
    """The month's 通报 (issue 16 §5) on a page of its own, as /bulletin words it."""
    document.add_page_break()
    document.add_paragraph(bulletin.title, style="Title")
    for kind, text in bulletin.blocks:
        style = "Heading 2" if kind == "heading" else None
        paragraph = document.add_paragraph(text, style=style)
        if kind == "paragraph":
            paragraph.paragraph_format.first_line_indent = Pt(32)


def summary_docx(
    report: MonthReport,
    draft: SummaryDraft,
    *,
    locale: str,
    today: date,
    bulletin: BulletinText | None = None,
) -> bytes:
    document = Document()
    _styles(document)
    _a4(document.sections[0], landscape=False)

    for kind, text in draft.blocks():
        if kind == "title":
            document.add_paragraph(text, style="Title")
        elif kind == "heading":
            document.add_paragraph(text, style="Heading 1")
        else:
            paragraph = document.add_paragraph(text)
            # Two characters' indent, the way Chinese paragraphs open.
            paragraph.paragraph_format.first_line_indent = Pt(32)
    if bulletin is not None:
        _bulletin_section(document, bulletin)

    _a4(document.add_section(WD_SECTION.NEW_PAGE), landscape=True)
    heading = t(locale, "export.table_heading", month=month_name(report, locale))
    document.add_paragraph(heading, style="Heading 2")
    rows = plan_rows(report, locale, today)
    table = document.add_table(rows=1, cols=len(TABLE_COLUMNS))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _repeat_header(table.rows[0])
    for cell, title in zip(table.rows[0].cells, column_titles(locale), strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(title)
        run.bold = True
        cell.paragraphs[0].style = document.styles[TABLE_STYLE]
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row.cells(), strict=True):
            cell.text = value
            cell.paragraphs[0].style = document.styles[TABLE_STYLE]
    for column, name in zip(table.columns, TABLE_COLUMNS, strict=True):
        for cell in column.cells:
            cell.width = Cm(_WIDTHS_CM[name])

    # Evidence (佐证材料): each item's files named under it, after the table.
    evidence = item_files_lines(report.items, locale)
    if evidence:
        document.add_paragraph(t(locale, "export.evidence.heading"), style="Heading 2")
        for line in evidence:
            document.add_paragraph(line)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
