"""How far an item is, as people write it: `60%`, `６０％`, `60 %`, `进度60%`, `完成六成`,
`百分之五十`, `一半`; and what follows it, the note.

Rules (what /progress and a reply to a reminder both use):

- The percentage comes first, after an optional lead word (进度, 进展, 完成, 已完成, 完成了,
  已达, 达到, 目前, 当前 …; `进度：60%`). Later in the text a number is the note's
  (`初稿已完成，涉及2个单位`).
- Forms: digits with % or ％ (decimals rounded: `60.5%`), 百分之 + a number (`百分之五十`,
  `百分之百`), 一..十 or 1..10 + 成 (`六成` = 60), `一半` = 50, and a bare number standing alone
  as a word (`75`, `75 初稿`) — but not one glued to text (`2个单位` is a note).
- Words that say "much of it" without a number (过半, 大半, 多半, 近半, 大部分, 基本完成) give no
  percentage: the whole text is the note and `vague` is set, so the bot can say it recorded a
  note and ask for a number.
- Below 0, above 100, or a sign (`+5%` is ambiguous: 5% or 5 more?) is refused (BadPercent).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from plans.numbers import narrow, read_digits, read_number


@dataclass(frozen=True, slots=True)
class ProgressReport:
    # None: no percentage, only a note.
    percent: int | None
    note: str
    # The note says "much of it" in words (过半): no number, worth saying so.
    vague: bool = False


@dataclass(frozen=True, slots=True)
class BadPercent:
    # The percentage as written ("150%"), for the answer to quote.
    value: str


_LEAD = re.compile(
    r"(?:目前|当前|现在|现已|截至目前)?\s*"
    r"(?:(?P<word>完成进度|进度已达|进度已|进度为|进度|进展|完成度|完成率|已经完成|已完成|完成了|完成|已达到|已达|达到|约|大约|已)"
    r"\s*[:：为]?\s*)?"
)
_DIGIT_PERCENT = re.compile(r"(?P<sign>[+-]?)(?P<n>[0-9]+(?:\.[0-9]+)?)\s*[%]")
_WORD_PERCENT = re.compile(r"百分之(?P<n>[0-9]+|[〇零一二两三四五六七八九十百]+)")
_TENTHS = re.compile(r"(?P<n>10|[1-9]|十|[一二两三四五六七八九])\s*成(?!果|绩|立|员|本|效|熟|功)")
_HALF = re.compile(r"一半")
_BARE = re.compile(r"(?P<sign>[+-]?)(?P<n>[0-9]+(?:\.[0-9]+)?)(?=\s|$)")
_VAGUE = re.compile(r"过半|超过一半|一大半|大半|多半|近半|将近一半|大部分|基本完成|接近完成|差不多")
_SEPARATORS = re.compile(r"^[\s,，、;；。.:：!！]+")
_MAX_DIGITS = 6


def read_progress(text: str) -> ProgressReport | BadPercent | None:
    """The percentage and note `text` gives; None when it is empty (after trimming)."""
    text = text.strip()
    if not text:
        return None
    s = narrow(text)
    lead = _LEAD.match(s)
    pos = lead.end() if lead else 0
    if _VAGUE.match(s, pos) is not None:
        return ProgressReport(None, text, vague=True)
    found = _percent_at(s, pos, bare=lead is None or not lead["word"] or lead["word"] == "进度")
    if found is None:
        return ProgressReport(None, text)
    if isinstance(found, BadPercent):
        return found
    percent, end = found
    return ProgressReport(percent, _SEPARATORS.sub("", text[end:]).strip())


def _percent_at(s: str, pos: int, *, bare: bool) -> tuple[int, int] | BadPercent | None:
    if (m := _DIGIT_PERCENT.match(s, pos)) is not None:
        return _checked(m["sign"], m["n"], f"{m['sign']}{m['n']}%", m.end())
    if (m := _WORD_PERCENT.match(s, pos)) is not None:
        value = read_number(m["n"])
        if value is None:
            return None
        return (value, m.end()) if value <= 100 else BadPercent(m.group())
    if (m := _TENTHS.match(s, pos)) is not None:
        tenths = read_number(m["n"])
        return (tenths * 10, m.end()) if tenths is not None else None
    if (m := _HALF.match(s, pos)) is not None:
        return 50, m.end()
    if bare and (m := _BARE.match(s, pos)) is not None:
        return _checked(m["sign"], m["n"], f"{m['sign']}{m['n']}%", m.end())
    return None


def _checked(sign: str, number: str, typed: str, end: int) -> tuple[int, int] | BadPercent:
    whole, _, fraction = number.partition(".")
    value = read_digits(whole)
    if sign or value is None or len(whole) > _MAX_DIGITS:
        return BadPercent(typed)
    exact = value + (float(f"0.{fraction}") if fraction else 0.0)
    if exact > 100:
        return BadPercent(typed)
    return round(exact), end
