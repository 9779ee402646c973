"""Word's automatic list numbers ("一、", "（1）"), which paragraph.text leaves out.

Without this, a plan typed with Word's numbering button arrives as unnumbered lines and none of
its items would be recognised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from docx.oxml.ns import qn

from plans.numerals import int_to_cn

_CHINESE_FORMATS = {
    "chineseCounting",
    "chineseCountingThousand",
    "chineseLegalSimplified",
    "ideographTraditional",
    "japaneseCounting",
    "taiwaneseCounting",
    "taiwaneseCountingThousand",
}
_MAX_LEVELS = 9
_VAL = qn("w:val")
_PPR = qn("w:pPr")
_PSTYLE = qn("w:pStyle")
_NUMPR = qn("w:numPr")
_NUMID = qn("w:numId")
_ILVL = qn("w:ilvl")
_STYLE = qn("w:style")
_STYLE_ID = qn("w:styleId")
_TYPE = qn("w:type")
_DEFAULT = qn("w:default")
_BASED_ON = qn("w:basedOn")


@dataclass(frozen=True, slots=True)
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


@dataclass(slots=True)
class ListNumbers:
    """Counts list paragraphs in document order and renders each one's number as Word shows it."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)
    starts: dict[tuple[str, int], int] = field(default_factory=dict)
    counters: dict[str, list[int | None]] = field(default_factory=dict)
    styles: StyleNumbers = field(default_factory=lambda: StyleNumbers())

    @classmethod
    def of(cls, document: Any) -> ListNumbers:
        """The list definitions of a python-docx Document (numbering and styles parts)."""
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return cls()
        try:
            styles = document.part.styles.element
        except (KeyError, NotImplementedError, AttributeError):
            styles = None
        abstract = {
            a.get(qn("w:abstractNumId")): _levels(a) for a in root.findall(qn("w:abstractNum"))
        }
        numbers = cls(styles=StyleNumbers.of(styles))
        for num in root.findall(qn("w:num")):
            num_id = num.get(qn("w:numId"))
            ref = num.find(qn("w:abstractNumId"))
            if num_id is None or ref is None:
                continue
            numbers.levels[num_id] = abstract.get(ref.get(qn("w:val")), {})
            for override in num.findall(qn("w:lvlOverride")):
                start = override.find(qn("w:startOverride"))
                if start is not None:
                    level = _int(override.get(qn("w:ilvl")), 0)
                    numbers.starts[(num_id, level)] = _int(start.get(qn("w:val")), 1)
        return numbers

    def prefix(self, p: Any) -> str:
        """The number Word displays before this <w:p> element, or "" when it is not in a list."""
        if not self.levels:
            return ""
        num_id, level = self.styles.num_pr(p)
        if num_id is None or num_id == "0" or num_id not in self.levels:
            return ""
        level = min(max(level, 0), _MAX_LEVELS - 1)
        definition = self.levels[num_id].get(level, _Level())
        counters = self.counters.setdefault(num_id, [None] * _MAX_LEVELS)
        start = self.starts.get((num_id, level), definition.start)
        current = counters[level]
        counters[level] = start if current is None else current + 1
        for deeper in range(level + 1, _MAX_LEVELS):
            counters[deeper] = None
        if definition.fmt == "bullet":
            return "• "
        text = definition.text
        for n in range(level, -1, -1):
            value = counters[n] if counters[n] is not None else start
            fmt = self.levels[num_id].get(n, _Level()).fmt
            text = text.replace(f"%{n + 1}", _format(fmt, value or 0))
        return text if text.endswith((" ", "\t")) else text + " "


def _levels(abstract: Any) -> dict[int, _Level]:
    levels = {}
    for lvl in abstract.findall(qn("w:lvl")):
        fmt = lvl.find(qn("w:numFmt"))
        text = lvl.find(qn("w:lvlText"))
        start = lvl.find(qn("w:start"))
        levels[_int(lvl.get(qn("w:ilvl")), 0)] = _Level(
            fmt=fmt.get(qn("w:val"), "decimal") if fmt is not None else "decimal",
            text=text.get(qn("w:val"), "") if text is not None else "",
            start=_int(start.get(qn("w:val")), 1) if start is not None else 1,
        )
    return levels


