"""Parsers for the reminder settings an admin types: a time, days before a deadline, a digest,
when overdue reminders escalate, and on/off switches.

Admins type Chinese or English, often with full-width digits and colons from a Chinese input
method; everything is NFKC-normalised first so "０８：３０" reads as "08:30". Errors are English
sentences naming the bad input and showing a good one; the bot layer translates them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import time

# A reminder more than this many days ahead is planning, not reminding.
MAX_DAYS_BEFORE = 90

# Escalation counts working days overdue; about three months late it is no reminder's business
# any more (and `escalated_on` walks that many working days each time it asks).
MAX_ESCALATE_AFTER = 60

DEFAULT_DIGEST_TIME = time(9, 0)

_OFF_WORDS = frozenset({"off", "none", "no", "关", "关闭", "无", "不要", "停"})
_ON_WORDS = frozenset({"on", "yes", "开", "打开", "开启", "启用", "是", "要"})
_NEVER_WORDS = _OFF_WORDS | {"never", "不升级", "从不"}
# "3", "第3个", "第 3 次", "3天", "3个工作日".
_ESCALATE = re.compile(r"第?\s*(\d+)\s*(?:个工作日|个|次|天)?")

_EN_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAYS: dict[str, int] = {}
for _n, _name in enumerate(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
):
    _WEEKDAYS[_name] = _n
    _WEEKDAYS[_name[:3]] = _n
_WEEKDAYS.update({"tues": 1, "thur": 3, "thurs": 3})
for _prefix in ("周", "星期", "礼拜"):
    for _n, _digit in enumerate("一二三四五六日"):
        _WEEKDAYS[_prefix + _digit] = _n
    _WEEKDAYS[_prefix + "天"] = 6

_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")
# 8点, 8点30, 8点30分, 8点半, optionally after 上午/下午…
_CHINESE_CLOCK = re.compile(
    r"(上午|早上|早晨|中午|下午|晚上)?(\d{1,2})[点時时](?:(\d{1,2})分?|(半))?"
)
_AFTERNOON = frozenset({"下午", "晚上"})
_SEPARATORS = re.compile(r"[\s,;、，；]+")
_DIGEST = re.compile(
    r"(?:每)?(?P<day>[^\d\s]+?)\s*(?P<time>(?:上午|早上|早晨|中午|下午|晚上)?\d.*)?"
)


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


def parse_time(text: str) -> time:
    """ "08:30", "8:30", "８：３０", "8点半", "下午3点" → a time of day."""
    s = _normalise(text)
    if m := _CLOCK.fullmatch(s):
        hour, minute = int(m[1]), int(m[2])
    elif m := _CHINESE_CLOCK.fullmatch(s):
        hour = int(m[2])
        minute = 30 if m[4] else int(m[3] or 0)
        if m[1] in _AFTERNOON and hour < 12:
            hour += 12
    else:
        raise ValueError(f"not a time of day: {text!r}; write hours:minutes, e.g. 08:30")
    if hour > 23 or minute > 59:
        raise ValueError(f"no such time of day: {text!r}; hours go 0-23, minutes 0-59")
    return time(hour, minute)


def parse_days(text: str) -> tuple[int, ...]:
    """ "7 3 1 0" (or "5,2,0", "5、2、0", "5天 2天") → days before the deadline, largest first.

    0 is the due day itself. "off" gives no reminders before the deadline at all.
    """
    s = _normalise(text)
    if s in _OFF_WORDS:
        return ()
    tokens = [t.removesuffix("天") for t in _SEPARATORS.split(s) if t]
    if not tokens:
        raise ValueError("no days given; list days before the deadline, e.g. 7 3 1 0")
    days: set[int] = set()
    for token in tokens:
        if token.startswith("-") and token[1:].isdigit():
            raise ValueError(
                f"days before the deadline cannot be negative: {token}; "
                "overdue reminders are switched on separately"
            )
        if not token.isdigit():
            raise ValueError(
                f"not a number of days: {token!r}; list days before the deadline, e.g. 7 3 1 0"
            )
        n = int(token)
        if n > MAX_DAYS_BEFORE:
            raise ValueError(
                f"{n} days before the deadline is too early; at most {MAX_DAYS_BEFORE}"
            )
        days.add(n)
    return tuple(sorted(days, reverse=True))


def parse_escalate(text: str) -> int:
    """ "3", "第3个工作日" → overdue reminders escalate from the 3rd working day after the
    deadline on; "0", "off", "never", "不升级" → 0, which never escalates."""
    s = _normalise(text)
    if s in _NEVER_WORDS:
        return 0
    m = _ESCALATE.fullmatch(s)
    if m is None:
        raise ValueError(
            f"not a number of working days overdue: {text!r}; write a whole number, "
            "e.g. 3, or 0 for never"
        )
    n = int(m[1])
    if n > MAX_ESCALATE_AFTER:
        raise ValueError(
            f"escalating after {n} working days overdue is too late; at most {MAX_ESCALATE_AFTER}"
        )
    return n


def parse_switch(text: str) -> bool:
    """ "on", "开启" → True; "off", "关闭" → False."""
    s = _normalise(text)
    if s in _ON_WORDS:
        return True
    if s in _OFF_WORDS:
        return False
    raise ValueError(f"neither on nor off: {text!r}; write on or off")


@dataclass(frozen=True, slots=True)
class DigestSpec:
    """A weekly digest: which weekday (0 = Monday) and at what time of day."""

    weekday: int
    at: time = DEFAULT_DIGEST_TIME

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), not {self.weekday}")

    def __str__(self) -> str:
        return f"{_EN_DAYS[self.weekday]} {self.at:%H:%M}"


def parse_digest(text: str) -> DigestSpec | None:
    """ "mon 09:00", "周一 09:00", "星期一9点", "monday" (09:00) → a spec; "off"/"关闭" → None."""
    s = _normalise(text)
    if s in _OFF_WORDS:
        return None
    m = _DIGEST.fullmatch(s)
    weekday = _WEEKDAYS.get(m["day"].strip()) if m else None
    if m is None or weekday is None:
        raise ValueError(
            f"not a weekly digest time: {text!r}; write a weekday and a time, "
            "e.g. mon 09:00 or 周一 09:00, or off"
        )
    at = parse_time(m["time"]) if m["time"] else DEFAULT_DIGEST_TIME
    return DigestSpec(weekday, at)


def format_digest(spec: DigestSpec | None) -> str:
    """The canonical text of a digest setting, which `parse_digest` reads back."""
    return "off" if spec is None else str(spec)


# --- progress collection (进展报送): when the group is asked, and when it is chased ----------

# A report asked for without a time: the afternoon, so answers come in before the day ends.
DEFAULT_REPORT_TIME = time(16, 0)
# 每月25日, 25日, 25号, 25: a day of the month.
_MONTH_DAY = re.compile(
    r"(?:每月|每个月|monthly\s*)?(?P<day>\d{1,2})\s*(?:日|号|th|st|nd|rd)?"
    r"\s*(?P<time>(?:上午|早上|早晨|中午|下午|晚上)?\d.*)?"
)
_NEXT_WORDS = frozenset({"next", "次日", "下一个工作日", "下个工作日", "第二天", "次工作日"})
_NEXT = re.compile(r"(?P<word>[^\d\s]+?)\s*(?P<time>(?:上午|早上|早晨|中午|下午|晚上)?\d.*)?")


@dataclass(frozen=True, slots=True)
class ReportSpec:
    """When progress is asked for: every week on `weekday` (0 = Monday) or every month on
    `day` (1–31; a month without that day uses its last), at `at`."""

    weekday: int | None = None
    day: int | None = None
    at: time = DEFAULT_REPORT_TIME

    def __post_init__(self) -> None:
        if (self.weekday is None) == (self.day is None):
            raise ValueError("a report is weekly (a weekday) or monthly (a day), not both")
        if self.weekday is not None and not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), not {self.weekday}")
        if self.day is not None and not 1 <= self.day <= 31:
            raise ValueError(f"a day of the month goes 1-31, not {self.day}")

    def __str__(self) -> str:
        when = _EN_DAYS[self.weekday] if self.weekday is not None else str(self.day)
        return f"{when} {self.at:%H:%M}"


def parse_report(text: str) -> ReportSpec | None:
    """ "fri 16:00", "周五 16点", "每周五" (16:00), "25 16:00", "每月25日 下午4点" → a spec;
    "off"/"关闭" → None."""
    s = _normalise(text)
    if s in _OFF_WORDS:
        return None
    bad = (
        f"not a report time: {text!r}; write a weekday or a day of the month and a time, "
        "e.g. fri 16:00, 25 16:00 or 每月25日 16:00, or off"
    )
    if m := _MONTH_DAY.fullmatch(s):
        day = int(m["day"])
        if not 1 <= day <= 31:
            raise ValueError(bad)
        return ReportSpec(day=day, at=parse_time(m["time"]) if m["time"] else DEFAULT_REPORT_TIME)
    m = _DIGEST.fullmatch(s.removeprefix("每"))
    weekday = _WEEKDAYS.get(m["day"].strip()) if m else None
    if m is None or weekday is None:
        raise ValueError(bad)
    return ReportSpec(weekday, at=parse_time(m["time"]) if m["time"] else DEFAULT_REPORT_TIME)


def format_report(spec: ReportSpec | None) -> str:
    """The canonical text of a report setting, which `parse_report` reads back."""
    return "off" if spec is None else str(spec)


@dataclass(frozen=True, slots=True)
class ChaseSpec:
    """When those who have not reported are chased: the working day after the ask, at `at`
    (None: the chat's reminder time, its working morning)."""

    at: time | None = None

    def __str__(self) -> str:
        return "next" if self.at is None else f"next {self.at:%H:%M}"


def parse_chase(text: str) -> ChaseSpec | None:
    """ "next", "次日", "next 10:00", "下一个工作日 9点半" → a spec; "off"/"关闭" → None (no
    chase)."""
    s = _normalise(text)
    if s in _OFF_WORDS:
        return None
    m = _NEXT.fullmatch(s)
    if m is None or m["word"].strip() not in _NEXT_WORDS:
        raise ValueError(
            f"not a chase time: {text!r}; write next (the next working day at the reminder "
            "time), next 10:00, or off"
        )
    return ChaseSpec(parse_time(m["time"]) if m["time"] else None)


def format_chase(spec: ChaseSpec | None) -> str:
    """The canonical text of a chase setting, which `parse_chase` reads back."""
    return "off" if spec is None else str(spec)
