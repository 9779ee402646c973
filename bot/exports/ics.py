"""The month's deadlines as an iCalendar file: one all-day event per item with a deadline.

Each event's UID is derived from the group and the item's database id, which an item keeps when
a plan is re-imported or renumbered; SEQUENCE is the number of history entries, which only
grows. A calendar that imports the file again therefore updates its events instead of adding
copies, and takes the newer version when a deadline moved.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event

from bot.exports.common import (
    deadline_words,
    departments_words,
    month_name,
    names,
    status_words,
)
from bot.i18n import t
from plans.summary import MonthReport, ReportItem

PRODID = "-//planbot//work plan//EN"


def event_uid(report: MonthReport, item: ReportItem) -> str:
    return f"planbot-{report.tg_chat_id}-item-{item.id}@planbot"


def _event(
    report: MonthReport, item: ReportItem, deadline: date, locale: str, stamp: datetime, today: date
) -> Event:
    event = Event()
    event.add("uid", event_uid(report, item))
    event.add("dtstamp", stamp)
    event.add("sequence", len(item.updates))
    if item.updates:
        event.add("last-modified", item.updates[-1].at.astimezone(UTC))
    event.add("dtstart", deadline)
    event.add("dtend", deadline + timedelta(days=1))
    key = "export.ics.event_done" if item.done else "export.ics.event"
    event.add("summary", t(locale, key, seq=item.seq, title=item.title))
    event.add(
        "description",
        t(
            locale,
            "export.ics.description",
            leaders=names(item.leaders, locale),
            departments=departments_words(item, locale),
            deadline=deadline_words(item, locale),
            status=status_words(item, locale, today),
        ),
    )
    # A deadline is a reminder, not a meeting: the day stays free in the calendar.
    event.add("transp", "TRANSPARENT")
    return event


def plan_ics(report: MonthReport, *, locale: str, today: date, now: datetime) -> bytes:
    """`now` (aware) is the file's DTSTAMP; statuses are as of the office's `today`."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", t(locale, "export.ics.calendar", month=month_name(report, locale)))
    stamp = now.astimezone(UTC).replace(microsecond=0)
    for item in report.items:
        if item.deadline is not None:
            calendar.add_component(_event(report, item, item.deadline, locale, stamp, today))
    return calendar.to_ical()
