"""An uploaded plan file → text: which files are accepted, and why one is refused."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import PurePath

from plans.decode import decode_text
from plans.html_tables import HTML_SUFFIXES, html_to_text
from plans.ooxml import ArchiveError, ArchiveTooLarge
from plans.pdf_text import PdfError, PdfScanned, PdfTooLong, pdf_to_text
from plans.xlsx_text import xlsx_to_text

# A text file larger than this is not a plan; Office files and PDFs carry fonts and pictures.
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_PACKED_BYTES = 10 * 1024 * 1024
TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text", *HTML_SUFFIXES})
DOCX_SUFFIX = ".docx"
XLSX_SUFFIX = ".xlsx"
PDF_SUFFIX = ".pdf"
# Binary formats of old Word/Excel and of WPS: readable only after saving as .docx/.xlsx.
SAVE_AS_SUFFIXES = frozenset({".doc", ".wps", ".et", ".xls"})


class DocumentProblem(StrEnum):
    """Why a document cannot be imported; the bot words each one for the user."""

    EMPTY = "empty"
    TOO_LARGE = "too_large"
    UNSUPPORTED = "unsupported"
    SAVE_AS = "save_as"
    DOCX_TOO_LARGE = "docx_too_large"
    DOCX_BROKEN = "docx_broken"
    XLSX_TOO_LARGE = "xlsx_too_large"
    XLSX_BROKEN = "xlsx_broken"
    PDF_BROKEN = "pdf_broken"
    PDF_SCANNED = "pdf_scanned"
    PDF_TOO_LONG = "pdf_too_long"


class DocumentRefused(ValueError):
    """A refusal; `values` fill the placeholders of its sentence (a size, a suffix)."""

    def __init__(self, reason: DocumentProblem, detail: str = "", **values: object) -> None:
        super().__init__(f"{reason.value}: {detail}" if detail else reason.value)
        self.reason = reason
        self.values = values


def _archive(
    read: Callable[[bytes], str], too_large: DocumentProblem, broken: DocumentProblem
) -> Callable[[bytes], str]:
    def text(data: bytes) -> str:
        try:
            return read(data)
        except ArchiveTooLarge as error:
            raise DocumentRefused(too_large, str(error)) from None
        except ArchiveError as error:
            raise DocumentRefused(broken, str(error)) from None

    return text


def _docx_to_text(data: bytes) -> str:
    # python-docx and lxml load with the first .docx, not with every start of the bot.
    from plans.docx_text import docx_to_text

    return docx_to_text(data)


def _pdf(data: bytes) -> str:
    try:
        return pdf_to_text(data)
    except PdfScanned as error:
        raise DocumentRefused(DocumentProblem.PDF_SCANNED, str(error)) from None
    except PdfTooLong as error:
        raise DocumentRefused(DocumentProblem.PDF_TOO_LONG, str(error), pages=error.limit) from None
    except PdfError as error:
        raise DocumentRefused(DocumentProblem.PDF_BROKEN, str(error)) from None


_READERS: dict[str, Callable[[bytes], str]] = {
    DOCX_SUFFIX: _archive(
        _docx_to_text, DocumentProblem.DOCX_TOO_LARGE, DocumentProblem.DOCX_BROKEN
    ),
    XLSX_SUFFIX: _archive(
        xlsx_to_text, DocumentProblem.XLSX_TOO_LARGE, DocumentProblem.XLSX_BROKEN
    ),
    PDF_SUFFIX: _pdf,
    **dict.fromkeys(TEXT_SUFFIXES, decode_text),
    # After the plain texts: .html/.htm are text files whose tables need unpacking.
    **dict.fromkeys(HTML_SUFFIXES, lambda data: html_to_text(decode_text(data))),
}


def _suffix(filename: str) -> str:
    return PurePath(filename or "").suffix.lower()


def check_upload(filename: str, size: int) -> None:
    """Refuse before downloading: by name and by declared size."""
    suffix = _suffix(filename)
    if suffix in SAVE_AS_SUFFIXES:
        raise DocumentRefused(DocumentProblem.SAVE_AS, suffix, suffix=suffix)
    if suffix not in _READERS:
        raise DocumentRefused(DocumentProblem.UNSUPPORTED, suffix or "(no extension)")
    limit = MAX_FILE_BYTES if suffix in TEXT_SUFFIXES else MAX_PACKED_BYTES
    if size > limit:
        raise DocumentRefused(DocumentProblem.TOO_LARGE, f"{size} bytes", mb=limit // 1024 // 1024)


def document_text(filename: str, data: bytes) -> str:
    """The text of a .txt/.md (any common Chinese encoding), .docx, .xlsx or .pdf upload.

    Reading a large document takes a while: callers on an event loop run this in a thread.
    """
    check_upload(filename, len(data))
    text = _READERS[_suffix(filename)](data)
    if not text.strip():
        raise DocumentRefused(DocumentProblem.EMPTY)
    return text
