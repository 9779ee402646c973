"""Deadlines named from today, as typed in /extend, /add and /edit: 明天, 后天, 周五, 本周五,
下周五, 月底, 本月底, 下月底, 下月10日, 15号, 年底, 元旦前, 春节前, 国庆前 …; and a deadline
glued to the reason after it ("1月15日因场地原因", "下周五前完成，因为…").

Decisions (all dates are deadlines, inclusive):

- 周五 / 星期五 alone is the coming Friday: today when today is a Friday. 本周五 / 这周五 is this
  week's (Monday to Sunday) Friday even when it has passed (the caller says "already past");
  下周五 is next week's. 周末 is the Sunday.
- 月底, 本月底, 下月底, 下月中旬 … are read with today's month (the import grammar's 本月/下月
  rules); 下月10日 / 本月10日 with today's month too. A bare day (15号, 15日) is the coming 15th:
  this month's if not past, else next month's.
- 年底 / 今年底 is 31 December of today's year; 明年底 of the next.
- A holiday alone (元旦, 春节, 清明, 五一, 端午, 中秋, 国庆) is the first day of its next
  occurrence (today counts); "X前" (之前, 以前) is the calendar day before it. So 元旦前 is
  31 December (simply the day before; when that is a weekend the reminders' working-day rules
  apply as for any deadline). 春节 and the other lunar holidays come from the `holidays`
  package's China calendar, the one jobs/calendar.py uses.
- A trailing 前 / 之前 / 以前 / 为止 / 完成 on other words changes nothing (下周五前 = 下周五),
  as in the import grammar; a leading 延期到 / 推迟至 / 改到 / 截至 / 最迟 … is dropped.
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta

import holidays

from plans.deadline import (
    Deadline,
    DeadlineKind,
    normalise_deadline_text,
    read_deadline,
    read_whole_deadline,
)
from plans.months import month_after
from plans.numbers import has_foreign_digits

_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6}
_WEEKDAYS.update({str(n): n - 1 for n in range(1, 8)})
_DAY_OFFSETS = {"今天": 0, "今日": 0, "明天": 1, "明日": 1, "后天": 2, "大后天": 3}

_LEADING = re.compile(
    r"^(?:(?:延期|推迟|延长|顺延|延|推|改|调整|放宽)(?:到|至|为)|截止到|截至|截止|不晚于|最迟|最晚"
    r"|争取|力争|预计|要求|于|在|到)+"
)
_TRAILING = re.compile(r"(?:之前|以前|前|为止|止|完成|结束|左右|完毕|截止|办结)+$")
_BEFORE = re.compile(r"(?:之前|以前|前)$")
_WEEK = re.compile(r"(本|这|这个|下|下个|下一个)?(?:周|星期|礼拜)([一二三四五六日天七1-7]|末)")
_MONTH_DAY = re.compile(r"(本月|这个月|这月|当月|下个?月|下一个月|次月)(\d{1,2})[日号]")
_BARE_DAY = re.compile(r"(\d{1,2})[日号]")
_YEAR_END = re.compile(r"(今年|本年|明年|下一年)?(?:年底|年末|年内|年终|底)")
_MONTH_WORDS = re.compile(r"(?:本月份?|这个?月|当月|下个?月|下一个月|次月|月)\S*")

# Fixed-date holidays, and the `holidays` package's English names of the lunar ones.
_FIXED_HOLIDAYS = {
    "元旦": (1, 1),
    "五一": (5, 1),
    "劳动节": (5, 1),
    "国庆": (10, 1),
    "国庆节": (10, 1),
}
_LUNAR_HOLIDAYS = {
    "春节": "Spring Festival",
    "清明": "Tomb-Sweeping Day",
    "清明节": "Tomb-Sweeping Day",
    "端午": "Dragon Boat Festival",
    "端午节": "Dragon Boat Festival",
    "中秋": "Mid-Autumn Festival",
    "中秋节": "Mid-Autumn Festival",
}
_CUT = re.compile(r"[\s,，。;；:：!！?？()（）、]")
_MAX_DEADLINE_CHARS = 24
_REST_SEPARATORS = re.compile(r"^[\s,，。;；:：!！、]+")


def relative_deadline(text: str, today: date) -> date | None:
    """The date a deadline named from `today` means, when the whole text is one; else None."""
    if has_foreign_digits(text):
        return None
    s = _LEADING.sub("", normalise_deadline_text(text))
    if not s:
        return None
    if (holiday := _holiday(s, today)) is not None:
        return holiday
    s = _TRAILING.sub("", s)
    if (offset := _DAY_OFFSETS.get(s)) is not None:
        return today + timedelta(days=offset)
    if m := _WEEK.fullmatch(s):
        return _weekday(today, m.group(1) or "", m.group(2))
    if m := _MONTH_DAY.fullmatch(s):
        year, month = month_after(today.year, today.month, 0 if m.group(1)[0] in "本这当" else 1)
        return _date_or_none(year, month, int(m.group(2)))
    if m := _BARE_DAY.fullmatch(s):
        return _coming_day(today, int(m.group(1)))
    if m := _YEAR_END.fullmatch(s):
        if m.group(1) is None and s == "底":
            return None
        return date(today.year + (1 if m.group(1) in ("明年", "下一年") else 0), 12, 31)
    if _MONTH_WORDS.fullmatch(s):
        # 月底, 本月底, 下月中旬 …: the import grammar's month words, with today's month.
        found = read_whole_deadline(s, year=today.year, month=today.month)
        return found.date if found.kind is DeadlineKind.DATE else None
    return None


def read_deadline_on(text: str, *, today: date, year: int | None, month: int | None) -> Deadline:
    """A deadline as /add and /edit take it: a word relative to `today` (relative_deadline),
    else the import grammar (read_deadline) with the plan's year and month."""
    found = relative_deadline(text, today)
    if found is not None:
        return Deadline(DeadlineKind.DATE, found)
    return read_deadline(text, year=year, month=month)


