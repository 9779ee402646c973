"""How people name items in a command: `3`, `三`, `2020-10#3`, `10月#3`; of a quarter's or a
year's plan: `2024Q1#3`, `一季度#3`, `2023#3`.

`parse_item_ref` reads one whole word. `split_item_refs` reads the items at the start of a
command's arguments and hands back the rest (the note, the percentage, the new deadline). Its
rules, the same for every command:

1. An item is a number (`3`, `３`, `十二`, `一百零五`), optionally written `第3项`, `3号`, `3条`,
   `#3`, `＃3`; a plan may come first, once, for all items: `2020-10#3`, `10月#1,2`, `2024Q1#3`.
2. Several items: separated by `,` `，` `、` `;` `和` `及` (`1,2,3`, `1、2`), or a range with
   `-` `~` `～` `—` `至` `到` (`1-3`, `一至三`). A range is at most MAX_REFS items, low to high;
   a longer or backwards range is refused, never cut short. With `spaced=True` (commands whose
   rest never starts with a number: /done, /ack) a number standing alone as a word also joins:
   `/ack 2 5`. Commands whose rest may start with a number (/progress's `75`, /extend's
   `1-15`) pass `spaced=False`.
3. A number in ASCII or full-width digits may be glued to the text after it: `3已报送材料`,
   `5：已完成`, `1。`. A Chinese numeral must not be (`/done 一般性工作` names no item): it is
   followed by the end, a space, punctuation, 项/号/条, or the next item (`一至三`, `一、二`).
4. A number followed directly by `%`, a decimal point, `/`, `:` + digit, or a unit (月 日 年 天
   周 个 季 …) is not an item: `60%`, `2个单位`, `十二月`, `1/15`. As the first word that means
   "no item"; after the first item it ends the list and starts the rest.
5. The rest is the text after the items with the separators before it removed (not a minus
   sign before a digit: `10 -5%` keeps `-5%`); it is the user's own text (full-width
   punctuation inside it is kept).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from plans.months import Period, parse_period
from plans.numbers import ITEM_SEQ_MAX, narrow, read_number

MAX_REFS = 50


@dataclass(frozen=True, slots=True)
class ItemRef:
    seq: int
    # None: the chat's current plan (this month's, else the latest imported).
    year: int | None = None
    month: int | None = None
    # A quarter's plan (month None); or, with neither, `whole_year`: the year's plan.
    quarter: int | None = None
    whole_year: bool = False

    @property
    def names_plan(self) -> bool:
        """Whether it names a plan rather than meaning the current one."""
        return self.month is not None or self.quarter is not None or self.whole_year


_REF = re.compile(
    r"^(?:(?P<month>[^#＃]+)[#＃])?(?P<seq>[0-9０-９]+|[〇零一二两三四五六七八九十百]+)$"
)


def parse_item_ref(text: str) -> ItemRef | None:
    """The item a whole command word names, or None when it names none (or a number beyond
    1..ITEM_SEQ_MAX, refused before any lookup)."""
    match = _REF.match(text.strip())
    if match is None:
        return None
    seq = _seq(match["seq"])
    if seq is None:
        return None
    if match["month"] is None:
        return ItemRef(seq)
    period = parse_period(match["month"])
    return None if period is None else _in_period(seq, period)


def _seq(raw: str) -> int | None:
    value = read_number(raw)
    return value if value is not None and 1 <= value <= ITEM_SEQ_MAX else None


def _in_period(seq: int, period: Period | None) -> ItemRef:
    if period is None:
        return ItemRef(seq)
    if period.month is None and period.quarter is None:
        return ItemRef(seq, period.year, whole_year=True)
    return ItemRef(seq, period.year, period.month, period.quarter)


class RefProblem(StrEnum):
    """Why the start of a command's arguments names no items."""

    NO_REF = "no_ref"  # it does not start with an item number
    OUT_OF_RANGE = "out_of_range"  # 0, or beyond ITEM_SEQ_MAX
    BACKWARDS = "backwards"  # a range from high to low: 5-3
    TOO_MANY = "too_many"  # more than MAX_REFS items


@dataclass(frozen=True, slots=True)
class RefRefusal:
    problem: RefProblem
    # The words refused, as typed (for the answer to quote, shortened by the caller).
    text: str


class ItemRefs(NamedTuple):
    refs: tuple[ItemRef, ...]
    rest: str


