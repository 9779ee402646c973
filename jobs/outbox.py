"""Materialising reminders: the outbox rows that say which item is reminded when.

Whenever an item is created, imported, edited, extended, snoozed or reopened its pending rows
are re-planned from the chat's policy; when it is done or deleted they are cancelled. Rows
already sent (or being sent) are never touched, so re-planning cannot remind twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Row, and_, delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from jobs.calendar import WorkCalendar
from jobs.claims import chunks
from jobs.parse import parse_days, parse_time
from jobs.policy import PlannedReminder, ReminderPolicy, recurring_deadline, reminders_for
from storage.db import Database
from storage.models import Chat, Item, ItemStatus, Plan, Reminder, ReminderState
from storage.rows import pk, row_id
from storage.types import utcnow

# Overdue reminders are materialised this far ahead; the daily re-plan rolls the window on.
HORIZON_DAYS = 60
SETTINGS_KEY = "reminders"
# Items re-planned per transaction by `replan_rolling`: short transactions (tens of ms), since
# SQLite has one writer and the event loop one thread, and the chat must not wait behind the
# daily roll.
REPLAN_CHUNK = 50
MAX_PAUSE_SECONDS = 0.5

# An outbox row as `replan` reads it (id, item_id, kind, fire_at, state, updated_at, escalated).
_Row = Row[int, int, str, datetime, str, datetime, bool]

# Plain strings: an enum member's `.value` costs a descriptor call, and the upkeep compares
# states some thousand times a chunk.
_PENDING = ReminderState.PENDING.value
_CANCELLED = ReminderState.CANCELLED.value
_SENT = ReminderState.SENT.value
_USED_STATES = frozenset(
    {ReminderState.SENT.value, ReminderState.CLAIMED.value, ReminderState.FAILED.value}
)


def chat_policy(defaults: ReminderPolicy, settings: Mapping[str, Any] | None) -> ReminderPolicy:
    """The defaults with a chat's own choices (Chat.settings["reminders"]) laid over them.

    Settings are stored as the user typed them were validated; a value that no longer parses
    (a hand-edited database) is ignored rather than stopping every reminder of the chat.
    """
    own = dict((settings or {}).get(SETTINGS_KEY) or {})
    changes: dict[str, Any] = {}
    readers: dict[str, Callable[[Any], Any]] = {
        "remind_at": lambda v: parse_time(str(v)),
        "days_before": lambda v: parse_days(" ".join(map(str, v)) if isinstance(v, list) else v),
        "enabled": bool,
        "overdue": bool,
        "escalate_after": int,
        "digest": str,
        "month_post": bool,
    }
    for key, read in readers.items():
        if key in own:
            try:
                changes[key] = read(own[key])
            except (TypeError, ValueError):
                continue
    try:
        return dataclasses.replace(defaults, **changes)
    except ValueError:
        return defaults


@dataclass(frozen=True)
class ReminderPlanner:
    """Turns items into outbox rows; one per process, shared by the chat and the scheduler."""

    defaults: ReminderPolicy
    calendar: WorkCalendar
    tz: ZoneInfo
    horizon_days: int = HORIZON_DAYS

    def plan_item(self, item: Item, policy: ReminderPolicy, now: datetime) -> list[PlannedReminder]:
        today = now.astimezone(self.tz).date()
        if item.status == ItemStatus.DONE.value:
            return []
        deadline = item.deadline
        if deadline is None and item.recurring:
            deadline = recurring_deadline(today.year, today.month)
            # Its next month starts the day after: a recurring item is never overdue, it is
            # due again (the daily re-plan moves it on).
            policy = dataclasses.replace(policy, overdue=False)
        return reminders_for(
            deadline,
            policy=policy,
            calendar=self.calendar,
            tz=self.tz,
            today=today,
            horizon_days=self.horizon_days,
            snoozed_until=item.snoozed_until,
        )

    async def replan(self, session: AsyncSession, item_ids: Iterable[int], *, now: datetime) -> int:
        """Bring the pending rows of these items in line with their state; returns rows added."""
        ids = sorted(set(item_ids))
        if not ids:
            return 0
        rows = (
            await session.execute(
                select(Item, col(Chat.settings), col(Plan.archived))
                .join(Plan, pk(Plan.id) == col(Item.plan_id))
                .join(Chat, pk(Chat.id) == col(Plan.chat_id))
                .where(pk(Item.id).in_(ids))
            )
        ).all()
        existing: dict[int, dict[tuple[str, datetime], _Row]] = {}
        for chunk in chunks(ids):
            for row in await session.execute(
                select(
                    pk(Reminder.id),
                    col(Reminder.item_id),
                    col(Reminder.kind),
                    col(Reminder.fire_at),
                    col(Reminder.state),
                    col(Reminder.updated_at),
                    col(Reminder.escalated),
                ).where(col(Reminder.item_id).in_(chunk))
            ):
                existing.setdefault(row.item_id, {})[(row.kind, row.fire_at)] = row
        stamp = utcnow()
        added: list[dict[str, Any]] = []
        unwanted: list[int] = []
        revived: dict[bool, list[int]] = {True: [], False: []}
        escalation: dict[bool, list[int]] = {True: [], False: []}
        for item, settings, archived in rows:
            item_id = row_id(item)
            # An archived plan (imported as a record of a finished period) is never reminded.
            policy = chat_policy(self.defaults, settings)
            plans = [] if archived else self.plan_item(item, policy, now)
            wanted = {(p.kind, p.fire_at): p for p in plans}
            have = existing.get(item_id, {})
            # At most one reminder a day: a day that already had one (sent, being sent, or
            # failed for good) gets no other, whatever the new policy's hour is. A reminder
            # sent late (after downtime) used the day it went out on as well.
            used_days: set[date] = set()
            for (_, fire_at), reminder in have.items():
                if reminder.state in _USED_STATES:
                    used_days.add(fire_at.astimezone(self.tz).date())
                    if reminder.state == _SENT:
                        used_days.add(reminder.updated_at.astimezone(self.tz).date())
            unwanted.extend(
                reminder.id
                for key, reminder in have.items()
                if reminder.state == _PENDING and key not in wanted
            )
            for key, planned in wanted.items():
                found = have.get(key)
                if found is None and planned.day in used_days:
                    continue
                if found is None:
                    added.append(
                        {
                            "item_id": item_id,
                            "kind": planned.kind,
                            "fire_at": planned.fire_at,
                            "escalated": planned.escalated,
                            "state": _PENDING,
                            "attempts": 0,
                            "created_at": stamp,
                            "updated_at": stamp,
                        }
                    )
                elif found.state == _CANCELLED:
                    # Reopened or re-extended onto a day it was once cancelled for.
                    revived[planned.escalated].append(found.id)
                elif found.state == _PENDING and found.escalated != planned.escalated:
                    # Same day and hour, but the chat may have moved escalation since.
                    escalation[planned.escalated].append(found.id)
        # Core statements, not ORM objects: a re-plan of many items (an import, the upkeep)
        # would otherwise spend its time building and flushing an object per row.
        # Every change is conditional on the state read: another instance's dispatcher may
        # have claimed a row since, and a claimed row must stay to be marked sent.
        table = Reminder.__table__  # type: ignore[attr-defined]
        for chunk in chunks(unwanted):
            await session.execute(
                delete(table).where(table.c.id.in_(chunk), table.c.state == _PENDING)
            )
        for escalated, found_ids in revived.items():
            for chunk in chunks(found_ids):
                await session.execute(
                    update(table)
                    .where(table.c.id.in_(chunk), table.c.state == _CANCELLED)
                    .values(
                        state=_PENDING,
                        attempts=0,
                        escalated=escalated,
                        updated_at=stamp,
                    )
                )
        for escalated, found_ids in escalation.items():
            for chunk in chunks(found_ids):
                await session.execute(
                    update(table)
                    .where(table.c.id.in_(chunk), table.c.state == _PENDING)
                    .values(escalated=escalated, updated_at=stamp)
                )
        for chunk in chunks(added):
            await session.execute(insert(table), list(chunk))
        return len(added)

    async def replan_chat(self, session: AsyncSession, chat_id: int, *, now: datetime) -> int:
        """Re-plan every open item of one chat (its policy changed), in the caller's transaction."""
        ids = await session.scalars(
            select(pk(Item.id))
            .join(Plan, pk(Plan.id) == col(Item.plan_id))
            .where(col(Plan.chat_id) == chat_id, col(Item.status) == ItemStatus.OPEN.value)
        )
        return await self.replan(session, list(ids), now=now)

    async def replan_rolling(
        self,
        db: Database,
        *,
        now: datetime,
        guard: AbstractAsyncContextManager[Any] | None = None,
        stopping: Callable[[], bool] = lambda: False,
    ) -> int:
        """Re-plan the open items whose reminders the rolling window can change: the daily
        roll of the overdue window, and the rebuild at start. Returns the rows added.

        An item due after the window's last day has all its reminders planned already (the
        ones before a deadline are planned whatever the horizon; its overdue ones start after
        the deadline), so only items due by then, or recurring ones (they move on to their next
        month), are read. A chunk per transaction, `guard` (a lock) held for each chunk, not
        the whole: dispatch passes and commands go on in between. After each chunk it pauses
        as long as the chunk took, so it never holds more than half of the event loop's time
        or of SQLite's single writer, however many items there are.
        """
        last = now.astimezone(self.tz).date() + timedelta(days=self.horizon_days)
        query = (
            select(pk(Item.id))
            .where(
                col(Item.status) == ItemStatus.OPEN.value,
                or_(
                    col(Item.deadline) <= last,
                    and_(col(Item.deadline).is_(None), col(Item.recurring).is_(True)),
                ),
            )
            .order_by(pk(Item.id))
        )
        async with db.session() as session:
            ids = list(await session.scalars(query))
        added = 0
        for start in range(0, len(ids), REPLAN_CHUNK):
            if stopping():
                break
            began = time.monotonic()
            async with guard or contextlib.nullcontext(), db.session() as session:
                added += await self.replan(session, ids[start : start + REPLAN_CHUNK], now=now)
            await asyncio.sleep(min(time.monotonic() - began, MAX_PAUSE_SECONDS))
        return added

    @staticmethod
    async def cancel(session: AsyncSession, item_ids: Iterable[int]) -> None:
        """No more reminders for these items (done or deleted); sent rows stay as history."""
        ids = sorted(set(item_ids))
        if not ids:
            return
        await session.execute(
            update(Reminder)
            .where(
                col(Reminder.item_id).in_(ids), col(Reminder.state) == ReminderState.PENDING.value
            )
            .values(state=ReminderState.CANCELLED.value)
        )

    @staticmethod
    async def forget(session: AsyncSession, item_ids: Iterable[int]) -> None:
        """Drop pending rows outright (an item about to be deleted)."""
        await session.execute(
            delete(Reminder).where(
                col(Reminder.item_id).in_(sorted(set(item_ids))),
                col(Reminder.state) == ReminderState.PENDING.value,
            )
        )
