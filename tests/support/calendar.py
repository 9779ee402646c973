"""Counting working days the slow, obvious way, to check the reminder policy against."""

from datetime import date, timedelta

from jobs.calendar import WorkCalendar


def workdays_between(calendar: WorkCalendar, start: date, end: date) -> list[date]:
    """The working days from `start` to `end`, both included."""
    out = []
    d = start
    while d <= end:
        if calendar.is_workday(d):
            out.append(d)
        d += timedelta(days=1)
    return out
