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
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Integer, Select, bindparam, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.access_tokens import token_is_live, token_params
from storage.models import AccessKind, Chat, Item, ItemEvent, Plan
from storage.rows import pk


@dataclass(frozen=True, slots=True)
class BoardVersion:
    # The link asked with still opens the board (True when asked without one).
    live: bool
    title: str | None
    locale: str | None
    plans: int
    plans_changed: datetime | None
    newest_plan: int | None
    items: int
    items_changed: datetime | None
    last_event: int | None

    def key(self) -> str:
        def at(stamp: datetime | None) -> str:
            return stamp.isoformat() if stamp else "-"

        return (
            f"{self.title}|{self.locale}|{self.plans}|{at(self.plans_changed)}|"
            f"{self.newest_plan}|{self.items}|{at(self.items_changed)}|{self.last_event}"
        )


# The bound parameter naming the group in the statement below, built once (a kept page's
# request costs this one statement, not building it as well).
CHAT_ID = "board_chat_id"


@cache
def _version_statement(with_token: bool) -> Select[tuple[Any, ...]]:
    chat_id = bindparam(CHAT_ID, type_=Integer())
    of_chat = col(Plan.chat_id) == chat_id
    newest_event = select(func.max(pk(ItemEvent.id))).where(col(ItemEvent.item_id) == pk(Item.id))
    items = (
        select(
            func.count(pk(Item.id)),
            func.max(col(Item.updated_at)),
            func.max(newest_event.scalar_subquery()),
        )
        .join(Plan, pk(Plan.id) == col(Item.plan_id))
        .where(of_chat)
        .subquery()
    )
    plans = (
        select(func.count(pk(Plan.id)), func.max(col(Plan.updated_at)), func.max(pk(Plan.id)))
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


async def board_version(
    session: AsyncSession, chat_id: int, token: str | None = None
) -> BoardVersion | None:
    """The group's board version; None when the group is gone. `token`: the board's link,
    asked in the same statement whether it is still live (BoardVersion.live)."""
    params: dict[str, object] = {CHAT_ID: chat_id}
    if token is not None:
        params |= token_params(token)
    row = (await session.execute(_version_statement(token is not None), params)).one_or_none()
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
