"""Bytes of an uploaded .txt/.md file → text, whatever Windows or WPS saved it as."""

from __future__ import annotations

import codecs

_BOMS = (
    # UTF-32 before UTF-16: the UTF-32-LE BOM starts with the UTF-16-LE one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16/32 with a BOM, else GB18030 (a superset of GBK).

    Never raises: bytes that are valid in none of these come out as U+FFFD, so the parser
    can still say what it could not read.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        # A UTF-8 text cut mid-character (a truncated upload) is still UTF-8, not GBK mojibake.
        if error.start >= len(data) - 3 and error.reason == "unexpected end of data":
            return data.decode("utf-8", errors="replace")
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace")
