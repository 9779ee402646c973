"""The daily upkeep: roll the overdue window forward, plan the coming digests, forget expired
questions, refresh the query planner's statistics.

Overdue reminders never end on their own, so they are materialised only `HORIZON_DAYS` (14)
ahead (jobs/window.py). Each day's roll adds just the day that entered the window, for the items
overdue by then, and a new month's reminders of the monthly recurring items; the window's row
remembers through which day the last complete roll went (`ReminderPlanner.replan_rolling`).
The same runs right after every start: after a restart within the window it adds the days
missed, after a longer downtime (or the first time) it re-plans every item the window can change.
It goes a chunk of items per transaction and pauses between chunks, so commands never wait long.
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
