"""A calendar feed (GET /ics/<token>.ics, issue 17) in one read-only unit of work: the token's
scope, then whether the client's copy is still current — one small statement, so a calendar
polling every few minutes costs almost nothing — and only when it is not, the feed itself.

The ETag is a hash of what the content follows: the scope, its items' count and latest change
(storage.feeds.feed_version), the language, and the office's day (an item's "overdue by n days"
changes at midnight without any row changing). Last-Modified is the latest of the change and
that midnight.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession

from bot.exports.ics import calendar_ics
from bot.i18n import t
from bot.operations.deps import Deps
from bot.operations.finding import NeedsAdmin, NoGroup, group_of, needs_admin
from bot.operations.kept import Kept
from bot.operations.opened_links import OpenedLinks, forget_link, open_link
from bot.operations.policy import Action
from bot.operations.roles import may
from bot.operations.who import Actor, Origin
from storage.access_tokens import (
    TokenScope,
    link_token,
    reset_token,
    server_secret,
)
from storage.chats import get_chat
from storage.departments import departments_like, list_departments
from storage.feeds import (
    FeedScope,
    FeedVersion,
    ScopeKind,
    feed_entries,
    polled_feed_version,
    scope_title,
)
from storage.item_queries import chats_of_user
from storage.models import AccessKind
from storage.rows import row_id


@dataclass(frozen=True, slots=True)
class FeedStamp:
    # Quoted, as the header carries it.
    etag: str
    # Aware, UTC, whole seconds (HTTP dates have no fractions); None while the last change is
    # less than a second old: another change in the same second would carry the same date, and
    # a client holding it would be told 304 (RFC 9110 calls such a date weak).
    last_modified: datetime | None
    locale: str

    def current(self, if_none_match: str | None, if_modified_since: datetime | None) -> bool:
        """Whether the client's copy is this one (If-None-Match wins over If-Modified-Since,
        as RFC 9110 says)."""
        if if_none_match is not None:
            tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return self.etag in tags or "*" in tags
        if if_modified_since is None or self.last_modified is None:
            return False
        return self.last_modified <= if_modified_since


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
    strong = deps.now() - changed >= timedelta(seconds=1)
    return FeedStamp(etag, changed.replace(microsecond=0) if strong else None, locale)


async def _calendar_name(session: AsyncSession, scope: FeedScope, locale: str) -> str:
    if scope.kind is ScopeKind.PERSON:
        return t(locale, "feed.name.person")
    title = await scope_title(session, scope)
    return t(locale, f"feed.name.{scope.kind.value}", name=title)


class FeedBodies(Kept[str, bytes]):
    """The feeds built last, by ETag: a feed is the same bytes until its ETag changes (the
    ETag hashes everything it shows), so a client asking without a validator, or another
    subscriber of the same link, costs the ETag's one statement, not a rebuild."""

    def __init__(self, size: int = 32) -> None:
        super().__init__(size)


async def scope_feed(
    session: AsyncSession,
    deps: Deps,
    scope: FeedScope,
    stamp: FeedStamp,
    bodies: FeedBodies | None = None,
) -> Feed:
    """The scope's feed at `stamp`: the one kept by its ETag, else built (and kept)."""
    kept = bodies.get(stamp.etag) if bodies is not None else None
    if kept is not None:
        return Feed(stamp, kept)
    entries = await feed_entries(session, scope, deps.planner.tz)
    name = await _calendar_name(session, scope, stamp.locale)
    # Written in a thread: the HTTP server shares the bot's event loop, and a feed of hundreds
    # of events takes tens of milliseconds to write.
    body = await asyncio.to_thread(
        partial(
            calendar_ics,
            entries,
            name=name,
            locale=stamp.locale,
            today=deps.today(),
            now=deps.now(),
            live=True,
        )
    )
    if bodies is not None:
        bodies.keep(stamp.etag, body)
    return Feed(stamp, body)


