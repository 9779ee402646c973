"""Hostile uploads built on the spot, so the repository holds no bombs: a zip whose headers
lie about its size, XML with a billion laughs or an external entity."""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path
from typing import Any

MB = 1024 * 1024


# The part each reader opens first, which the lie is put in.
LYING_PART = {".docx": "word/document.xml", ".xlsx": "xl/worksheets/sheet1.xml"}


def lying_zip(suffix: str, inside: int, says: int) -> bytes:
    """A real-shaped .docx or .xlsx whose main part holds `inside` bytes of zeros while its
    local and central headers say `says` bytes, with the CRC of those first `says` bytes —
    the file that drove planbot to 888 MiB. zipfile writes it honestly; then the headers are
    patched."""
    part = LYING_PART[suffix]
    build = docx_with_doctype if suffix == ".docx" else xlsx_with_doctype
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(build("", "计划"))) as base,
        zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive,
    ):
        for info in base.infolist():
            if info.filename != part:
                archive.writestr(info.filename, base.read(info))
        with archive.open(part, "w") as member:
            chunk = b"\0" * MB
            for _ in range(inside // MB):
                member.write(chunk)
            member.write(b"\0" * (inside % MB))
    data = bytearray(buffer.getvalue())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        local = archive.getinfo(part).header_offset
    central = data.rindex(part.encode()) - 46  # the name follows a 46-byte central entry
    assert data[local : local + 4] == b"PK\x03\x04" and data[central : central + 4] == b"PK\x01\x02"
    crc = zlib.crc32(b"\0" * says)
    # Local header: CRC at 14, uncompressed size at 22; central entry: CRC at 16, size at 24.
    struct.pack_into("<I", data, local + 14, crc)
    struct.pack_into("<I", data, local + 22, says)
    struct.pack_into("<I", data, central + 16, crc)
    struct.pack_into("<I", data, central + 24, says)
    return bytes(data)


# What a child process runs to refuse one file: the refusal, the bytes it inflated, and its
# peak resident memory. VmHWM, not getrusage's ru_maxrss: exec keeps the larger of the two in
# ru_maxrss, and a child started by vfork would report the parent's (pytest's) peak instead.
_REFUSE_IN_CHILD = """
import json, sys
from plans.document import DocumentRefused, document_text
name, path = sys.argv[1], sys.argv[2]
data = open(path, "rb").read()
try:
    document_text(name, data)
    refused, unpacked = None, None
except DocumentRefused as error:
    cause = error.__context__
    refused, unpacked = error.reason.value, getattr(cause, "unpacked", None)
status = open("/proc/self/status").read()
peak = int(status.split("VmHWM:")[1].split()[0]) / 1024
print(json.dumps({"refused": refused, "unpacked": unpacked, "peak_mib": peak}))
"""


def refuse_in_child(name: str, data: bytes, folder: Path) -> dict[str, Any]:
    """Read `data` as an upload called `name` in a fresh Python; what came of it, and the
    child's peak RSS in MiB (the figure a hostile file drives the bot to)."""
    path = folder / name
    path.write_bytes(data)
    done = subprocess.run(
        [sys.executable, "-c", _REFUSE_IN_CHILD, name, str(path)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


_DOCX_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
_DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

BILLION_LAUGHS = (
    '<!DOCTYPE w:document [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
        for n in range(1, 10)
    )
    + "]>"
)


def docx_with_doctype(doctype: str, text: str) -> bytes:
    """A minimal .docx whose document.xml starts with `doctype` and has one paragraph `text`
    (which may use the doctype's entities)."""
    body = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{doctype}'
        f'<w:document xmlns:w="{_W}"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p>'
        "</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _DOCX_TYPES)
        archive.writestr("_rels/.rels", _DOCX_RELS)
        archive.writestr("word/document.xml", body)
    return buffer.getvalue()


def xlsx_with_doctype(doctype: str, text: str) -> bytes:
    """A one-cell .xlsx whose sheet XML starts with `doctype`, the cell an inline string
    `text` (which may use the doctype's entities)."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = "placeholder"
    saved = io.BytesIO()
    book.save(saved)
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(saved) as source,
        zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = (
                    f'<?xml version="1.0" encoding="UTF-8"?>{doctype}'
                    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                    'main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
                    f"{text}</t></is></c></row></sheetData></worksheet>"
                ).encode()
            archive.writestr(info.filename, data)
    return buffer.getvalue()
