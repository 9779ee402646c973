"""What .docx and .xlsx uploads share: the zip-bomb guard, and how a table cell becomes text."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable

MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024
# A real document has a few dozen parts; thousands mean a crafted file.
MAX_MEMBERS = 2000
# How much is inflated (and packed input fed) per step: the most a refusal ever holds in memory.
_OUT_CHUNK = 64 * 1024
_IN_CHUNK = 16 * 1024
_LOCAL_HEADER = struct.Struct("<4s22xHH")
_LOCAL_MAGIC = b"PK\x03\x04"


class ArchiveError(ValueError):
    """The bytes are not an Office file this reader can open.

    `unpacked` is how many bytes were actually inflated before the refusal.
    """

    def __init__(self, message: str, *, unpacked: int = 0) -> None:
        super().__init__(message)
        self.unpacked = unpacked


class ArchiveTooLarge(ArchiveError):
    """Refused: the archive expands (or says it expands) beyond the limit."""

    def __init__(
        self, kind: str, size: int, limit: int = MAX_UNCOMPRESSED_BYTES, *, unpacked: int = 0
    ) -> None:
        super().__init__(
            f"{kind} would unpack to {size / 1024 / 1024:.1f} MB, more than the "
            f"{limit / 1024 / 1024:.0f} MB allowed",
            unpacked=unpacked,
        )
        self.size = size
        self.limit = limit


def check_archive_size(data: bytes, kind: str, limit: int = MAX_UNCOMPRESSED_BYTES) -> int:
    """Inflate every member in small steps, counting the bytes that actually come out; return
    their total, or raise ArchiveTooLarge past `limit` and ArchiveError when a member is not
    what its headers say (size, CRC, compression).

    Header sizes are only a first cut: zipfile's `read()` inflates a member whole before
    trimming it to the declared size, so a member whose headers say 2 KB and that holds
    400 MB took 400 MB of memory there. Once every member here came out exactly as declared,
    the readers (python-docx, openpyxl) can unpack the same bytes without surprise.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ArchiveError(f"not a {kind} file (not a zip archive)") from exc
    if len(infos) > MAX_MEMBERS:
        raise ArchiveError(f"not a {kind} file ({len(infos)} parts)")
    declared = sum(info.file_size for info in infos)
    if declared > limit:
        raise ArchiveTooLarge(kind, declared, limit)
    view = memoryview(data)
    unpacked = 0
    for info in infos:
        unpacked += _inflate(view, info, kind, limit - unpacked, unpacked)
    return unpacked


def _inflate(data: memoryview, info: zipfile.ZipInfo, kind: str, budget: int, before: int) -> int:
    """The number of bytes `info` really holds; refused as soon as it passes what its header
    declares or what is left of the limit."""

    def broken(why: str, read: int = 0) -> ArchiveError:
        return ArchiveError(f"not a {kind} file ({info.filename}: {why})", unpacked=before + read)

    if info.flag_bits & 0x1:
        raise broken("encrypted")
    start = info.header_offset
    header = bytes(data[start : start + _LOCAL_HEADER.size])
    if len(header) < _LOCAL_HEADER.size:
        raise broken("cut off")
    magic, name_length, extra_length = _LOCAL_HEADER.unpack(header)
    if magic != _LOCAL_MAGIC:
        raise broken("no local header")
    begin = start + _LOCAL_HEADER.size + name_length + extra_length
    packed = data[begin : begin + info.compress_size]
    # Whichever comes first: the member passing its declared size, or the archive its limit.
    cap = min(info.file_size, budget)
    if info.compress_type == zipfile.ZIP_STORED:
        if len(packed) != info.file_size:
            raise broken("size differs from its header")
        read, crc = len(packed), zlib.crc32(packed)
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        read, crc = 0, 0
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        for offset in range(0, max(len(packed), 1), _IN_CHUNK):
            pending = bytes(packed[offset : offset + _IN_CHUNK])
            while pending or not inflater.eof:
                try:
                    out = inflater.decompress(pending, _OUT_CHUNK)
                except zlib.error as error:
                    raise broken(str(error), read) from None
                read += len(out)
                if read > cap:
                    if read > budget:
                        raise ArchiveTooLarge(
                            kind, before + read, before + budget, unpacked=before + read
                        )
                    raise broken("holds more than its header says", read)
                crc = zlib.crc32(out, crc)
                pending = inflater.unconsumed_tail
                if not out and not pending:
                    break  # this slice is used up; the next one continues the stream
            if inflater.eof:
                break
        if not inflater.eof:
            raise broken("cut off", read)
    else:
        raise broken(f"compression method {info.compress_type}")
    if read != info.file_size or crc != info.CRC:
        raise broken("size or checksum differs from its header", read)
    return read


def cell_text(lines: Iterable[str]) -> str:
    """One table cell's lines as one tab-free text, joined with "；".

    A cell listing departments on separate lines still splits into separate departments.
    """
    cleaned = (" ".join(line.replace("\t", " ").split()).strip("；;。") for line in lines)
    return "；".join(line for line in cleaned if line)
