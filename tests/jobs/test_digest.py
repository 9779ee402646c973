from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from jobs.calendar import WorkCalendar
from jobs.digest import digest_times, month_post_day
from jobs.parse import DigestSpec

SHANGHAI = ZoneInfo("Asia/Shanghai")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_monday_digest_over_october_2020_moves_off_the_golden_week_monday(
    cn: WorkCalendar,
) -> None:
    # Monday 10-05 is National Day: that week's digest goes out on Friday 10-09, the first
    # working day after the break.
    times = digest_times(
        "mon 09:00", calendar=cn, tz=SHANGHAI, start=date(2020, 10, 1), end=date(2020, 10, 31)
    )
    assert times == [
        utc(2020, 10, 9, 1),
        utc(2020, 10, 12, 1),
        utc(2020, 10, 19, 1),
        utc(2020, 10, 26, 1),
    ]


def test_chinese_spec_and_spec_object_give_the_same_times(cn: WorkCalendar) -> None:
    window = {"calendar": cn, "tz": SHANGHAI, "start": date(2020, 11, 1), "end": date(2020, 11, 30)}
    times = digest_times("周五 17:30", **window)  # type: ignore[arg-type]
    assert times == digest_times(DigestSpec(4, time(17, 30)), **window)  # type: ignore[arg-type]
    assert times == [utc(2020, 11, d, 9, 30) for d in (6, 13, 20, 27)]


def test_a_break_longer_than_a_week_gives_one_digest_not_two(cn: WorkCalendar) -> None:
    # The 2020 Spring Festival break, extended for Covid-19, ran from 01-24 to 02-02.
    times = digest_times(
        "mon 09:00", calendar=cn, tz=SHANGHAI, start=date(2020, 1, 20), end=date(2020, 2, 10)
    )
    assert times == [utc(2020, 1, 20, 1), utc(2020, 2, 3, 1), utc(2020, 2, 10, 1)]


def test_range_bounds_are_inclusive(cn: WorkCalendar) -> None:
    times = digest_times(
        "mon 09:00", calendar=cn, tz=SHANGHAI, start=date(2020, 10, 12), end=date(2020, 10, 19)
    )
    assert times == [utc(2020, 10, 12, 1), utc(2020, 10, 19, 1)]


def test_off_or_empty_range_gives_no_digest(cn: WorkCalendar) -> None:
    month = {"calendar": cn, "tz": SHANGHAI, "start": date(2020, 10, 1), "end": date(2020, 10, 31)}
    assert digest_times("off", **month) == []  # type: ignore[arg-type]
    assert digest_times(None, **month) == []  # type: ignore[arg-type]
    assert (
        digest_times(
            "mon 09:00", calendar=cn, tz=SHANGHAI, start=date(2020, 10, 31), end=date(2020, 10, 1)
        )
        == []
    )


def test_every_day_calendar_keeps_the_holiday_monday() -> None:
    every_day = WorkCalendar("CN", workdays_only=False)
    times = digest_times(
        "mon 09:00",
        calendar=every_day,
        tz=SHANGHAI,
        start=date(2020, 10, 1),
        end=date(2020, 10, 11),
    )
    assert times == [utc(2020, 10, 5, 1)]


def test_month_post_goes_out_on_the_first_working_day(cn: WorkCalendar) -> None:
    assert month_post_day(2020, 10, cn) == date(2020, 10, 9)  # after Golden Week
    assert month_post_day(2020, 11, cn) == date(2020, 11, 2)  # the 1st is a Sunday
    assert month_post_day(2021, 1, cn) == date(2021, 1, 4)  # New Year's Day, then a weekend
    assert month_post_day(2020, 12, cn) == date(2020, 12, 1)
