"""The deadline grammar, in a plan for October 2020 unless a test says otherwise."""

from __future__ import annotations

from datetime import date

import pytest

from plans.deadline import DeadlineKind, read_deadline
from tests.support.deadlines import parse_deadline

OCT = {"year": 2020, "month": 10}


@pytest.mark.parametrize(
    ("written", "due"),
    [
        ("十月份", date(2020, 10, 31)),
        ("10月份", date(2020, 10, 31)),
        ("10月", date(2020, 10, 31)),
        ("10月底", date(2020, 10, 31)),
        ("十月底前完成", date(2020, 10, 31)),
        ("月底", date(2020, 10, 31)),
        ("本月", date(2020, 10, 31)),
        ("本月底", date(2020, 10, 31)),
        ("10月15日", date(2020, 10, 15)),
        ("10月15日前", date(2020, 10, 15)),
        ("10.15", date(2020, 10, 15)),
        ("2020-10-15", date(2020, 10, 15)),
        ("2020年10月15日", date(2020, 10, 15)),
        ("二〇二〇年十月十五日", date(2020, 10, 15)),
        ("15日前", date(2020, 10, 15)),
        ("上旬", date(2020, 10, 10)),
        ("中旬", date(2020, 10, 20)),
        ("下旬", date(2020, 10, 31)),
        ("年底", date(2020, 12, 31)),
        ("年内", date(2020, 12, 31)),
        ("第四季度", date(2020, 12, 31)),
        ("四季度", date(2020, 12, 31)),
        ("11月上旬", date(2020, 11, 10)),
        ("10月-11月", date(2020, 11, 30)),
        ("10月至11月", date(2020, 11, 30)),
        ("10月15日-20日", date(2020, 10, 20)),
        ("下月中旬", date(2020, 11, 20)),
        ("10月15日前初稿，10月底定稿", date(2020, 10, 31)),
    ],
)
def test_deadline_dates(written: str, due: date) -> None:
    assert parse_deadline(written, **OCT) == due


@pytest.mark.parametrize("written", ["长期", "常态化", "持续推进", "全年", "每月10日前"])
def test_recurring_deadlines_have_no_date_but_a_flag(written: str) -> None:
    deadline = read_deadline(written, **OCT)
    assert deadline.date is None
    assert deadline.recurring


@pytest.mark.parametrize("written", ["尽快", "春节前", "2月30日", "待定"])
def test_unreadable_deadlines(written: str) -> None:
    deadline = read_deadline(written, **OCT)
    assert (deadline.kind, deadline.date, deadline.recurring) == (DeadlineKind.UNKNOWN, None, False)


def test_an_earlier_month_without_year_is_next_year() -> None:
    assert parse_deadline("1月底", year=2020, month=12) == date(2021, 1, 31)
    assert parse_deadline("12月-1月", year=2020, month=12) == date(2021, 1, 31)
    assert parse_deadline("2020年1月底", year=2020, month=12) == date(2020, 1, 31)


def test_relative_deadlines_need_the_plan_month() -> None:
    assert read_deadline("月底", year=2020, month=None).kind is DeadlineKind.INCOMPLETE
    assert read_deadline("10月底", year=None, month=10).kind is DeadlineKind.INCOMPLETE
    assert parse_deadline("2020-10-15", year=None, month=None) == date(2020, 10, 15)


def test_empty_deadline() -> None:
    assert read_deadline("  ", **OCT).kind is DeadlineKind.EMPTY
