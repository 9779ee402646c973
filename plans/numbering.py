"""Item numbering markers at the start of a line: 一、 （一） 1. (1) ① and bullets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from plans.numerals import cn_to_int


class Style(StrEnum):
    """Marker families; 1. 1、 1． are one family, as are (1) （1） 1）."""

    CHINESE = "一、"
    CHINESE_PAREN = "（一）"
    ARABIC = "1."
    ARABIC_PAREN = "（1）"
    CIRCLED = "①"
    BULLET = "-"


@dataclass(frozen=True, slots=True)
class Marker:
    style: Style
    value: int
    # The line after the marker, stripped.
    rest: str
    # The marker as written, to put back when the line becomes content.
    text: str
    # False for "2.2021年度…" and "5，…": item 2 / 5 only when the numbers before say so.
    sure: bool = True


_CN = "一二三四五六七八九十"
_SP = r"[ \t\u3000]*"
_PATTERNS: tuple[tuple[Style, re.Pattern[str]], ...] = (
    (Style.CHINESE_PAREN, re.compile(rf"[（(]{_SP}([{_CN}]{{1,3}}){_SP}[）)]{_SP}[、.．，,]?")),
    (Style.ARABIC_PAREN, re.compile(rf"[（(]{_SP}(\d{{1,3}}){_SP}[）)]{_SP}[、.．]?")),
    (Style.CHINESE, re.compile(rf"([{_CN}]{{1,3}}){_SP}[、．.，,]")),
    # "10.15前完成" is a date, not item 10: a dot must not be followed by a digit.
    (Style.ARABIC, re.compile(rf"(\d{{1,4}}){_SP}(?:[、．]|\.(?!\d))")),
    (Style.ARABIC_PAREN, re.compile(rf"(\d{{1,3}}){_SP}[）)]")),
    (Style.ARABIC_PAREN, re.compile(r"([\u2474-\u2487])")),  # ⑴..⒇, one code point each
    (Style.CIRCLED, re.compile(r"([\u2460-\u2473\u2776-\u277f])")),  # ①..⑳, ❶..❿
    (Style.BULLET, re.compile(r"([-*+•●○■□◆◇▪►])[ \t\u3000]+")),
)
# Read as item numbers only in context (plans.runs): "2.2021年度…" could be the date "2.20",
# "3.5G…" a decimal, "5，…" a sentence starting with a number.
_TENTATIVE: tuple[tuple[Style, re.Pattern[str]], ...] = (
    # "10.15前完成" / "12.31日" are dates whatever the run of numbers says.
    (
        Style.ARABIC,
        re.compile(rf"(\d{{1,3}}){_SP}\.(?=\d)(?!\d{{1,2}}(?:[日号前后止底至~\-—，,\s]|$))"),
    ),
    (Style.ARABIC, re.compile(rf"(\d{{1,3}}){_SP}[，,]")),
)
_FIRST_CHARS = frozenset(
    _CN
    + "（("
    + "".join(map(chr, range(0x2460, 0x2488)))
    + "".join(map(chr, range(0x2776, 0x2780)))
    + "-*+•●○■□◆◇▪►"
)
# Markdown decoration people paste from chat clients or editors: "## 一、…", "**1. …**", "> …".
_DECORATION = re.compile(r"^(?:#{1,6}\s+|>\s*)+")


def strip_decoration(line: str) -> str:
    """Remove Markdown heading/quote marks and bold markers around a whole line."""
    line = _DECORATION.sub("", line.strip())
    if line.startswith("**") and line.count("**") >= 2:
        line = line.replace("**", "")
    return line.strip()


def read_marker(line: str, *, tentative: bool = False) -> Marker | None:
    """The numbering marker that starts the line, if any.

    tentative also gives the markers that are item numbers only when the run of numbers around
    them says so (Marker.sure is False for those).
    """
    if not line or not (line[0] in _FIRST_CHARS or line[0].isdecimal()):
        return None  # most lines; saves trying every pattern
    marker = _first_match(line, _PATTERNS, sure=True)
    if marker is None and tentative and line[0].isdecimal():
        marker = _first_match(line, _TENTATIVE, sure=False)
    return marker


def _first_match(
    line: str, patterns: tuple[tuple[Style, re.Pattern[str]], ...], *, sure: bool
) -> Marker | None:
    for style, pattern in patterns:
        match = pattern.match(line)
        if match is None:
            continue
        value = _value(style, match.group(1))
        if value is None:
            continue
        return Marker(style, value, line[match.end() :].strip(), match.group(0).strip(), sure)
    return None


def _value(style: Style, token: str) -> int | None:
    if style is Style.BULLET:
        return 0
    if len(token) == 1 and not token.isdecimal() and token not in _CN:
        code = ord(token)
        for first in (0x2460, 0x2474, 0x2776):
            if first <= code < first + 20:
                return code - first + 1
    value = cn_to_int(token)
    return value if value is not None and value > 0 else None
