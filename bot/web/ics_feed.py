"""GET /ics/<token>.ics: a live calendar feed (issue 17), for calendar apps that subscribe.

The token opens one scope (a group, a person, a department: storage/access_tokens.py); a wrong
or revoked one gets the bare 404 every public page gives (bot/web/public.py, which also limits
requests per client address). Calendar clients poll every few minutes: each answer carries an
ETag and Last-Modified, and a client whose copy is current gets 304 after one small statement
(bot/operations/feeds.py).
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus

from bot.operations.feeds import FeedStamp, calendar_feed
from bot.web.public import TOKEN, PublicPage

ROUTE = rf"/ics/{TOKEN}\.ics"
CONTENT_TYPE = "text/calendar; charset=utf-8"
# tornado's settings key of the server's feeds built last (bot/operations/feeds.py:FeedBodies).
BODIES = "ics_feed_bodies"


def http_date(value: str | None) -> datetime | None:
    """An If-Modified-Since header's instant (aware, UTC); None when absent or unreadable."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


class IcsFeedHandler(PublicPage):
    async def get(self, token: str) -> None:
        answer = await calendar_feed(
            self.svc.deps,
            token,
            self.links,
            if_none_match=self.request.headers.get("If-None-Match"),
            if_modified_since=http_date(self.request.headers.get("If-Modified-Since")),
            bodies=self.settings[BODIES],
        )
        if answer is None:
            self.not_found()
            return
        stamp = answer if isinstance(answer, FeedStamp) else answer.stamp
        self.set_header("ETag", stamp.etag)
        if stamp.last_modified is not None:
            self.set_header("Last-Modified", format_datetime(stamp.last_modified, usegmt=True))
        # Private: the link is the key; a shared cache must not keep one person's deadlines.
        self.set_header("Cache-Control", "private, no-cache")
        if isinstance(answer, FeedStamp):
            self.set_status(HTTPStatus.NOT_MODIFIED)
            self.finish()
            return
        self.set_header("Content-Type", CONTENT_TYPE)
        self.finish(answer.body)