_NumPr = tuple[str | None, int]
_NONE: _NumPr = (None, 0)


@dataclass(slots=True)
class StyleNumbers:
    """Which list each paragraph style puts its paragraphs in, resolved once per style.

    Looking a style up per paragraph through python-docx walks the style list each time,
    which made long documents slow; here every style's basedOn chain is followed once.
    """

    own: dict[str, _NumPr | None] = field(default_factory=dict)
    based_on: dict[str, str] = field(default_factory=dict)
    default: str | None = None
    resolved: dict[str | None, _NumPr] = field(default_factory=dict)

    @classmethod
    def of(cls, styles: Any) -> StyleNumbers:
        found = cls()
        if styles is None:
            return found
        for style in styles.iterfind(_STYLE):
            style_id = style.get(_STYLE_ID)
            if style_id is None or style.get(_TYPE, "paragraph") != "paragraph":
                continue
            found.own[style_id] = _own_num_pr(style.find(_PPR))
            base = style.find(_BASED_ON)
            if base is not None and base.get(_VAL):
                found.based_on[style_id] = base.get(_VAL)
            if style.get(_DEFAULT) in ("1", "true", "on") and found.default is None:
                found.default = style_id
        return found

    def num_pr(self, p: Any) -> _NumPr:
        """numId and level from the paragraph, else from its style or the styles it is based on."""
        # Children are scanned by hand: pPr comes first in a paragraph, and lxml's find()
        # costs more than the rest of reading a paragraph.
        style_id = None
        ppr = p[0] if len(p) else None
        if ppr is not None and ppr.tag == _PPR:
            for child in ppr:
                if child.tag == _NUMPR:
                    return _read_num_pr(child)
                if child.tag == _PSTYLE:
                    style_id = child.get(_VAL)
        if style_id not in self.own:
            style_id = self.default
        return self._of_style(style_id)

    def _of_style(self, style_id: str | None) -> _NumPr:
        if style_id in self.resolved:
            return self.resolved[style_id]
        result, current = _NONE, style_id
        for _ in range(10):  # a basedOn chain; bounded in case a document loops it
            if current is None:
                break
            own = self.own.get(current)
            if own is not None:
                result = own
                break
            current = self.based_on.get(current)
        self.resolved[style_id] = result
        return result


def _own_num_pr(ppr: Any) -> _NumPr | None:
    num_pr = ppr.find(_NUMPR) if ppr is not None else None
    return None if num_pr is None else _read_num_pr(num_pr)


def _read_num_pr(num_pr: Any) -> _NumPr:
    num_id = num_pr.find(_NUMID)
    ilvl = num_pr.find(_ILVL)
    return (
        num_id.get(_VAL) if num_id is not None else None,
        _int(ilvl.get(_VAL), 0) if ilvl is not None else 0,
    )


def _format(fmt: str, value: int) -> str:
    if fmt in _CHINESE_FORMATS and 0 <= value <= 99:
        return int_to_cn(value)
    if fmt.startswith("decimalEnclosedCircle") and 1 <= value <= 20:
        return chr(0x2460 + value - 1)
    if fmt == "decimalEnclosedParen" and 1 <= value <= 20:
        return chr(0x2474 + value - 1)
    if fmt in ("lowerLetter", "upperLetter") and value >= 1:
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt in ("lowerRoman", "upperRoman") and 1 <= value < 4000:
        roman = _roman(value)
        return roman.lower() if fmt == "lowerRoman" else roman
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(d) + 0xFEE0) for d in str(value))
    return str(value)


def _roman(value: int) -> str:
    out = ""
    for number, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        while value >= number:
            out += letters
            value -= number
    return out


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default