async def calendar_feed(
    deps: Deps,
    token: str,
    links: OpenedLinks,
    *,
    if_none_match: str | None = None,
    if_modified_since: datetime | None = None,
    bodies: FeedBodies | None = None,
) -> Feed | FeedStamp | None:
    """GET /ics/<token>.ics: None for a token that opens no feed (unknown, revoked, a
    board's); the stamp alone when the client's copy is current (→ 304). A link opened before
    (`links`) costs one read while the feed is unchanged: the version, which also says the link
    is still live (storage.feeds.polled_feed_version). A feed built after it may be newer than
    its ETag says; it is then sent again at the next poll."""
    opened = await open_link(deps.db, AccessKind.ICS, token, links)
    if opened is None:
        return None
    scope = feed_scope(opened)
    version = await polled_feed_version(deps.db, scope, token)
    if not version.live:
        forget_link(links, AccessKind.ICS, token)
        return None
    stamp = stamp_of(scope, version, deps.today(), deps)
    if stamp.current(if_none_match, if_modified_since):
        return stamp
    async with deps.db.reading() as session:
        return await scope_feed(session, deps, scope, stamp, bodies)


def feed_scope(opened: TokenScope) -> FeedScope:
    if opened.chat_id is not None:
        return FeedScope(ScopeKind.GROUP, opened.chat_id)
    if opened.tg_user_id is not None:
        return FeedScope(ScopeKind.PERSON, opened.tg_user_id)
    if opened.department_id is not None:
        return FeedScope(ScopeKind.DEPARTMENT, opened.department_id)
    raise ValueError("a token's scope is one of chat, user, department")


# --- /calendar -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CalendarLink:
    """A scope's live feed token (a new one after a reset) and what to call it."""

    locale: str
    kind: ScopeKind
    token: str
    # The group's title or the department's name ("" for a person's own).
    name: str
    reset: bool = False


class CalendarProblem(StrEnum):
    # In private, bound to no name in any group.
    UNBOUND = "unbound"
    # No department of the group's has that name (or part of it).
    NO_DEPARTMENT = "no_department"
    # Several do: name one more exactly.
    SEVERAL = "several"
    # Only the group's admins reset its or a department's link.
    ADMINS_ONLY = "admins_only"


@dataclass(frozen=True, slots=True)
class CalendarRefusal:
    locale: str
    problem: CalendarProblem
    # The department names that matched (SEVERAL) or that the group has (NO_DEPARTMENT).
    names: tuple[str, ...] = ()


async def calendar_link(
    deps: Deps,
    origin: Origin,
    actor: Actor,
    *,
    department: str,
    reset: bool,
    token_secret: str,
) -> CalendarLink | CalendarRefusal | NoGroup | NeedsAdmin:
    """/calendar: in a group its feed, in private the sender's own, with a department's name
    that department's (of the group, or of the sender's group in private); `reset` revokes
    the link and makes the next one."""
    now = deps.now()
    async with deps.db.session() as session:
        if origin.private and not department:
            chats = await chats_of_user(session, actor.tg_user_id)
            locale = (chats[0].locale if chats else None) or deps.default_locale
            own = await get_chat(session, origin.tg_chat_id)
            locale = (own.locale if own and own.locale else None) or locale
            if not chats:
                return CalendarRefusal(locale, CalendarProblem.UNBOUND)
            # One's own link: its person may reset it, no admin asked (LINK_RESET's `self_too`).
            scope: dict[str, int] = {"tg_user_id": actor.tg_user_id}
            kind, name = ScopeKind.PERSON, ""
        else:
            group = await group_of(session, deps, origin, actor)
            if isinstance(group, NoGroup):
                return group
            locale = group.locale
            if department:
                found = await departments_like(session, group.chat_id, department)
                if len(found) != 1:
                    problem = CalendarProblem.SEVERAL if found else CalendarProblem.NO_DEPARTMENT
                    if not found:
                        found = await list_departments(session, group.chat_id)
                    return CalendarRefusal(locale, problem, tuple(d.name for d in found))
                scope = {"department_id": row_id(found[0])}
                kind, name = ScopeKind.DEPARTMENT, found[0].name
            else:
                scope = {"chat_id": group.chat_id}
                kind, name = ScopeKind.GROUP, group.chat.title
            if reset:
                # Every subscriber follows a group's or a department's link: the admins'.
                allowed = may(deps, actor, Action.LINK_RESET)
                if allowed is None:
                    return needs_admin(group)
                if not allowed:
                    return CalendarRefusal(locale, CalendarProblem.ADMINS_ONLY)
        secret = await server_secret(session, token_secret)
        issue = reset_token if reset else link_token
        token = await issue(session, AccessKind.ICS, secret=secret, now=now, **scope)
        return CalendarLink(locale, kind, token, name, reset)
