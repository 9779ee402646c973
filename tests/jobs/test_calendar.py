from __future__ import annotations

import logging
from datetime import date, timedelta

import pytest

from jobs.calendar import WorkCalendar

GOLDEN_WEEK_2020 = [date(2020, 10, d) for d in range(1, 9)]


def test_make_up_working_days_of_golden_week_2020(cn: WorkCalendar) -> None:
    assert cn.is_workday(date(2020, 9, 27))  # Sunday, worked for 10-07
    assert cn.is_workday(date(2020, 10, 10))  # Saturday, worked for 10-08
    assert not any(cn.is_workday(d) for d in GOLDEN_WEEK_2020)
    assert cn.is_workday(date(2020, 10, 9))


def test_ordinary_weekends_and_weekdays(cn: WorkCalendar) -> None:
    assert not cn.is_workday(date(2020, 10, 24))  # Saturday
    assert not cn.is_workday(date(2020, 10, 25))  # Sunday
    assert cn.is_workday(date(2020, 10, 26))


def test_make_up_day_announced_in_next_years_schedule(cn: WorkCalendar) -> None:
    # The 2002 New Year arrangement made Saturday 2001-12-29 a working day.
    assert cn.is_workday(date(2001, 12, 29))
    assert not cn.is_workday(date(2002, 1, 2))


def test_on_or_before_and_on_or_after_cross_the_whole_holiday(cn: WorkCalendar) -> None:
    assert cn.on_or_after(date(2020, 10, 1)) == date(2020, 10, 9)
    assert cn.on_or_before(date(2020, 10, 8)) == date(2020, 9, 30)
    assert cn.on_or_after(date(2020, 10, 9)) == date(2020, 10, 9)
    assert cn.on_or_before(date(2020, 10, 9)) == date(2020, 10, 9)


def test_walks_across_a_year_boundary(cn: WorkCalendar) -> None:
    # 2021-01-01 is New Year's Day, then a weekend.
    assert cn.on_or_before(date(2021, 1, 3)) == date(2020, 12, 31)
    assert cn.on_or_after(date(2021, 1, 1)) == date(2021, 1, 4)


def test_add_workdays(cn: WorkCalendar) -> None:
    assert cn.add_workdays(date(2020, 9, 30), 1) == date(2020, 10, 9)
    assert cn.add_workdays(date(2020, 10, 9), 1) == date(2020, 10, 10)  # a worked Saturday
    assert cn.add_workdays(date(2020, 10, 24), 1) == date(2020, 10, 26)  # from a Saturday
    assert cn.add_workdays(date(2020, 10, 12), -2) == date(2020, 10, 9)
    assert cn.add_workdays(date(2020, 10, 12), -3) == date(2020, 9, 30)
    assert cn.add_workdays(date(2020, 9, 28), 4) == date(2020, 10, 10)
    assert cn.add_workdays(date(2020, 10, 3), 0) == date(2020, 10, 9)
    assert cn.add_workdays(date(2020, 10, 26), 0) == date(2020, 10, 26)


def test_first_workday_of_month(cn: WorkCalendar) -> None:
    assert cn.first_workday_of_month(2020, 10) == date(2020, 10, 9)
    assert cn.first_workday_of_month(2020, 11) == date(2020, 11, 2)  # the 1st is a Sunday
    assert cn.first_workday_of_month(2020, 12) == date(2020, 12, 1)


def test_coverage_of_the_package(cn: WorkCalendar) -> None:
    assert cn.covers(2020)
    assert cn.has_official_schedule(2020)
    assert cn.has_official_schedule(2026)
    # No State Council notice is published decades ahead, whichever release of the package is
    # installed: such a year is covered with statutory days only.
    assert cn.covers(2099)
    assert not cn.has_official_schedule(2099)
    assert not cn.covers(2101)
    assert not cn.has_official_schedule(2101)


def test_unknown_year_falls_back_to_weekends_and_warns_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    calendar = WorkCalendar("CN")
    with caplog.at_level(logging.WARNING, logger="jobs.calendar"):
        assert calendar.is_workday(date(2101, 10, 3))  # a Monday, a holiday if it were known
        assert not calendar.is_workday(date(2101, 10, 1))  # a Saturday
        assert calendar.add_workdays(date(2101, 1, 1), 20) == date(2101, 1, 28)
    warnings = [r for r in caplog.records if r.name == "jobs.calendar"]
    assert len(warnings) == 1
    assert warnings[0].levelno == logging.WARNING
    assert "2101" in warnings[0].getMessage()
    assert "weekends" in warnings[0].getMessage()


def test_year_without_official_schedule_keeps_statutory_holidays(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # 2099: far enough ahead that no release of the package has its official schedule yet.
    calendar = WorkCalendar("CN")
    with caplog.at_level(logging.WARNING, logger="jobs.calendar"):
        assert not calendar.is_workday(date(2099, 10, 1))  # National Day, a Thursday
        assert not calendar.is_workday(date(2099, 10, 2))
        assert not calendar.is_workday(date(2099, 9, 27))  # a Sunday, no make-up working day
        assert calendar.is_workday(date(2099, 10, 12))
    warnings = [r for r in caplog.records if r.name == "jobs.calendar"]
    assert len(warnings) == 1
    assert "2099" in warnings[0].getMessage()
    assert "make-up" in warnings[0].getMessage()


def test_known_year_does_not_warn(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="jobs.calendar"):
        WorkCalendar("CN").is_workday(date(2020, 10, 10))
    assert not [r for r in caplog.records if r.name == "jobs.calendar"]


def test_extra_holidays_and_workdays_override_the_package() -> None:
    calendar = WorkCalendar(
        "CN",
        extra_holidays=[date(2020, 10, 30), date(2020, 10, 10)],
        extra_workdays=[date(2020, 10, 31), date(2020, 10, 5)],
    )
    assert not calendar.is_workday(date(2020, 10, 30))  # an office day off on a Friday
    assert not calendar.is_workday(date(2020, 10, 10))  # even over a make-up working day
    assert calendar.is_workday(date(2020, 10, 31))  # a Saturday
    assert calendar.is_workday(date(2020, 10, 5))  # inside Golden Week
    assert calendar.is_workday(date(2020, 10, 29))


def test_a_day_cannot_be_both_extra_holiday_and_extra_workday() -> None:
    with pytest.raises(ValueError, match="2020-10-30"):
        WorkCalendar(extra_holidays=[date(2020, 10, 30)], extra_workdays=[date(2020, 10, 30)])


def test_unknown_country_is_refused() -> None:
    with pytest.raises(ValueError, match="'XX'"):
        WorkCalendar("XX")


def test_every_day_works_when_workdays_only_is_off() -> None:
    calendar = WorkCalendar("CN", workdays_only=False)
    start = date(2020, 9, 26)
    assert all(calendar.is_workday(start + timedelta(days=i)) for i in range(40))
    assert calendar.on_or_before(date(2020, 10, 3)) == date(2020, 10, 3)
    assert calendar.first_workday_of_month(2020, 11) == date(2020, 11, 1)


def test_another_country_uses_its_own_holidays() -> None:
    germany = WorkCalendar("DE")
    assert not germany.is_workday(date(2020, 12, 25))  # Christmas, a Friday
    assert germany.is_workday(date(2020, 10, 1))  # China's National Day means nothing here
