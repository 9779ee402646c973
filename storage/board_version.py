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

from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Chat, Item, ItemEvent, Plan
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


async def board_version(
    session: AsyncSession, chat_id: int, live: ColumnElement[bool] | None = None
) -> BoardVersion | None:
    """The group's board version; None when the group is gone. `live`: whether the link asked
    with is still live, in the same statement (storage.access_tokens.token_is_live)."""
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
    row = (
        await session.execute(
            select(
                true() if live is None else live,
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
    ).one_or_none()
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
