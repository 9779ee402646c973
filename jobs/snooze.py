"""Snooze (⏰ 明天再提醒): no reminder for an item until the next working day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from jobs.outbox import ReminderPlanner
from storage.models import Item, ItemEvent, ItemEventKind, Reminder, ReminderState
from storage.rows import row_id


@dataclass(frozen=True, slots=True)
class Snoozed:
    until: date
    # The item's next reminder after the snooze, if it has one.
    next_at: datetime | None


async def snooze(
    session: AsyncSession,
    planner: ReminderPlanner,
    item: Item,
    *,
    tg_user_id: int,
    name: str,
    now: datetime,
) -> Snoozed:
    """Set `snoozed_until` to the next working day and re-plan, in the caller's transaction.

    Today's reminder, if it has not gone out yet, moves to that day; one that has stays sent.
    The ItemEvent row keeps the previous value, so an undo can restore it.
    """
    item_id = row_id(item)
    today = now.astimezone(planner.tz).date()
    until = planner.calendar.add_workdays(today, 1)
    before = item.snoozed_until
    item.snoozed_until = until
    session.add(
        ItemEvent(
            item_id=item_id,
            kind=ItemEventKind.SNOOZE.value,
            author_tg_user_id=tg_user_id,
            author_name=name,
            data={
                "until": until.isoformat(),
                "before": before.isoformat() if before else None,
            },
            created_at=now,
        )
    )
    await session.flush()
    await planner.replan(session, [item_id], now=now)
    next_at = await session.scalar(
        select(col(Reminder.fire_at))
        .where(col(Reminder.item_id) == item_id, col(Reminder.state) == ReminderState.PENDING.value)
        .order_by(col(Reminder.fire_at))
        .limit(1)
    )
    return Snoozed(until, next_at)
