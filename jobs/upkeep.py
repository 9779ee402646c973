"""The daily upkeep: roll the overdue window forward, plan the coming digests, forget expired
questions, refresh the query planner's statistics.

Overdue reminders never end on their own, so they are materialised only `HORIZON_DAYS` ahead;
re-planning once a day the open items the rolling window can change keeps it full (and a
monthly recurring item moves on to its next month): those with a deadline inside the window or
past, and the recurring ones. An item due later has all its reminders planned already. The same
runs right after every start, which is how the outbox is rebuilt after downtime. It goes a
small chunk of items per transaction and pauses between chunks, so commands never wait long.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from jobs.digests import plan_digests
from jobs.outbox import ReminderPlanner
from storage.db import Database
from storage.pending import drop_expired

log = logging.getLogger("jobs.upkeep")


@dataclass(frozen=True, slots=True)
class UpkeepReport:
    reminders: int
    digests: int
    questions_dropped: int = 0


async def upkeep(
    db: Database,
    planner: ReminderPlanner,
    *,
    now: datetime,
    guard: AbstractAsyncContextManager[Any] | None = None,
    stopping: Callable[[], bool] = lambda: False,
) -> UpkeepReport:
    """`guard` (the scheduler's lock) is held per transaction, so passes go on in between;
    once `stopping()` says so, no further chunk of items is re-planned."""
    reminders = await planner.replan_rolling(db, now=now, guard=guard, stopping=stopping)
    async with guard or contextlib.nullcontext(), db.session() as session:
        digests = await plan_digests(session, planner, now=now)
        # Questions nobody answered (a preview left unconfirmed): asking drops expired ones
        # too, but a chat that stops asking would keep its last ones for good.
        dropped = await drop_expired(session, now)
    async with guard or contextlib.nullcontext():
        # The day's new reminders and sent ones change how the outbox spreads over its states.
        await db.refresh_statistics()
    report = UpkeepReport(reminders, digests, dropped)
    log.info(
        "daily upkeep: %d reminders and %d digests planned, %d expired questions dropped",
        reminders,
        digests,
        dropped,
    )
    return report
