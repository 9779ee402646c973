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
REFRESH = "PT1H"


def event_uid(tg_chat_id: int, item_id: int) -> str:
    return f"planbot-{tg_chat_id}-item-{item_id}@planbot"


# Written by hand rather than through the icalendar library (which the tests read it back
# with): building 500 events there took half a second, most of a feed's cost.
_TEXT_ESCAPES = str.maketrans({"\\": "\\\\", ";": "\\;", ",": "\\,", "\n": "\\n", "\r": ""})


def _text(value: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newline escaped."""
    return value.translate(_TEXT_ESCAPES)


def _instant(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _fold(line: str) -> str:
    """A content line folded at 75 octets (§3.1), never inside a UTF-8 character."""
    data = line.encode()
    if len(data) <= 75:
        return line + "\r\n"
    parts, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:
            end -= 1
        parts.append(data[start:end].decode())
        start, limit = end, 74  # a continuation line starts with a space
    return "\r\n ".join(parts) + "\r\n"


def _event(entry: FeedEntry, deadline: date, locale: str, stamp: str, today: date) -> list[str]:
    item = entry.item
    key = "export.ics.event_done" if item.done else "export.ics.event"
    description = t(
        locale,
        "export.ics.description",
        leaders=names(item.leaders, locale),
        departments=departments_words(item, locale),
        deadline=deadline_words(item, locale),
        status=status_words(item, locale, today, reported=entry.reported),
    )
    lines = [
        "BEGIN:VEVENT",
        f"UID:{_text(event_uid(entry.tg_chat_id, item.id))}",
        f"DTSTAMP:{stamp}",
        f"SEQUENCE:{entry.changes}",
    ]
    if entry.last_change is not None:
        lines.append(f"LAST-MODIFIED:{_instant(entry.last_change)}")
    lines += [
        f"DTSTART;VALUE=DATE:{deadline:%Y%m%d}",
        f"DTEND;VALUE=DATE:{deadline + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{_text(t(locale, key, seq=item.seq, title=item.title))}",
        f"DESCRIPTION:{_text(description)}",
        # A deadline is a reminder, not a meeting: the day stays free in the calendar.
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]
    return lines


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
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{_text(PRODID)}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_text(name)}",
    ]
    if live:
        lines += [f"REFRESH-INTERVAL;VALUE=DURATION:{REFRESH}", f"X-PUBLISHED-TTL:{REFRESH}"]
    stamp = _instant(now)
    for entry in entries:
        if entry.item.deadline is not None:
            lines += _event(entry, entry.item.deadline, locale, stamp, today)
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) for line in lines).encode()


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