@dataclass(frozen=True, slots=True)
class DeadlineSplit:
    deadline: Deadline  # kind DATE or RECURRING
    written: str  # the deadline as typed ("下周五前完成")
    rest: str  # what follows it, separators removed ("因为场地原因")


def split_deadline(
    text: str, *, today: date, year: int | None, month: int | None
) -> DeadlineSplit | None:
    """The deadline at the start of `text` and the text after it, or None when it does not start
    with one. The deadline is the longest start (up to a space or punctuation) that reads as a
    whole: relative to `today`, or a date by the import grammar with the plan's year and month;
    so "1月15日因场地原因" gives 1月15日 and "因场地原因"."""
    stripped = text.lstrip()
    cut = _CUT.search(stripped)
    candidate = stripped[: cut.start() if cut else len(stripped)][:_MAX_DEADLINE_CHARS]
    for end in range(len(candidate), 0, -1):
        piece = candidate[:end]
        found = _whole(piece, today, year, month)
        if found is not None:
            rest = _REST_SEPARATORS.sub("", stripped[end:]).strip()
            return DeadlineSplit(found, piece, rest)
    return None


def _whole(piece: str, today: date, year: int | None, month: int | None) -> Deadline | None:
    if has_foreign_digits(piece):
        return None  # NFKC would read ²号 as 2号
    if (relative := relative_deadline(piece, today)) is not None:
        return Deadline(DeadlineKind.DATE, relative)
    found = read_whole_deadline(piece, year=year, month=month)
    if found.kind is DeadlineKind.DATE:
        return found
    if (
        found.kind is DeadlineKind.UNKNOWN
        and read_deadline(piece, year=year, month=month).recurring
    ):
        # 长期 / 常态化: only when the whole piece is such a word, not a date with words around.
        return Deadline(DeadlineKind.RECURRING) if _only_recurring(piece) else None
    return None


_RECURRING_WORD = re.compile(r"长期|常态化?|持续|全年|常年|日常|定期|随时")


def _only_recurring(piece: str) -> bool:
    return _RECURRING_WORD.fullmatch(normalise_deadline_text(piece)) is not None


def _holiday(s: str, today: date) -> date | None:
    before = _BEFORE.search(s)
    name = s[: before.start()] if before else s
    first = _next_holiday(name, today)
    if first is None:
        return None
    return first - timedelta(days=1) if before else first


def _next_holiday(name: str, today: date) -> date | None:
    """The first day of the holiday's next occurrence on or after `today` (for "X前": after)."""
    if name in _FIXED_HOLIDAYS:
        month, day = _FIXED_HOLIDAYS[name]
        this_year = date(today.year, month, day)
        # "元旦前" on 1 January means the next New Year; the day itself is past its "before".
        return this_year if this_year > today else date(today.year + 1, month, day)
    english = _LUNAR_HOLIDAYS.get(name)
    if english is None:
        return None
    for year in (today.year, today.year + 1):
        first = _lunar_holiday(english, year)
        if first is not None and first > today:
            return first
    return None


@functools.lru_cache(maxsize=64)
def _lunar_holiday(english: str, year: int) -> date | None:
    try:
        days = holidays.country_holidays("CN", years=year, language="en_US").get_named(english)
    except (NotImplementedError, ValueError, KeyError):
        return None
    return min(days) if days else None


def _weekday(today: date, which: str, day: str) -> date:
    monday = today - timedelta(days=today.weekday())
    target = 6 if day == "末" else _WEEKDAYS[day]
    if which.startswith("下"):
        return monday + timedelta(days=7 + target)
    if which:
        return monday + timedelta(days=target)
    ahead = (target - today.weekday()) % 7
    return today + timedelta(days=ahead)


def _coming_day(today: date, day: int) -> date | None:
    if not 1 <= day <= 31:
        return None
    for shift in range(3):
        year, month = month_after(today.year, today.month, shift)
        found = _date_or_none(year, month, day)
        if found is not None and found >= today:
            return found
    return None


def _date_or_none(year: int, month: int, day: int) -> date | None:
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, day)
