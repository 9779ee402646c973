"""The web board (issue 17): a group's link, and what a link shows, each one unit of work.

Pages read in a read-only session (storage.db.Database.reading: on SQLite it does not wait for
the write lock, so the board answers while an import writes). A page touches its token's row,
its chat, one plan with its items (and, for the current plan, the running quarter's and year's
open items, as /plan shows them), those items' newest notes, and the chat's list of periods
for the month switcher: never anything of other groups.

A board is asked for in two steps: `open_board` reads the group's version (one statement), and
only when no page is kept for it (bot/web/board.py) does `board_page` read the plan. Between
the two a change can land; the page then shows more than its version says, and the next
request, seeing the new version, builds it again: a kept page is never older than its version.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from bot.operations.deps import Deps
from bot.operations.editing import AdminsOnly
from bot.operations.finding import NeedsAdmin, NoGroup, group_of, needs_admin
from bot.operations.opened_links import OpenedLinks, forget_link, open_link
from bot.operations.policy import Action
from bot.operations.roles import may
from bot.operations.who import Actor, Origin
from plans.months import read_period
from storage.access_tokens import link_token, reset_token, resolve_token, server_secret
from storage.board_version import BoardVersion, polled_board_version
from storage.item_queries import (
    Listing,
    item_history,
    last_notes,
    load_item,
    plan_listing,
    plan_months,
    running_listings,
)
from storage.models import AccessKind, Chat, Item, ItemEvent
from storage.plans import PeriodKey


@dataclass(frozen=True, slots=True)
class BoardLink:
    locale: str
    token: str


async def board_link(
    deps: Deps, origin: Origin, actor: Actor, *, secret: str | None, reset: bool
) -> BoardLink | NoGroup | NeedsAdmin | AdminsOnly:
    """The group's board token (issued on first use); `reset` revokes it and issues the next
    (policy.py's LINK_RESET, as /calendar reset of a group's link). `secret`: `[http]
    token_secret` (empty: the one kept in the database)."""
    async with deps.db.session() as session:
        group = await group_of(session, deps, origin, actor)
        if isinstance(group, NoGroup):
            return group
        if reset:
            allowed = may(deps, actor, Action.LINK_RESET)
            if allowed is None:
                return needs_admin(group)
            if not allowed:
                return AdminsOnly(group.locale)
        key = await server_secret(session, secret)
        issue = reset_token if reset else link_token
        token = await issue(
            session, AccessKind.BOARD, secret=key, now=deps.now(), chat_id=group.chat_id
        )
        return BoardLink(group.locale, token)


@dataclass(frozen=True, slots=True)
class BoardPage:
    locale: str
    chat: Chat
    listing: Listing
    # The open items of the quarter's and year's plans, under the current month's.
    running: list[Listing] = field(default_factory=list)
    # The chat's periods, newest first: the month switcher.
    periods: list[PeriodKey] = field(default_factory=list)
    # Item id → its newest note.
    notes: dict[int, str] = field(default_factory=dict)
    # The ?period= given could not be read: the page says so and shows the current plan.
    bad_period: str = ""


@dataclass(frozen=True, slots=True)
class BoardStamp:
    """The group a board request opens and the version of everything its page shows (the
    group's plans and items, its title and language, the office's day): a page kept under it
    (bot/web/board.py) is still the page."""

    chat_id: int
    version: str


def stamp_of(deps: Deps, chat_id: int, version: BoardVersion) -> BoardStamp:
    # The day: "n days left" and the running quarter's and year's plans change at midnight.
    day = deps.today().isoformat()
    return BoardStamp(chat_id, f"{version.key()}|{day}|{deps.default_locale}")


async def open_board(deps: Deps, token: str, links: OpenedLinks) -> BoardStamp | None:
    """The board `token` opens, as a stamp: one read when `links` remembers the token (the
    version, which also says the link is still live: storage.board_version), two the first
    time; None for a token that opens nothing (unknown, revoked, a feed's)."""
    opened = await open_link(deps.db, AccessKind.BOARD, token, links)
    if opened is None or opened.chat_id is None:
        return None
    version = await polled_board_version(deps.db, opened.chat_id, token)
    if version is None or not version.live:
        forget_link(links, AccessKind.BOARD, token)
        return None
    return stamp_of(deps, opened.chat_id, version)


async def board_page(deps: Deps, chat_id: int, period_text: str) -> BoardPage | None:
    """What the board of the group `chat_id` shows for `period_text` (2020-10, 2024Q1, 2023;
    empty: the current plan); None when the group is gone."""
    async with deps.db.reading() as session:
        chat = await session.get(Chat, chat_id)
        if chat is None:
            return None
        return await read_board(session, deps, chat, period_text)


async def read_board(session: AsyncSession, deps: Deps, chat: Chat, period_text: str) -> BoardPage:
    """The board of `chat` in the caller's read-only session (`board_page`'s: the group a
    token opens, or one the Mini App's user is bound in)."""
    today = deps.today()
    chat_id = chat.id
    assert chat_id is not None
    locale = chat.locale or deps.default_locale
    period = read_period(period_text, today) if period_text else None
    bad = period_text if period_text and period is None else ""
    listing = await plan_listing(session, chat_id, period, "", today)
    running: list[Listing] = []
    if period is None and listing.plan is not None:
        running = await running_listings(session, chat_id, listing.plan, today)
    periods = listing.months or await plan_months(session, chat_id)
    shown = [item.id for part in (listing, *running) for item in part.items]
    notes = await last_notes(session, [i for i in shown if i is not None])
    # Loaded as shown: the read-only session's rollback must not expire them.
    session.expunge_all()
    return BoardPage(locale, chat, listing, running, periods, notes, bad)


@dataclass(frozen=True, slots=True)
class BoardItem:
    locale: str
    chat: Chat
    item: Item
    history: list[ItemEvent]


async def board_item(deps: Deps, token: str, item_id: int) -> BoardItem | None:
    """One item of the token's group with its history; None when the token opens nothing or
    the item is not its group's (an id from another group opens nothing either). The token
    is looked up every time: an item's page is opened far less than the board."""
    async with deps.db.reading() as session:
        opened = await resolve_token(session, AccessKind.BOARD, token)
        chat = None
        if opened is not None and opened.chat_id is not None:
            chat = await session.get(Chat, opened.chat_id)
        if chat is None:
            return None
        return await read_item(session, deps, chat, item_id)


async def read_item(
    session: AsyncSession, deps: Deps, chat: Chat, item_id: int
) -> BoardItem | None:
    """One item of `chat` with its history, in the caller's read-only session; None when the
    item is not that group's."""
    item = await load_item(session, item_id)
    if item is None or item.plan.chat_id != chat.id:
        return None
    history = await item_history(session, item_id)
    session.expunge_all()
    return BoardItem(chat.locale or deps.default_locale, chat, item, history)
