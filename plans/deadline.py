"""The deadline grammar: "十月份", "10月15日前", "中旬", "长期" … → a date or a reason."""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from plans.numerals import NUMERAL_CHARS, cn_to_int


class DeadlineKind(StrEnum):
    DATE = "date"
    # 长期 / 常态化 / 全年: no single date; a later feature treats these as monthly recurring.
    RECURRING = "recurring"
    # Understood, but it needs the plan's year or month and the plan does not say.
    INCOMPLETE = "incomplete"
    UNKNOWN = "unknown"
    EMPTY = "empty"


@dataclass(frozen=True, slots=True)
class Deadline:
    kind: DeadlineKind
    date: date | None = None

    @property
    def recurring(self) -> bool:
        return self.kind is DeadlineKind.RECURRING


def read_deadline(text: str, *, year: int | None, month: int | None) -> Deadline:
    """Read a deadline as written; several dates ("10月15日前初稿，10月底定稿") give the latest."""
    plain = normalise_deadline_text(text)
    if not plain:
        return Deadline(DeadlineKind.EMPTY)
    plan = _PlanMonth(year, month)
    pieces = _ALTERNATIVES.split(_NOTE.sub("", plain))
    strict = [_read_range(piece, plan) for piece in pieces]
    if found := _best(strict):
        return found
    if _RECURRING.search(plain):
        return Deadline(DeadlineKind.RECURRING)
    # Words around a date ("10月底定稿") are fine once nothing reads as a whole.
    loose = [_read_piece(m.group(), plan, _Context()) for m in _EMBEDDED.finditer(plain)]
    return _best(loose) or Deadline(DeadlineKind.UNKNOWN)


def read_whole_deadline(text: str, *, year: int | None, month: int | None) -> Deadline:
    """Like read_deadline, but only when the whole text is one date or range ("1月15日前",
    "10月15日-20日"): no alternatives, no words around it, no 长期; UNKNOWN otherwise."""
    plain = normalise_deadline_text(text)
    if not plain:
        return Deadline(DeadlineKind.EMPTY)
    found = _best([_read_range(plain, _PlanMonth(year, month))])
    return found or Deadline(DeadlineKind.UNKNOWN)


def _best(outcomes: list[_Outcome]) -> Deadline | None:
    dates = [outcome for outcome in outcomes if isinstance(outcome, date)]
    if dates:
        return Deadline(DeadlineKind.DATE, max(dates))
    if any(outcome is _INCOMPLETE for outcome in outcomes):
        return Deadline(DeadlineKind.INCOMPLETE)
    return None


@dataclass(frozen=True, slots=True)
class _PlanMonth:
    year: int | None
    month: int | None


@dataclass(frozen=True, slots=True)
class _Context:
    """What the left side of a range fixes for the right side: "10月15日-20日"."""

    year: int | None = None
    month: int | None = None


class _Incomplete:
    pass


_INCOMPLETE = _Incomplete()
_Outcome = date | _Incomplete | None

_EARLY, _MID, _HALF, _END = 10, 20, 15, 0  # day rules; _END means the month's last day
_DAY_RULES = {
    "": _END,
    "份": _END,
    "底": _END,
    "末": _END,
    "内": _END,
    "份内": _END,
    "下旬": _END,
    "中下旬": _END,
    "下半月": _END,
    "上旬": _EARLY,
    "初": _EARLY,
    "上中旬": _MID,
    "中旬": _MID,
    "中": _MID,
    "上半月": _HALF,
}
_RULE = "(" + "|".join(sorted((k for k in _DAY_RULES if k), key=len, reverse=True)) + "|)"

_NOTE = re.compile(r"\([^()]*\)")
_ALTERNATIVES = re.compile(r"[,、;或]|以及")
_RANGE = re.compile(r"至|到|~|—+|–|-")
_LEADING = re.compile(r"^(?:截止到|截至|截止|不晚于|最迟|最晚|争取|力争|预计|要求|于|在)+")
_TRAILING = re.compile(r"(?:之前|以前|前|为止|止|完成|结束|左右|完毕|截止|办结)+$")
_RECURRING = re.compile(r"长期|常态|持续|全年|常年|经常|日常|定期|随时|每[日天周月季年]")
_CN_NUMBER = re.compile(rf"[{NUMERAL_CHARS}]+(?=[年月日号]|季度|个季)")

