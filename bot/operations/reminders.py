"""The reminders that show an item, rebuilt as it now stands: an operation that changes how a
reminder reads (done, snoozed, reopened, undone) returns them, read inside its own unit of work,
and the handler edits them in place after answering (bot/delivery/notifier.py:refresh)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.operations.deps import Deps
from jobs.acks import RebuiltReminder, reminders_showing


async def reminders_of(
    session: AsyncSession, deps: Deps, item_id: int, now: datetime
) -> tuple[RebuiltReminder, ...]:
    """The recent reminders showing the item, as they read after the change (flushed first)."""
    await session.flush()
    shown = await reminders_showing(
        session,
        deps.planner,
        item_id,
        now,
        default_locale=deps.default_locale,
        supervisors=deps.supervisors,
    )
    return tuple(shown)
