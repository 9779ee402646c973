"""Issue 13: periods and deadlines named from today (plans/months.py, relative_deadline.py)."""

from __future__ import annotations

from datetime import date

import pytest

from plans.deadline import Deadline, DeadlineKind
from plans.months import Period, read_period, relative_period
from plans.relative_deadline import (
    DeadlineSplit,
    read_deadline_on,
    relative_deadline,
    split_deadline,
)

WEDNESDAY = date(2024, 12, 18)  # a December Wednesday: next month is next year


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("本月", Period(2024, 12)),
        ("这个月", Period(2024, 12)),
        ("this month", Period(2024, 12)),
        ("上个月", Period(2024, 11)),
        ("上月", Period(2024, 11)),
        ("Last Month", Period(2024, 11)),
        ("下个月", Period(2025, 1)),
        ("下月", Period(2025, 1)),
        ("next  month", Period(2025, 1)),
        ("本季度", Period(2024, quarter=4)),
        ("下季度", Period(2025, quarter=1)),
        ("上季度", Period(2024, quarter=3)),
        ("今年", Period(2024)),
        ("去年", Period(2023)),
        ("明年", Period(2025)),
    ],
)
def test_periods_from_today(text: str, period: Period) -> None:
    assert relative_period(text, WEDNESDAY) == period
    assert read_period(text, WEDNESDAY) == period


def test_last_month_in_january_is_last_years_december() -> None:
    assert read_period("上个月", date(2025, 1, 5)) == Period(2024, 12)
    assert read_period("上季度", date(2025, 1, 5)) == Period(2024, quarter=4)


@pytest.mark.parametrize("text", ["上上月", "", " ", "²月", "月", "下下个月", "\x00"])
def test_other_words_are_no_relative_period(text: str) -> None:
    assert relative_period(text, WEDNESDAY) is None


def test_read_period_still_reads_plain_periods() -> None:
    assert read_period("十月", WEDNESDAY) == Period(None, 10)
    assert read_period("2024Q1", WEDNESDAY) == Period(2024, quarter=1)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("今天", date(2024, 12, 18)),
        ("明天", date(2024, 12, 19)),
        ("后天", date(2024, 12, 20)),
        ("周五", date(2024, 12, 20)),
        ("星期五", date(2024, 12, 20)),
        ("周三", date(2024, 12, 18)),  # today is a Wednesday
        ("周一", date(2024, 12, 23)),
        ("本周五", date(2024, 12, 20)),
        ("本周一", date(2024, 12, 16)),  # past: the caller says so
        ("下周五", date(2024, 12, 27)),
        ("下个星期一", date(2024, 12, 23)),
        ("周末", date(2024, 12, 22)),
        ("下周五前", date(2024, 12, 27)),
        ("延期到下周五", date(2024, 12, 27)),
        ("月底", date(2024, 12, 31)),
        ("本月底", date(2024, 12, 31)),
        ("月底前", date(2024, 12, 31)),
        ("下月底", date(2025, 1, 31)),
        ("下月初", date(2025, 1, 10)),
        ("下月10日", date(2025, 1, 10)),
        ("下个月十号", date(2025, 1, 10)),
        ("本月20日", date(2024, 12, 20)),
        ("20号", date(2024, 12, 20)),
        ("10号", date(2025, 1, 10)),  # the 10th has passed: the coming one
        ("年底", date(2024, 12, 31)),
        ("明年底", date(2025, 12, 31)),
        ("元旦", date(2025, 1, 1)),
        ("元旦前", date(2024, 12, 31)),
        ("春节前", date(2025, 1, 28)),  # 春节 2025 is 29 January
        ("春节", date(2025, 1, 29)),
        ("国庆前", date(2025, 9, 30)),
        ("五一前", date(2025, 4, 30)),
    ],
)
def test_deadlines_from_today(text: str, day: date) -> None:
    assert relative_deadline(text, WEDNESDAY) == day


def test_spring_festival_after_this_years_is_next_years() -> None:
    assert relative_deadline("春节前", date(2025, 2, 1)) == date(2026, 2, 16)
    assert relative_deadline("元旦前", date(2025, 1, 1)) == date(2025, 12, 31)


@pytest.mark.parametrize(
    "text",
    ["", " ", "底", "周八", "32号", "²号", "①号", "下周五²", "因场地原因", "\x00", "😀", "1月15日"],
)
def test_what_is_not_a_relative_deadline(text: str) -> None:
    assert relative_deadline(text, WEDNESDAY) is None


@pytest.mark.parametrize(
    ("text", "day", "written", "rest"),
    [
        ("1月15日因场地原因", date(2025, 1, 15), "1月15日", "因场地原因"),
        ("1月15日 因场地原因", date(2025, 1, 15), "1月15日", "因场地原因"),
        ("下周五前完成，因为场地冲突", date(2024, 12, 27), "下周五前完成", "因为场地冲突"),
        ("下月10日", date(2025, 1, 10), "下月10日", ""),
        ("月底 等材料", date(2024, 12, 31), "月底", "等材料"),
        ("2025-01-15因为", date(2025, 1, 15), "2025-01-15", "因为"),
        ("春节前：等上级批复", date(2025, 1, 28), "春节前", "等上级批复"),
    ],
)
def test_a_deadline_is_split_from_the_reason_glued_to_it(
    text: str, day: date, written: str, rest: str
) -> None:
    found = split_deadline(text, today=WEDNESDAY, year=2024, month=12)
    assert found == DeadlineSplit(Deadline(DeadlineKind.DATE, day), written, rest)


def test_a_recurring_word_splits_too() -> None:
    found = split_deadline("长期 坚持", today=WEDNESDAY, year=2024, month=12)
    assert found == DeadlineSplit(Deadline(DeadlineKind.RECURRING), "长期", "坚持")


@pytest.mark.parametrize("text", ["", "   ", "因场地原因", "²号因为", "①", "\x00", "😀 下周五"])
def test_no_deadline_first_is_none(text: str) -> None:
    assert split_deadline(text, today=WEDNESDAY, year=2024, month=12) is None


def test_add_and_edit_read_relative_words_and_the_import_grammar() -> None:
    on = read_deadline_on("下周五", today=WEDNESDAY, year=2024, month=10)
    assert on == Deadline(DeadlineKind.DATE, date(2024, 12, 27))
    # A month word means today's month; a named month is the plan's, as the import reads it.
    assert read_deadline_on("月中旬", today=WEDNESDAY, year=2024, month=10) == Deadline(
        DeadlineKind.DATE, date(2024, 12, 20)
    )
    assert read_deadline_on("10月底", today=WEDNESDAY, year=2024, month=10) == Deadline(
        DeadlineKind.DATE, date(2024, 10, 31)
    )
    assert read_deadline_on("长期", today=WEDNESDAY, year=2024, month=10).recurring
    assert read_deadline_on("", today=WEDNESDAY, year=2024, month=10).kind is DeadlineKind.EMPTY
