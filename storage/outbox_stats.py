"""Numbers about the reminder outbox for /metrics, counted in the database so that every
instance of a multi-instance deployment reports the same truth."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Reminder, ReminderState


@dataclass(frozen=True, slots=True)
class OutboxStats:
    by_state: dict[str, int]
    # Seconds the oldest due-but-unsent reminder has been waiting; 0 when none is late.
    oldest_pending_age: float


async def outbox_stats(session: AsyncSession, now: datetime) -> OutboxStats:
    counts = dict(
        (
            await session.execute(
                select(col(Reminder.state), func.count()).group_by(col(Reminder.state))
            )
        ).all()
    )
    oldest = await session.scalar(
        select(func.min(col(Reminder.fire_at))).where(
            col(Reminder.state).in_([ReminderState.PENDING.value, ReminderState.CLAIMED.value]),
            col(Reminder.fire_at) <= now,
        )
    )
    by_state = {state.value: int(counts.get(state.value, 0)) for state in ReminderState}
    age = max((now - oldest).total_seconds(), 0.0) if oldest is not None else 0.0
    return OutboxStats(by_state, age)


async def database_answers(session: AsyncSession) -> bool:
    answer: object = await session.scalar(text("SELECT 1"))
    return answer == 1
