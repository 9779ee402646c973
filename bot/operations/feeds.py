"""A calendar feed (GET /ics/<token>.ics, issue 17) in one read-only unit of work: the token's
scope, then whether the client's copy is still current — one small statement, so a calendar
polling every few minutes costs almost nothing — and only when it is not, the feed itself.

The ETag is a hash of what the content follows: the scope, its items' count and latest change
(storage.feeds.feed_version), the language, and the office's day (an item's "overdue by n days"
changes at midnight without any row changing). Last-Modified is the latest of the change and
that midnight.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy.ext.asyncio import AsyncSession

from bot.exports.ics import calendar_ics
from bot.i18n import t
from bot.operations.deps import Deps
from storage.feeds import FeedScope, FeedVersion, ScopeKind, feed_entries, feed_version, scope_title


@dataclass(frozen=True, slots=True)
class FeedStamp:
    # Quoted, as the header carries it.
    etag: str
    # Aware, UTC, whole seconds (HTTP dates have no fractions).
    last_modified: datetime
    locale: str

    def current(self, if_none_match: str | None, if_modified_since: datetime | None) -> bool:
        """Whether the client's copy is this one (If-None-Match wins over If-Modified-Since,
        as RFC 9110 says)."""
        if if_none_match is not None:
            tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return self.etag in tags or "*" in tags
        return if_modified_since is not None and self.last_modified <= if_modified_since


@dataclass(frozen=True, slots=True)
class Feed:
    stamp: FeedStamp
    body: bytes


def stamp_of(scope: FeedScope, version: FeedVersion, today: date, deps: Deps) -> FeedStamp:
    locale = version.locale or deps.default_locale
    key = f"{scope.kind}:{scope.id}|{version.key()}|{today.isoformat()}|{locale}"
    etag = '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'
    midnight = datetime.combine(today, time(), deps.planner.tz).astimezone(UTC)
    changed = max(version.last_change, midnight) if version.last_change else midnight
    return FeedStamp(etag, changed.replace(microsecond=0), locale)


async def _calendar_name(session: AsyncSession, scope: FeedScope, locale: str) -> str:
    if scope.kind is ScopeKind.PERSON:
        return t(locale, "feed.name.person")
    title = await scope_title(session, scope)
    return t(locale, f"feed.name.{scope.kind.value}", name=title)


async def scope_feed(
    session: AsyncSession,
    deps: Deps,
    scope: FeedScope,
    *,
    if_none_match: str | None = None,
    if_modified_since: datetime | None = None,
) -> Feed | FeedStamp:
    """The scope's feed, or only its stamp when the client's copy is current (→ 304)."""
    today = deps.today()
    stamp = stamp_of(scope, await feed_version(session, scope), today, deps)
    if stamp.current(if_none_match, if_modified_since):
        return stamp
    entries = await feed_entries(session, scope, deps.planner.tz)
    body = calendar_ics(
        entries,
        name=await _calendar_name(session, scope, stamp.locale),
        locale=stamp.locale,
        today=today,
        now=deps.now(),
        live=True,
    )
    return Feed(stamp, body)
