"""The daily upkeep of the outbox: roll the overdue window forward, plan the coming digests.

Overdue reminders never end on their own, so they are materialised only `HORIZON_DAYS` ahead;
re-planning every open item once a day keeps that window full (and a monthly recurring item
moves on to its next month). The same runs right after every start, which is how the outbox is
rebuilt after downtime.
"""

from __future__ import annotations

import contextlib
import logging
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from jobs.digests import plan_digests
from jobs.outbox import ReminderPlanner
from storage.db import Database

log = logging.getLogger("jobs.upkeep")


@dataclass(frozen=True, slots=True)
class UpkeepReport:
    reminders: int
    digests: int


async def upkeep(
    db: Database,
    planner: ReminderPlanner,
    *,
    now: datetime,
    guard: AbstractAsyncContextManager[Any] | None = None,
) -> UpkeepReport:
    """`guard` (the scheduler's lock) is held per transaction, so passes go on in between."""
    reminders = await planner.replan_all(db, now=now, guard=guard)
    async with guard or contextlib.nullcontext(), db.session() as session:
        digests = await plan_digests(session, planner, now=now)
    report = UpkeepReport(reminders, digests)
    log.info("outbox upkeep: %d reminders and %d digests planned", reminders, digests)
    return report