_PERIOD = re.compile(r"([^\s#]+)#")
_ATOM = re.compile(
    r"#?\s*(?:第\s*)?(?:(?P<digits>[0-9]+)|(?P<cn>[〇零一二两三四五六七八九十百]+))"
    r"(?P<marker>\s*(?:项|号|条))?"
)
_RANGE = re.compile(r"\s*(?:-|~|～|—+|–|至|到)\s*")
_LIST = re.compile(r"\s*(?:[,，、;；]|和|及)\s*")
_SPACE = re.compile(r"\s+")
# After a number: what makes it a quantity, a date or a percentage rather than an item.
_NOT_AN_ITEM = re.compile(r"[%‰]|[./:][0-9]|[月日年天周个位次时分秒点成倍元万千亿岁季期届名人份页]")
_WORD_END = re.compile(r"\s|$|[,，、;；。.:：!！?？)）]")
# A Chinese numeral may be followed by a word end, or by the next item of a list or range.
_CN_END = re.compile(r"\s|$|[,，、;；。.:：!！?？)）\-~～—–]|至|到|和|及")
# A minus sign before a digit is the rest's own (`/progress 10 -5%` is refused as -5%, not
# read as 5%).
_LEADING_SEPARATORS = re.compile(r"^(?:[\s,，、;；。.:：!！—~～]|-(?![0-9０-９]))+")


def split_item_refs(text: str, *, spaced: bool = True) -> ItemRefs | RefRefusal:
    """(items, rest) for a command's arguments, by the rules in the module docstring."""
    s = narrow(text)  # one character for one: positions in s are positions in text
    pos = len(s) - len(s.lstrip())
    period: Period | None = None
    if (head := _PERIOD.match(s, pos)) is not None:
        period = parse_period(head.group(1))
        if period is None:
            return RefRefusal(RefProblem.NO_REF, _first_word(text))
        pos = head.end()
    first = _read_group(s, pos)
    if first is None:
        return RefRefusal(RefProblem.NO_REF, _first_word(text))
    if isinstance(first, RefRefusal):
        return first
    seqs, pos = first
    while True:
        joined = _next_group(s, pos, spaced)
        if joined is None:
            break
        if isinstance(joined, RefRefusal):
            return joined
        more, pos = joined
        seqs += more
        if len(seqs) > MAX_REFS:
            return RefRefusal(RefProblem.TOO_MANY, text.strip())
    unique = list(dict.fromkeys(seqs))
    rest = _LEADING_SEPARATORS.sub("", text[pos:]).strip()
    return ItemRefs(tuple(_in_period(seq, period) for seq in unique), rest)


_Group = tuple[list[int], int]


def _next_group(s: str, pos: int, spaced: bool) -> _Group | RefRefusal | None:
    """The items after a separator at `pos`, or None when the list ends there."""
    if (sep := _LIST.match(s, pos)) is not None:
        group = _read_group(s, sep.end())
        return group if group is not None else None
    if spaced and (gap := _SPACE.match(s, pos)) is not None:
        group = _read_group(s, gap.end())
        if isinstance(group, tuple) and _WORD_END.match(s, group[1]) is None:
            return None  # "3 2个单位": the 2 is the note's, not an item
        return group
    return None


def _read_group(s: str, pos: int) -> _Group | RefRefusal | None:
    """One item or one range at `pos`: (numbers, end), a refusal, or None when none is there."""
    low = _read_atom(s, pos)
    if low is None:
        return None
    if isinstance(low, RefRefusal):
        return low
    start_seq, end = low
    if (dash := _RANGE.match(s, end)) is not None:
        high = _read_atom(s, dash.end())
        if isinstance(high, RefRefusal):
            return high
        if high is not None:
            end_seq, after = high
            typed = s[pos:after]
            if end_seq < start_seq:
                return RefRefusal(RefProblem.BACKWARDS, typed)
            if end_seq - start_seq + 1 > MAX_REFS:
                return RefRefusal(RefProblem.TOO_MANY, typed)
            return list(range(start_seq, end_seq + 1)), after
    return [start_seq], end


def _read_atom(s: str, pos: int) -> tuple[int, int] | RefRefusal | None:
    match = _ATOM.match(s, pos)
    if match is None:
        return None
    end = match.end()
    if not match["marker"]:
        if _NOT_AN_ITEM.match(s, end):
            return None
        if match["cn"] and _CN_END.match(s, end) is None:
            return None
    value = read_number(match["digits"] or match["cn"])
    if value is None and match["digits"] is None:
        return None  # 三两: Chinese characters that do not make a number
    if value is None or not 1 <= value <= ITEM_SEQ_MAX:
        return RefRefusal(RefProblem.OUT_OF_RANGE, s[pos:end].strip())
    return value, end


def _first_word(text: str) -> str:
    words = text.split(maxsplit=1)
    return words[0] if words else ""
