"""A chat's own reminder policy (/remind): changing it, and what it will bring next.

Settings live in `Chat.settings["reminders"]` in the canonical form `chat_policy` reads back;
a change re-plans the chat's reminders and digests in the same transaction, so the outbox never
follows an old policy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from jobs.digests import DIGEST_HORIZON_DAYS, WEEKLY, plan_digests, wanted_digests
from jobs.outbox import SETTINGS_KEY, ReminderPlanner, chat_policy
from jobs.policy import ReminderPolicy
from storage.models import Chat, Item, Plan, Reminder, ReminderState
from storage.rows import pk, row_id

PENDING = ReminderState.PENDING.value


def policy_of(planner: ReminderPlanner, chat: Chat | None) -> ReminderPolicy:
    return chat_policy(planner.defaults, chat.settings if chat else None)


async def change_policy(
    session: AsyncSession,
    planner: ReminderPlanner,
    chat: Chat,
    changes: dict[str, Any],
    *,
    now: datetime,
) -> ReminderPolicy:
    """Store `changes` (keys of ReminderPolicy, JSON values) and re-plan the chat."""
    chat_id = row_id(chat)
    settings = dict(chat.settings or {})
    own = dict(settings.get(SETTINGS_KEY) or {})
    own.update(changes)
    settings[SETTINGS_KEY] = own
    # A new dict, so the JSON column is written even where MutableDict would miss a nested change.
    chat.settings = settings
    await session.flush()
    await planner.replan_chat(session, chat_id, now=now)
    await plan_digests(session, planner, now=now, chat_ids=[chat_id])
    return policy_of(planner, chat)


@dataclass(frozen=True, slots=True)
class Upcoming:
    """One coming reminder message: when, and which items of which plan it lists."""

    fire_at: datetime
    items: tuple[tuple[int, int, int], ...]  # (plan year, plan month, seq)
    escalated: bool


async def upcoming(
    session: AsyncSession, chat_id: int, *, now: datetime, limit: int = 10
) -> list[Upcoming]:
    """The chat's next `limit` reminder times with their items (rows already due included)."""
    base = (
        select(col(Reminder.fire_at))
        .join(Item, pk(Item.id) == col(Reminder.item_id))
        .join(Plan, pk(Plan.id) == col(Item.plan_id))
        .where(col(Plan.chat_id) == chat_id, col(Reminder.state) == PENDING)
    )
    times = list(
        await session.scalars(base.distinct().order_by(col(Reminder.fire_at)).limit(limit))
    )
    if not times:
        return []
    rows = await session.execute(
        select(
            col(Reminder.fire_at),
            col(Plan.year),
            col(Plan.month),
            col(Item.seq),
            col(Reminder.escalated),
        )
        .join(Item, pk(Item.id) == col(Reminder.item_id))
        .join(Plan, pk(Plan.id) == col(Item.plan_id))
        .where(
            col(Plan.chat_id) == chat_id,
            col(Reminder.state) == PENDING,
            col(Reminder.fire_at).in_(times),
        )
        .order_by(col(Reminder.fire_at), col(Plan.year), col(Plan.month), col(Item.seq))
    )
    grouped: dict[datetime, list[tuple[int, int, int]]] = {}
    escalated: dict[datetime, bool] = {}
    for fire_at, year, month, seq, is_escalated in rows:
        grouped.setdefault(fire_at, []).append((year, month, seq))
        escalated[fire_at] = escalated.get(fire_at, False) or is_escalated
    return [Upcoming(at, tuple(items), escalated[at]) for at, items in grouped.items()]


def next_digest(planner: ReminderPlanner, chat: Chat | None, *, now: datetime) -> datetime | None:
    """When the chat's next weekly digest goes out under its policy (the rows for it are
    planned by the daily upkeep, so this reads the policy, not the outbox)."""
    weekly = [
        at
        for kind, at in wanted_digests(policy_of(planner, chat), planner, now, DIGEST_HORIZON_DAYS)
        if kind == WEEKLY
    ]
    return min(weekly, default=None)