_FULL_DATE = re.compile(r"(?:(\d{4})[年./-])?(\d{1,2})[月./-](\d{1,2})[日号]?")
_MONTH = re.compile(rf"(?:(\d{{4}})[年./-]?)?(\d{{1,2}})月份?{_RULE}")
_YEAR_MONTH = re.compile(r"(\d{4})[./-](\d{1,2})")
_THIS_MONTH = re.compile(rf"(本月份?|当月|这个月|下个?月|次月|月份?){_RULE}")
_PERIOD = re.compile(r"(上旬|中旬|下旬|中下旬|上中旬|上半月|下半月)")
_DAY = re.compile(r"(\d{1,2})[日号]")
_YEAR_END = re.compile(r"(?:(\d{4})年|本年|今年|年)度?(?:底|末|内|终)?")
_QUARTER = re.compile(r"(?:(\d{4})年)?第?([1-4])季度?(?:末|底|内)?")
_HALF_YEAR = re.compile(r"(?:(\d{4})年)?(上|下)半年(?:末|底)?")
_EMBEDDED = re.compile(
    r"(?:\d{4}年)?\d{1,2}月\d{1,2}[日号]|\d{4}-\d{1,2}-\d{1,2}"
    rf"|(?:\d{{4}}年)?\d{{1,2}}月份?{_RULE}|(?:本|下)?月[底末]|\d{{1,2}}[日号]|[上中下]旬|年[底末内]"
)


def normalise_deadline_text(text: str) -> str:
    """NFKC, no whitespace, and Chinese numerals before 年/月/日/号/季度 as digits (十月 → 10月)."""
    s = unicodedata.normalize("NFKC", text)
    s = re.sub(r"\s+", "", s)
    return _CN_NUMBER.sub(lambda m: str(v) if (v := cn_to_int(m.group())) is not None else "", s)


def _read_range(piece: str, plan: _PlanMonth) -> _Outcome:
    whole = _read_piece(piece, plan, _Context())
    if whole is not None or not _RANGE.search(piece):
        return whole
    left, right = _RANGE.split(piece, maxsplit=1)
    context = _context_of(_clean(left))
    end = _read_piece(right, plan, context)
    return end if end is not None else _read_piece(left, plan, _Context())


def _context_of(piece: str) -> _Context:
    for pattern in (_FULL_DATE, _MONTH, _YEAR_MONTH):
        if match := pattern.fullmatch(piece):
            explicit_year = match.group(1)
            return _Context(int(explicit_year) if explicit_year else None, int(match.group(2)))
    return _Context()


def _clean(piece: str) -> str:
    return _TRAILING.sub("", _LEADING.sub("", piece))


def _read_piece(piece: str, plan: _PlanMonth, context: _Context) -> _Outcome:
    p = _clean(piece)
    if not p:
        return None
    if m := _FULL_DATE.fullmatch(p):
        return _resolve(plan, context, m.group(1), int(m.group(2)), int(m.group(3)))
    if m := _MONTH.fullmatch(p):
        return _resolve(plan, context, m.group(1), int(m.group(2)), _DAY_RULES[m.group(3)])
    if m := _YEAR_MONTH.fullmatch(p):
        return _resolve(plan, context, m.group(1), int(m.group(2)), _END)
    if m := _THIS_MONTH.fullmatch(p):
        return _this_month(plan, context, m.group(1), _DAY_RULES[m.group(2)])
    if m := _PERIOD.fullmatch(p):
        return _this_month(plan, context, "", _DAY_RULES[m.group(1)])
    if m := _DAY.fullmatch(p):
        return _this_month(plan, context, "", int(m.group(1)))
    if m := _QUARTER.fullmatch(p):
        return _resolve(plan, context, m.group(1), int(m.group(2)) * 3, _END)
    if m := _HALF_YEAR.fullmatch(p):
        return _resolve(plan, context, m.group(1), 6 if m.group(2) == "上" else 12, _END)
    if m := _YEAR_END.fullmatch(p):
        year = int(m.group(1)) if m.group(1) else context.year or plan.year
        return _INCOMPLETE if year is None else _make(year, 12, 31)
    return None


def _this_month(plan: _PlanMonth, context: _Context, prefix: str, day: int) -> _Outcome:
    month = context.month or plan.month
    year = context.year or plan.year
    if month is None or year is None:
        return _INCOMPLETE
    if prefix.startswith(("下", "次")):
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return _day_in(year, month, day)


def _resolve(
    plan: _PlanMonth, context: _Context, written_year: str | None, month: int, day: int
) -> _Outcome:
    if written_year:
        return _day_in(int(written_year), month, day)
    if context.year is not None:
        return _day_in(context.year, month, day)
    if plan.year is None:
        return _INCOMPLETE
    # A December plan saying "1月底" means next January.
    later = plan.month is not None and month < plan.month
    return _day_in(plan.year + 1 if later else plan.year, month, day)


def _day_in(year: int, month: int, day: int) -> date | None:
    if not 1 <= month <= 12 or not 1 <= year <= 9999:
        return None
    last = calendar.monthrange(year, month)[1]
    return _make(year, month, last if day == _END else day)


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except (ValueError, OverflowError):
        return None
