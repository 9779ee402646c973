"""When the weekly digest, the monthly plan post and the month's bulletin go out.

A digest whose weekday is not a working day (a Monday inside Golden Week) goes out on the next
working day instead: the week's overview is most useful late rather than never, and skipping
would leave a two-week gap exactly around the holidays when deadlines bunch up. If a long break
pushes one week's digest onto the next week's digest day, the two are one digest.
"""

from __future__ import annotations

import calendar as calendar_module
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from jobs.calendar import WorkCalendar
from jobs.parse import DigestSpec, parse_digest

# How far back a digest day can lie and still be moved into the range (longest holiday break).
_LOOKBACK = timedelta(days=35)


def digest_times(
    spec: DigestSpec | str | None,
    *,
    calendar: WorkCalendar,
    tz: ZoneInfo,
    start: date,
    end: date,
) -> list[datetime]:
    """The digest instants (aware, UTC, sorted) whose day lies in `start` … `end`, both included.

    `spec` is a DigestSpec, its text ("mon 09:00", "周一 09:00") or None/"off" for no digest.
    """
    if isinstance(spec, str):
        spec = parse_digest(spec)
    if spec is None or end < start:
        return []
    nominal = start - _LOOKBACK
    nominal += timedelta(days=(spec.weekday - nominal.weekday()) % 7)
    days: set[date] = set()
    while nominal <= end:
        day = calendar.on_or_after(nominal)
        if start <= day <= end:
            days.add(day)
        nominal += timedelta(weeks=1)
    return [datetime.combine(d, spec.at, tzinfo=tz).astimezone(UTC) for d in sorted(days)]


def month_post_day(year: int, month: int, calendar: WorkCalendar) -> date:
    """The day the month's plan is posted: the month's first working day."""
    return calendar.first_workday_of_month(year, month)


def bulletin_day(year: int, month: int, calendar: WorkCalendar) -> date:
    """The day the month's bulletin (通报) is posted: the month's last working day, by the same
    calendar as every reminder (a Saturday made a working day by 调休 counts)."""
    last = date(year, month, calendar_module.monthrange(year, month)[1])
    found = calendar.on_or_before(last)
    if found.month != month:
        raise ValueError(f"{year}-{month:02d} has no working day in this calendar")
    return found
