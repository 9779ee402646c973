"""What .docx and .xlsx uploads share: the zip-bomb guard, and how a table cell becomes text."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024
# A real document has a few dozen parts; thousands mean a crafted file.
MAX_MEMBERS = 2000


class ArchiveError(ValueError):
    """The bytes are not an Office file this reader can open."""


class ArchiveTooLarge(ArchiveError):
    """Refused before unpacking: the archive would expand beyond the limit."""

    def __init__(self, kind: str, size: int, limit: int = MAX_UNCOMPRESSED_BYTES) -> None:
        super().__init__(
            f"{kind} would unpack to {size / 1024 / 1024:.1f} MB, more than the "
            f"{limit / 1024 / 1024:.0f} MB allowed"
        )
        self.size = size
        self.limit = limit


def check_archive_size(data: bytes, kind: str, limit: int = MAX_UNCOMPRESSED_BYTES) -> None:
    """Raise ArchiveTooLarge when the zip's declared sizes add up to more than limit.

    Only the central directory is read. zipfile never yields more than a member's declared
    size, so a member that lies about it fails its CRC check instead of expanding.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ArchiveError(f"not a {kind} file (not a zip archive)") from exc
    if len(infos) > MAX_MEMBERS:
        raise ArchiveError(f"not a {kind} file ({len(infos)} parts)")
    total = sum(info.file_size for info in infos)
    if total > limit:
        raise ArchiveTooLarge(kind, total, limit)


def cell_text(lines: Iterable[str]) -> str:
    """One table cell's lines as one tab-free text, joined with "；".

    A cell listing departments on separate lines still splits into separate departments.
    """
    cleaned = (" ".join(line.replace("\t", " ").split()).strip("；;。") for line in lines)
    return "；".join(line for line in cleaned if line)
