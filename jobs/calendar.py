"""Working days: public holidays and make-up working days (调休) from the `holidays` package.

China moves working days around its holidays: 2020-10-10 was a Saturday people worked, while
2020-10-01 … 10-08 were all off. `holidays` models that as extra holidays plus a set of weekend
dates that are working days (`weekend_workdays`, filled from each year's official State Council
notice), and `is_working_day()` combines both. We read each year once into a plain dict so a
lookup afterwards is one hash probe, not a holidays-object query: the dispatcher asks for many
items at a time.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Iterable
from datetime import date, timedelta
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import holidays
from holidays.registry import COUNTRIES

log = logging.getLogger("jobs.calendar")
# Named in the warnings, since upgrading the package is what fills a missing year.
_HOLIDAYS_VERSION = version("holidays")

# Longest run of non-working days we will walk over before deciding the calendar is broken
# (every day an extra holiday, say). Golden Week plus a weekend is ten; a year is generous.
_MAX_WALK = 400


class WorkCalendar:
    """Which days are working days in one country, with an office's own exceptions.

    Years the package computes are "covered". For China the package only holds the official
    arrangement (which weekend days are worked, how the holidays are bridged) for the years whose
    State Council notice it has; other covered years get the statutory holidays without any
    make-up working days, and a warning. A year the package cannot compute at all falls back to
    plain weekends, also with a warning. Each warning is logged once per calendar and year.

    `extra_holidays` and `extra_workdays` are the office's own exceptions and beat the package.
    With `workdays_only=False` every day is a working day, exceptions included.
    """

    def __init__(
        self,
        country: str = "CN",
        extra_holidays: Iterable[date] = (),
        extra_workdays: Iterable[date] = (),
        workdays_only: bool = True,
    ) -> None:
        self.country = country
        self.extra_holidays = frozenset(extra_holidays)
        self.extra_workdays = frozenset(extra_workdays)
        self.workdays_only = workdays_only
        both = self.extra_holidays & self.extra_workdays
        if both:
            days = ", ".join(d.isoformat() for d in sorted(both))
            raise ValueError(f"dates listed both as extra holidays and as extra workdays: {days}")
        try:
            probe = _country_holidays(country, years=())
        except NotImplementedError:
            raise ValueError(
                f"the holidays package has no calendar for country {country!r}"
            ) from None
        cls = type(probe)
        self._first_year: int = cls.start_year
        self._last_year: int = cls.end_year
        self._weekend: frozenset[int] = frozenset(probe.weekend)
        self._official_years = _official_years(probe)
        # Every day of every year asked about so far -> is it a working day.
        self._days: dict[date, bool] = {}
        # The same days -> how many working days its year has up to and including it, and each
        # loaded year's total: counting the working days between two dates years apart (an item
        # overdue since long ago) then costs a lookup per year, not a step per day.
        self._rank: dict[date, int] = {}
        self._year_total: dict[int, int] = {}

    def __repr__(self) -> str:
        return (
            f"WorkCalendar(country={self.country!r}, extra_holidays={len(self.extra_holidays)}, "
            f"extra_workdays={len(self.extra_workdays)}, workdays_only={self.workdays_only})"
        )

    # --- what the package knows ---------------------------------------------------------------

    def covers(self, year: int) -> bool:
        """Whether the package computes this country's holidays for `year`."""
        return self._first_year <= year <= self._last_year

    def has_official_schedule(self, year: int) -> bool:
        """Whether the package also knows `year`'s official arrangement (China: the 调休 days).

        False for a covered year means its holidays are the package's estimate: statutory days
        only, no make-up working days. For countries without such arrangements this is `covers`.
        """
        if not self.covers(year):
            return False
        return self._official_years is None or year in self._official_years

    # --- queries ------------------------------------------------------------------------------

    def is_workday(self, d: date) -> bool:
        if not self.workdays_only:
            return True
        known = self._days.get(d)
        if known is None:
            self._load(d.year)
            known = self._days[d]
        return known

    def on_or_before(self, d: date) -> date:
        """`d` if it is a working day, else the last working day before it."""
        return self._walk(d, -1)

    def on_or_after(self, d: date) -> date:
        """`d` if it is a working day, else the first working day after it."""
        return self._walk(d, 1)

    def add_workdays(self, d: date, n: int) -> date:
        """The `n`-th working day after `d` (before it when `n` < 0); `d` itself never counts.

        So one working day after a Saturday is the Monday. `n` = 0 is `on_or_after(d)`.
        """
        if n == 0:
            return self.on_or_after(d)
        step = 1 if n > 0 else -1
        for _ in range(abs(n)):
            d = self._walk(d + timedelta(days=step), step)
        return d

    def workdays_between(self, start: date, end: date) -> int:
        """How many working days lie after `start` up to and including `end` (0 if `end` is
        not after `start`): `add_workdays(start, n)` for that n is `on_or_before(end)`."""
        if end <= start:
            return 0
        if not self.workdays_only:
            return (end - start).days
        return (
            self._rank_of(end)
            - self._rank_of(start)
            + sum(self._total(year) for year in range(start.year, end.year))
        )

    def first_workday_of_month(self, year: int, month: int) -> date:
        first = date(year, month, 1)
        found = self.on_or_after(first)
        if found.month != month:
            # A whole month off only happens with a misconfigured calendar; say so loudly.
            raise ValueError(f"{year}-{month:02d} has no working day in this calendar")
        return found

    # --- internals ----------------------------------------------------------------------------

    def _walk(self, d: date, step: int) -> date:
        for _ in range(_MAX_WALK):
            if self.is_workday(d):
                return d
            d += timedelta(days=step)
        raise ValueError(f"no working day within {_MAX_WALK} days of {d.isoformat()}")

    def _rank_of(self, d: date) -> int:
        if d not in self._rank:
            self._load(d.year)
        return self._rank[d]

    def _total(self, year: int) -> int:
        if year not in self._year_total:
            self._load(year)
        return self._year_total[year]

    def _load(self, year: int) -> None:
        jan1 = date(year, 1, 1)
        days = [jan1 + timedelta(days=i) for i in range((date(year + 1, 1, 1) - jan1).days)]
        if self.covers(year):
            known = _country_holidays(self.country, years=year)
            flags = [known.is_working_day(d) for d in days]
            if not self.has_official_schedule(year):
                log.warning(
                    "holidays %s has no official %s holiday schedule for %d: using the statutory "
                    "holidays without make-up working days (upgrade the holidays package)",
                    _HOLIDAYS_VERSION,
                    self.country,
                    year,
                )
        else:
            flags = [d.weekday() not in self._weekend for d in days]
            log.warning(
                "holidays %s does not know %s holidays for %d: only weekends are days off",
                _HOLIDAYS_VERSION,
                self.country,
                year,
            )
        rank = 0
        for d, working in zip(days, flags, strict=True):
            if d in self.extra_holidays:
                working = False
            elif d in self.extra_workdays:
                working = True
            self._days[d] = working
            rank += working
            self._rank[d] = rank
        self._year_total[year] = rank


