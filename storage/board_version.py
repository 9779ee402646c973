"""What a group's web board follows in the database, in one statement (issue 17): the board's
pages are kept by this version (bot/web/board.py), so a board opened again and again costs this
statement while nothing changed, not the plan's reads and the page.

It counts the group's plans (the month switcher; a plan imported, deleted, retitled) and every
item of them — the items' rows, and their history's newest entry, which every report, note,
part's change and /undo adds (the id, which only grows, so a clock set back cannot hide a
change) — plus the group's title and language. The statement is bounded by the group:
plan.chat_id, then each item's history through ix_item_event_item_id_created_at.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Integer, Select, bindparam, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.access_tokens import token_is_live, token_params
from storage.db import Database
from storage.models import AccessKind, Chat, Item, ItemEvent, Plan
from storage.polled_reads import as_text, read_row
from storage.rows import pk


@dataclass(frozen=True, slots=True)
class BoardVersion:
    # The link asked with still opens the board (True when asked without one).
    live: bool
    title: str | None
    locale: str | None
    plans: int
    # The plans' and items' latest row change, as the database writes it (text: only compared).
    plans_changed: str | None
    newest_plan: int | None
    items: int
    items_changed: str | None
    last_event: int | None

    def key(self) -> str:
        return (
            f"{self.title}|{self.locale}|{self.plans}|{self.plans_changed}|"
            f"{self.newest_plan}|{self.items}|{self.items_changed}|{self.last_event}"
        )


# The bound parameter naming the group in the statement below, built once (a kept page's
# request costs this one statement, not building it as well).
CHAT_ID = "board_chat_id"


@cache
def _version_statement(with_token: bool) -> Select[tuple[Any, ...]]:
    """The board's version statement: integers and text only (instants cast to text), as
    storage.polled_reads needs."""
    chat_id = bindparam(CHAT_ID, type_=Integer())
    of_chat = col(Plan.chat_id) == chat_id
    newest_event = select(func.max(pk(ItemEvent.id))).where(col(ItemEvent.item_id) == pk(Item.id))
    items = (
        select(
            func.count(pk(Item.id)),
            as_text(func.max(col(Item.updated_at))),
            func.max(newest_event.scalar_subquery()),
        )
        .join(Plan, pk(Plan.id) == col(Item.plan_id))
        .where(of_chat)
        .subquery()
    )
    plans = (
        select(
            func.count(pk(Plan.id)),
            as_text(func.max(col(Plan.updated_at))),
            func.max(pk(Plan.id)),
        )
        .where(of_chat)
        .subquery()
    )
    return (
        select(
            token_is_live(AccessKind.BOARD) if with_token else true(),
            col(Chat.title),
            col(Chat.locale),
            *plans.columns,
            *items.columns,
        )
        .select_from(Chat)
        .join(plans, true())
        .join(items, true())
        .where(pk(Chat.id) == chat_id)
    )


def _version_of(row: tuple[Any, ...] | None) -> BoardVersion | None:
    if row is None:
        return None
    is_live, title, locale, plan_count, plans_changed, newest_plan, count, changed, event = row
    return BoardVersion(
        bool(is_live),
        title,
        locale,
        plan_count or 0,
        plans_changed,
        newest_plan,
        count or 0,
        changed,
        event,
    )


async def board_version(session: AsyncSession, chat_id: int) -> BoardVersion | None:
    """The group's board version; None when the group is gone."""
    result = await session.execute(_version_statement(False), {CHAT_ID: chat_id})
    row = result.one_or_none()
    return _version_of(tuple(row) if row is not None else None)


async def polled_board_version(db: Database, chat_id: int, token: str) -> BoardVersion | None:
    """board_version for a request of the board's link `token`, read as a polled request is
    (storage.polled_reads: one trip to the database); BoardVersion.live says whether the link
    still opens it (revoked anywhere: no longer)."""
    params = {CHAT_ID: chat_id} | token_params(token)
    return _version_of(await read_row(db, _version_statement(True), params))
