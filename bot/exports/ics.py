"""Deadlines as iCalendar: one all-day event per item with a deadline. One builder serves the
month's file (/export ics) and the live feeds (GET /ics/<token>.ics, issue 17).

Each event's UID is derived from the group and the item's database id, which an item keeps when
a plan is re-imported or renumbered; SEQUENCE is the number of the item's history entries, which
only grows (history is never deleted; /undo adds an entry) and grows with every change of a
deadline (an /edit, an approved /extend, an import, an /undo of one each add an entry). A
calendar that reads the file or feed again therefore updates its events instead of adding
copies, and takes the newer version when a deadline moved.

Done items stay in the calendar as done (✅ in the title, 已完成 in the description), on their
deadline's day, rather than being dropped: a feed that dropped them would make every
subscriber's calendar delete the month's record, and VEVENT has no "completed" status.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event, vDuration

from bot.exports.common import (
    deadline_words,
    departments_words,
    month_name,
    names,
    status_words,
)
from bot.i18n import t
from plans.summary import MonthReport
from storage.feeds import FeedEntry

PRODID = "-//planbot//work plan//EN"
# How often a subscribed calendar should read the feed again (RFC 7986; Outlook's name).
REFRESH = timedelta(hours=1)


def event_uid(tg_chat_id: int, item_id: int) -> str:
    return f"planbot-{tg_chat_id}-item-{item_id}@planbot"


def _event(entry: FeedEntry, deadline: date, locale: str, stamp: datetime, today: date) -> Event:
    item = entry.item
    event = Event()
    event.add("uid", event_uid(entry.tg_chat_id, item.id))
    event.add("dtstamp", stamp)
    event.add("sequence", entry.changes)
    if entry.last_change is not None:
        event.add("last-modified", entry.last_change.astimezone(UTC))
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
            status=status_words(item, locale, today, reported=entry.reported),
        ),
    )
    # A deadline is a reminder, not a meeting: the day stays free in the calendar.
    event.add("transp", "TRANSPARENT")
    return event


def calendar_ics(
    entries: Iterable[FeedEntry],
    *,
    name: str,
    locale: str,
    today: date,
    now: datetime,
    live: bool = False,
) -> bytes:
    """`now` (aware) is the DTSTAMP; statuses are as of the office's `today`. A `live` feed
    asks clients to read it again every hour."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    if live:
        calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(REFRESH))
    stamp = now.astimezone(UTC).replace(microsecond=0)
    for entry in entries:
        if entry.item.deadline is not None:
            calendar.add_component(_event(entry, entry.item.deadline, locale, stamp, today))
    return calendar.to_ical()


def report_entries(report: MonthReport) -> list[FeedEntry]:
    """The month's items as a calendar's entries, their history loaded with them."""
    return [
        FeedEntry(
            tg_chat_id=report.tg_chat_id,
            item=item,
            changes=len(item.updates),
            last_change=item.updates[-1].at if item.updates else None,
        )
        for item in report.items
    ]


def plan_ics(report: MonthReport, *, locale: str, today: date, now: datetime) -> bytes:
    """The month's plan as a file (/export ics)."""
    name = t(locale, "export.ics.calendar", month=month_name(report, locale))
    return calendar_ics(report_entries(report), name=name, locale=locale, today=today, now=now)