def _country_holidays(country: str, years: int | tuple[()]) -> Any:
    """`holidays.country_holidays(country, years=years)`, with only that country's module loaded.

    The package's own lookup imports holidays.countries, whose __init__ imports all of its ~250
    countries: 8 MiB, a tenth of the bot's memory at start, for the one it needs."""
    cls = _country_class(country)
    if cls is None:
        return holidays.country_holidays(country, years=years)
    return cls(years=years)


@cache
def _country_class(country: str) -> Any:
    """The class for an ISO code from the country's own module, or None (the package's registry
    or layout is not what this expects: the caller then takes the package's way)."""
    for module, (name, *codes) in COUNTRIES.items():
        if country not in codes:
            continue
        path = Path(holidays.__file__).parent / "countries" / f"{module}.py"
        spec = importlib.util.spec_from_file_location(f"holidays.countries.{module}", path)
        if spec is None or spec.loader is None:
            return None
        loaded = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(loaded)
        except (ImportError, OSError):
            return None
        return getattr(loaded, name, None)
    return None


def _official_years(probe: Any) -> frozenset[int] | None:
    """Years with an official arrangement, or None when the country has no such thing.

    A country that moves working days (China) lists them per year in `special_public_holidays`
    as substitutions (to-month, to-day, from-month, from-day[, from-year]); a year missing there
    has not been published, or not yet been added to the package.
    """
    if not getattr(probe, "has_substituted_holidays", False):
        return None
    specials: dict[int, Any] = getattr(probe, "special_public_holidays", {}) or {}
    return frozenset(specials)
