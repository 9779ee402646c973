"""An uploaded plan file → text: which files are accepted, and why one is refused."""

from __future__ import annotations

from enum import StrEnum
from pathlib import PurePath

from plans.decode import decode_text
from plans.docx_text import docx_to_text
from plans.ooxml import ArchiveError, ArchiveTooLarge

MAX_FILE_BYTES = 2 * 1024 * 1024
TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text"})
DOCX_SUFFIX = ".docx"


class Refusal(StrEnum):
    """Why a document cannot be imported; the bot words each one for the user."""

    EMPTY = "empty"
    TOO_LARGE = "too_large"
    UNSUPPORTED = "unsupported"
    DOCX_TOO_LARGE = "docx_too_large"
    DOCX_BROKEN = "docx_broken"


class DocumentRefused(ValueError):
    def __init__(self, reason: Refusal, detail: str = "") -> None:
        super().__init__(f"{reason.value}: {detail}" if detail else reason.value)
        self.reason = reason


def check_upload(filename: str, size: int) -> None:
    """Refuse before downloading: by name and by declared size."""
    suffix = PurePath(filename or "").suffix.lower()
    if suffix not in TEXT_SUFFIXES and suffix != DOCX_SUFFIX:
        raise DocumentRefused(Refusal.UNSUPPORTED, suffix or "(no extension)")
    if size > MAX_FILE_BYTES:
        raise DocumentRefused(Refusal.TOO_LARGE, f"{size} bytes")


def document_text(filename: str, data: bytes) -> str:
    """The text of a .txt/.md (any common Chinese encoding) or .docx (tables included)."""
    check_upload(filename, len(data))
    if PurePath(filename).suffix.lower() == DOCX_SUFFIX:
        try:
            text = docx_to_text(data)
        except ArchiveTooLarge as error:
            raise DocumentRefused(Refusal.DOCX_TOO_LARGE, str(error)) from None
        except ArchiveError as error:
            raise DocumentRefused(Refusal.DOCX_BROKEN, str(error)) from None
    else:
        text = decode_text(data)
    if not text.strip():
        raise DocumentRefused(Refusal.EMPTY)
    return text
