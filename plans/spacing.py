"""Whitespace the way Chinese office text needs it: padding between CJK characters goes away."""

from __future__ import annotations

import re

# U+3000 (ideographic space), NBSP and friends pad names in Word documents ("董　军").
_SPACE_RUN = re.compile(r"[\s\u00a0\u2000-\u200b\u3000\ufeff]+")
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff]")


def is_cjk(ch: str) -> bool:
    """CJK ideographs and the full-width punctuation that sits among them."""
    code = ord(ch)
    return (
        0x3000 <= code <= 0x303F  # CJK punctuation: 、。「」
        or 0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF  # full-width forms: （），：；
        or 0x2018 <= code <= 0x201F  # curly quotes “ ” used as Chinese quotation marks
        or 0x2014 <= code <= 0x2015  # —— dash
        or code == 0x00B7  # middle dot in 中国梦·劳动美
        or 0x20000 <= code <= 0x3134F
    )


def squeeze(text: str) -> str:
    """Drop whitespace next to CJK text, collapse the rest to one space, strip the ends.

    "扎实开展 2020 年“扶贫日”活动" becomes "扎实开展2020年“扶贫日”活动": Chinese typesetting
    needs no spaces, and dropping them makes the same title compare equal however it was typed.
    Spaces between Latin words ("Word 2016 version") are kept.
    """
    text = _INVISIBLE.sub("", text)
    parts = _SPACE_RUN.split(text.strip(" \t\r\n\u00a0\u3000"))
    out = parts[0]
    for part in parts[1:]:
        if not part:
            continue
        if out and (is_cjk(out[-1]) or is_cjk(part[0])):
            out += part
        else:
            out += " " + part if out else part
    return out
