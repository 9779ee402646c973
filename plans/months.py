"""Months as people type them: october, oct, 10, 十月, 10月份, 2020-10, 2020年10月; and the
other periods a plan can cover: a quarter (2024年第一季度, 一季度, 2024Q1) or a year (2023年)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from plans.numerals import cn_to_int

ENGLISH_MONTHS: dict[str, int] = {
    name: n
    for n, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
MIN_YEAR, MAX_YEAR = 1900, 2199

_CN_YEAR = "〇零○一二三四五六七八九"
_YEAR = rf"(\d{{4}}|[{_CN_YEAR}]{{4}})"
_MONTH = r"(\d{1,2}|[一二三四五六七八九十]{1,2})"
_NUMERIC = (
    re.compile(rf"{_YEAR}\s*(?:年|[-/.])\s*{_MONTH}\s*(?:月份?)?"),
    re.compile(rf"{_MONTH}\s*(?:月份?)?"),
    re.compile(rf"{_MONTH}\s*[-/.]\s*{_YEAR}"),
)
_ENGLISH = (
    re.compile(r"([a-z]+)\.?(?:[\s,]+(\d{4}))?"),
    re.compile(r"(\d{4})[\s,\-/]+([a-z]+)\.?"),
)
_YEAR_IN_TEXT = re.compile(rf"(?<!\d){_YEAR}\s*年")
_MONTH_IN_TEXT = re.compile(
    r"(?<![\d一二三四五六七八九十〇个])(\d{1,2}|十[一二]?|[一二三四五六七八九])\s*月"
)


_QUARTER_IN_TEXT = re.compile(r"第?([1-4一二三四])\s*季度")
_QUARTER_ARGUMENT = (
    re.compile(rf"(?:{_YEAR}\s*年?\s*)?第?([1-4一二三四])\s*季度?"),
    re.compile(rf"(?:{_YEAR}\s*[-/]?\s*)?q([1-4])"),
)
_YEAR_ARGUMENT = re.compile(rf"{_YEAR}\s*(?:年|年度|全年)?")


@dataclass(frozen=True, slots=True)
class Period:
    """A period a plan covers, as someone named it: a month, a quarter, or (neither) the year.

    `year` is None when only the month or quarter was named ("三月", "一季度").
    """

    year: int | None
    month: int | None = None
    quarter: int | None = None


def find_quarter(text: str) -> int | None:
    """The quarter a heading names ("2024年第一季度工作计划" → 1), else None."""
    match = _QUARTER_IN_TEXT.search(text)
    return cn_to_int(match.group(1)) if match else None


# What someone means as a period even when it is not a valid one ("2023-13", "13月", "五季度"):
# digits, numerals and the period words only, short.
_PERIOD_LIKE = re.compile(r"[0-9〇零○一二三四五六七八九十年月份季度第上下本今明去全q/\-.\s]{1,16}")


def looks_like_period(text: str) -> bool:
    """True for a short text made only of what periods are written with, valid or not."""
    s = unicodedata.normalize("NFKC", text).strip().lower()
    return bool(s) and _PERIOD_LIKE.fullmatch(s) is not None


def parse_period(text: str) -> Period | None:
    """A period argument: a month (parse_month), a quarter ("2024年第一季度", "一季度",
    "2024Q1"), or a year ("2023", "2023年"); None when the text is none of them."""
    if (month := parse_month(text)) is not None:
        return Period(month[0], month[1])
    s = unicodedata.normalize("NFKC", text).strip().lower()
    for pattern in _QUARTER_ARGUMENT:
        if match := pattern.fullmatch(s):
            year_text, quarter_text = match.groups()
            year = year_of(year_text) if year_text else None
            if year_text and year is None:
                return None
            return Period(year, quarter=cn_to_int(quarter_text))
    if match := _YEAR_ARGUMENT.fullmatch(s):
        year = year_of(match.group(1))
        return Period(year) if year is not None else None
    return None


def parse_month(text: str) -> tuple[int | None, int] | None:
    """(year or None, month) for a month argument, or None when it is not one."""
    s = unicodedata.normalize("NFKC", text).strip().lower()
    for pattern in _ENGLISH:
        if match := pattern.fullmatch(s):
            word, year = match.groups() if pattern is _ENGLISH[0] else match.groups()[::-1]
            month = ENGLISH_MONTHS.get(word)
            return _checked(year, month) if month else None
    for n, pattern in enumerate(_NUMERIC):
        if match := pattern.fullmatch(s):
            year_text: str | None
            if n == 0:
                year_text, month_text = match.groups()
            elif n == 1:
                year_text, month_text = None, match.group(1)
            else:
                month_text, year_text = match.groups()
            return _checked(year_text, cn_to_int(month_text))
    return None


def year_of(token: str) -> int | None:
    """A four-character year, "2020" or "二〇二〇", within the range a plan can mean."""
    value = cn_to_int(token)
    return value if value is not None and MIN_YEAR <= value <= MAX_YEAR else None


def find_year_month(text: str) -> tuple[int | None, int | None]:
    """The first year (with 年) and first month (with 月) mentioned in a heading."""
    year = None
    for match in _YEAR_IN_TEXT.finditer(text):
        if (year := year_of(match.group(1))) is not None:
            break
    month = None
    for match in _MONTH_IN_TEXT.finditer(text):
        value = cn_to_int(match.group(1))
        if value is not None and 1 <= value <= 12:
            month = value
            break
    return year, month


def _checked(year: str | None, month: int | None) -> tuple[int | None, int] | None:
    if month is None or not 1 <= month <= 12:
        return None
    if year is None:
        return None, month
    value = year_of(year)
    return None if value is None else (value, month)


# Periods named from today: 本月, 上个月, 下月, this month …; 本季度, 上季度; 今年, 去年, 明年.
_RELATIVE_MONTHS: dict[str, int] = {
    **dict.fromkeys(("本月", "这个月", "这月", "当月", "本月份", "this month"), 0),
    **dict.fromkeys(("上月", "上个月", "上一个月", "前一个月", "last month", "previous month"), -1),
    **dict.fromkeys(("下月", "下个月", "下一个月", "次月", "next month"), 1),
}
_RELATIVE_QUARTERS: dict[str, int] = {
    **dict.fromkeys(("本季度", "这个季度", "本季", "this quarter"), 0),
    **dict.fromkeys(("上季度", "上个季度", "上一季度", "last quarter"), -1),
    **dict.fromkeys(("下季度", "下个季度", "下一季度", "next quarter"), 1),
}
_RELATIVE_YEARS: dict[str, int] = {
    **dict.fromkeys(("今年", "本年", "本年度", "this year"), 0),
    **dict.fromkeys(("去年", "上一年", "last year"), -1),
    **dict.fromkeys(("明年", "下一年", "next year"), 1),
}


def month_after(year: int, month: int, shift: int) -> tuple[int, int]:
    """(year, month) `shift` months after (or before, when negative) year-month."""
    years, month0 = divmod(year * 12 + month - 1 + shift, 12)
    return years, month0 + 1


def relative_period(text: str, today: date) -> Period | None:
    """A period named from `today` (本月, 上个月, 下月, this month, 本季度, 去年 …) with its year
    filled in; None for anything else."""
    s = " ".join(unicodedata.normalize("NFKC", text).lower().split())
    if (shift := _RELATIVE_MONTHS.get(s)) is not None:
        return Period(*month_after(today.year, today.month, shift))
    if (shift := _RELATIVE_QUARTERS.get(s)) is not None:
        year, quarter0 = divmod(today.year * 4 + (today.month - 1) // 3 + shift, 4)
        return Period(year, quarter=quarter0 + 1)
    if (shift := _RELATIVE_YEARS.get(s)) is not None:
        return Period(today.year + shift)
    return None


def read_period(text: str, today: date) -> Period | None:
    """A /plan period argument: relative to `today` (relative_period) or as parse_period reads
    it; None when it is neither."""
    return relative_period(text, today) or parse_period(text)
