"""A .docx upload → plain text: paragraphs with their list numbers, tables as tab-separated rows."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from plans.docx_numbering import ListNumbers

MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024
# A real document has a few dozen parts; thousands mean a crafted file.
MAX_MEMBERS = 2000


class DocxError(ValueError):
    """The bytes are not a .docx this module can read."""


class DocxTooLarge(DocxError):
    """Refused before unpacking: the archive would expand beyond the limit."""

    def __init__(self, size: int, limit: int = MAX_UNCOMPRESSED_BYTES) -> None:
        super().__init__(
            f"docx would unpack to {size / 1024 / 1024:.1f} MB, more than the "
            f"{limit / 1024 / 1024:.0f} MB allowed"
        )
        self.size = size
        self.limit = limit


def check_docx_size(data: bytes, limit: int = MAX_UNCOMPRESSED_BYTES) -> None:
    """Raise DocxTooLarge when the zip's declared sizes add up to more than limit.

    Only the central directory is read. zipfile never yields more than a member's declared
    size, so a member that lies about it fails its CRC check instead of expanding.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise DocxError("not a .docx file (not a zip archive)") from error
    if len(infos) > MAX_MEMBERS:
        raise DocxError(f"not a .docx file ({len(infos)} parts)")
    total = sum(info.file_size for info in infos)
    if total > limit:
        raise DocxTooLarge(total, limit)


def docx_to_text(data: bytes, *, limit: int = MAX_UNCOMPRESSED_BYTES) -> str:
    """Text of the document body in order; each table row becomes one tab-separated line."""
    check_docx_size(data, limit)
    # Imported here so that text-only callers do not pay for python-docx and lxml.
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
        numbers = ListNumbers.of(document)
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                lines.append(numbers.prefix(block) + block.text)
            elif isinstance(block, Table):
                lines.extend(["", *_table_lines(block, numbers), ""])
    except DocxError:
        raise
    except Exception as error:  # python-docx raises many types on a damaged file
        raise DocxError(f"cannot read this .docx: {error}") from error
    return "\n".join(lines)


def _table_lines(table: Any, numbers: ListNumbers) -> list[str]:
    return ["\t".join(_cell_text(cell, numbers) for cell in row.cells) for row in table.rows]


def _cell_text(cell: Any, numbers: ListNumbers) -> str:
    # Paragraphs of one cell are joined with "；" so that a cell listing departments on
    # separate lines still splits into separate departments.
    parts = [numbers.prefix(p) + p.text for p in cell.paragraphs]
    for inner in cell.tables:
        parts.extend(_cell_text(c, numbers) for row in inner.rows for c in row.cells)
    cleaned = [" ".join(p.replace("\t", " ").split()).strip("；;。") for p in parts]
    return "；".join(p for p in cleaned if p)
