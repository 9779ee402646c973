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
from collections.abc import Awaitable, Callable, Iterable, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Row, Select, and_, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from jobs.calendar import WorkCalendar
from jobs.claims import chunks
from jobs.parse import parse_days, parse_time
from jobs.policy import PlannedReminder, ReminderPolicy, recurring_deadline, reminders_for

# How far ahead overdue reminders are planned (14 days; why, and the margin: jobs/window.py).
from jobs.window import HORIZON_DAYS as HORIZON_DAYS
from storage.db import Database
from storage.models import Chat, Item, ItemStatus, Plan, Reminder, ReminderState
from storage.parts import awaiting_review_clause
from storage.reminder_window import Window, advance_window, insert_ignoring_duplicates, read_window
from storage.rows import pk, row_id
from storage.types import utcnow

SETTINGS_KEY = "reminders"
# Items re-planned per transaction by `replan_rolling`: short transactions (tens of ms), since
# SQLite has one writer and the event loop one thread, and the chat must not wait behind the
# daily roll.
REPLAN_CHUNK = 50
MAX_PAUSE_SECONDS = 0.5
# Items read per transaction by the daily top-up: it inserts about a row per overdue item and
# reads nothing else, so a chunk this size still commits in a few milliseconds.
TOP_UP_CHUNK = 500

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
        "bulletin": bool,
        "report": str,
        "report_chase": str,
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
                select(
                    Item,
                    col(Chat.settings),
                    col(Plan.archived),
                    awaiting_review_clause().label("awaiting_review"),
                )
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
        for item, settings, archived, in_review in rows:
            item_id = row_id(item)
            # An archived plan (imported as a record of a finished period) is never reminded,
            # nor an item whose every department has reported done and awaits approval (待审核).
            policy = chat_policy(self.defaults, settings)
            plans = [] if archived or in_review else self.plan_item(item, policy, now)
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
                    added.append(_new_row(item_id, planned, stamp))
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
        # Two instances re-planning the same item at once (both rebuilding after a downtime)
        # may insert the same row: the later one leaves it out instead of failing its chunk.
        for chunk in chunks(added):
            await session.execute(insert_ignoring_duplicates(session, table), list(chunk))
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
        """Roll the overdue window on to `horizon_days` past today: the daily upkeep, and the
        rebuild at start. Returns the rows added.

        The window's row (storage/reminder_window.py) says through which day the last complete
        roll planned every open item. Normally that is yesterday's window, so only the day (or
        days) after it are added, for the items overdue by then (`_top_up`); the recurring items
        are re-planned when a new month began. Without that row (the first roll after the
        upgrade) or when it lies in the past (down for longer than the window) every item the
        window can change is re-planned instead (`_replan_all`): today's reminder may then fall
        on a day a late reminder already used, which only the full re-plan knows about.

        A chunk per transaction, `guard` (a lock) held for each chunk, not the whole: dispatch
        passes and commands go on in between. After each chunk it pauses as long as the chunk
        took, so it never holds more than half of the event loop's time or of SQLite's single
        writer, however many items there are. The window's row moves only once every chunk
        is done: a roll stopped half way is done again, and adds nothing twice.
        """
        today = now.astimezone(self.tz).date()
        last = today + timedelta(days=self.horizon_days)
        async with db.session() as session:
            window = await read_window(session)
        if window is None or window.through < today:
            added, complete = await self._replan_all(
                db, now=now, last=last, guard=guard, stopping=stopping
            )
        else:
            added, complete = await self._top_up(
                db, now=now, after=window.through, guard=guard, stopping=stopping
            )
            if complete and (window.rolled_on.year, window.rolled_on.month) != (
                today.year,
                today.month,
            ):
                # A recurring item's deadline is its month's last day: a new month, new
                # reminders. Within a month the window changes nothing for them.
                more, complete = await self._replan_query(
                    db, _recurring_items(), now=now, guard=guard, stopping=stopping
                )
                added += more
        if complete:
            async with guard or contextlib.nullcontext(), db.session() as session:
                await advance_window(session, Window(through=last, rolled_on=today))
        return added

    async def _replan_all(
        self,
        db: Database,
        *,
        now: datetime,
        last: date,
        guard: AbstractAsyncContextManager[Any] | None,
        stopping: Callable[[], bool],
    ) -> tuple[int, bool]:
        """Re-plan every open item the window can change. An item due after the window's last
        day has all its reminders planned already (the ones before a deadline are planned
        whatever the horizon; its overdue ones start after the deadline), so only items due by
        then, or recurring ones, are read."""
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
        return await self._replan_query(db, query, now=now, guard=guard, stopping=stopping)

    async def _replan_query(
        self,
        db: Database,
        query: Select[int],
        *,
        now: datetime,
        guard: AbstractAsyncContextManager[Any] | None,
        stopping: Callable[[], bool],
    ) -> tuple[int, bool]:
        """`replan` the items `query` lists (by id), REPLAN_CHUNK a transaction; whether all were.

        Each chunk reads its own ids after the last one done, rather than all ids up front: at
        100,000 items that list alone kept ~3 MiB alive for the whole pass."""

        async def step(session: AsyncSession, after: int) -> tuple[int, int] | None:
            ids = list(await session.scalars(query.where(pk(Item.id) > after).limit(REPLAN_CHUNK)))
            if not ids:
                return None
            return await self.replan(session, ids, now=now), ids[-1]

        return await _by_chunks(db, step, guard=guard, stopping=stopping)

    async def _top_up(
        self,
        db: Database,
        *,
        now: datetime,
        after: date,
        guard: AbstractAsyncContextManager[Any] | None,
        stopping: Callable[[], bool],
    ) -> tuple[int, bool]:
        """Add the overdue reminders of the days after `after` up to the window's last day, for
        the open items overdue by then; nothing else is read or touched.

        All those days lie after today, so no reminder can have been sent on them yet, and only
        an item re-planned since the last roll (an edit, an import, another instance rolling
        too) can have a row there already: that day is left as it is.
        """
        today = now.astimezone(self.tz).date()
        last = today + timedelta(days=self.horizon_days)
        if after >= last:
            return 0, True
        # From the first new day's midnight: an index range of each item's overdue rows.
        boundary = datetime.combine(after + timedelta(days=1), dt_time(0), tzinfo=self.tz)
        table = Reminder.__table__  # type: ignore[attr-defined]
        policies: dict[int, tuple[Any, ReminderPolicy]] = {}
        # Items with the same deadline, policy and snooze get the same new days: at 100,000
        # items that is a few hundred plans, not one per item.
        plans: dict[tuple[date, ReminderPolicy, date | None], list[PlannedReminder]] = {}

        async def step(session: AsyncSession, after_id: int) -> tuple[int, int] | None:
            rows = (await session.execute(_overdue_by(last, after_id))).all()
            if not rows:
                return None
            wanted: dict[int, list[PlannedReminder]] = {}
            for row in rows:
                cached = policies.get(row.chat_id)
                if cached is None or cached[0] != row.settings:
                    cached = (row.settings, chat_policy(self.defaults, row.settings))
                    policies[row.chat_id] = cached
                policy = cached[1]
                if not (policy.enabled and policy.overdue):
                    continue
                key = (row.deadline, policy, row.snoozed_until)
                new_days = plans.get(key)
                if new_days is None:
                    new_days = plans[key] = [
                        planned
                        for planned in reminders_for(
                            row.deadline,
                            policy=policy,
                            calendar=self.calendar,
                            tz=self.tz,
                            today=today,
                            horizon_days=self.horizon_days,
                            snoozed_until=row.snoozed_until,
                        )
                        if planned.kind == "overdue" and planned.day > after
                    ]
                if new_days:
                    wanted[row.id] = new_days
            return await self._add_days(session, table, wanted, boundary), rows[-1].id

        return await _by_chunks(db, step, guard=guard, stopping=stopping)

    async def _add_days(
        self,
        session: AsyncSession,
        table: Any,
        wanted: Mapping[int, list[PlannedReminder]],
        boundary: datetime,
    ) -> int:
        """Insert the `wanted` overdue rows on days that have none yet; returns rows added."""
        if not wanted:
            return 0
        taken: dict[tuple[int, date], tuple[int, datetime, str]] = {}
        for chunk in chunks(sorted(wanted)):
            found = await session.execute(
                select(table.c.id, table.c.item_id, table.c.fire_at, table.c.state).where(
                    table.c.item_id.in_(chunk),
                    table.c.kind == "overdue",
                    table.c.fire_at >= boundary,
                )
            )
            for row in found:
                day = row.fire_at.astimezone(self.tz).date()
                taken[(row.item_id, day)] = (row.id, row.fire_at, row.state)
        stamp = utcnow()
        added: list[dict[str, Any]] = []
        revived: dict[bool, list[int]] = {True: [], False: []}
        for item_id, days in wanted.items():
            for planned in days:
                there = taken.get((item_id, planned.day))
                if there is None:
                    added.append(_new_row(item_id, planned, stamp))
                elif there[2] == _CANCELLED and there[1] == planned.fire_at:
                    # As `replan` does: an open item's cancelled row on a day it is due again.
                    revived[planned.escalated].append(there[0])
        for escalated, found_ids in revived.items():
            for chunk in chunks(found_ids):
                await session.execute(
                    update(table)
                    .where(table.c.id.in_(chunk), table.c.state == _CANCELLED)
                    .values(state=_PENDING, attempts=0, escalated=escalated, updated_at=stamp)
                )
        # Another instance rolling at the same moment may insert the same rows: its copy stays.
        for chunk in chunks(added):
            await session.execute(insert_ignoring_duplicates(session, table), list(chunk))
        return len(added)

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


async def _by_chunks(
    db: Database,
    step: Callable[[AsyncSession, int], Awaitable[tuple[int, int] | None]],
    *,
    guard: AbstractAsyncContextManager[Any] | None,
    stopping: Callable[[], bool],
) -> tuple[int, bool]:
    """Run `step(session, after_id)` a transaction at a time, `guard` held for each, until it
    returns None (nothing after that id); each call returns (rows added, the last id it did).
    After each chunk it pauses as long as the chunk took (at most MAX_PAUSE_SECONDS), so a pass
    never holds more than half of the event loop or of SQLite's single writer. Returns the rows
    added and whether every chunk was done (False: `stopping` said stop)."""
    added, after = 0, 0
    while not stopping():
        began = time.monotonic()
        async with guard or contextlib.nullcontext(), db.session() as session:
            done = await step(session, after)
        if done is None:
            return added, True
        more, after = done
        added += more
        await asyncio.sleep(min(time.monotonic() - began, MAX_PAUSE_SECONDS))
    return added, False


def _new_row(item_id: int, planned: PlannedReminder, stamp: datetime) -> dict[str, Any]:
    """A pending reminder row as `replan` and the window's roll insert it (core, not ORM)."""
    return {
        "item_id": item_id,
        "kind": planned.kind,
        "fire_at": planned.fire_at,
        "escalated": planned.escalated,
        "state": _PENDING,
        "attempts": 0,
        "created_at": stamp,
        "updated_at": stamp,
    }


def _recurring_items() -> Select[int]:
    return (
        select(pk(Item.id))
        .where(
            col(Item.status) == ItemStatus.OPEN.value,
            col(Item.deadline).is_(None),
            col(Item.recurring).is_(True),
        )
        .order_by(pk(Item.id))
    )


def _overdue_by(last: date, after_id: int) -> Any:
    """The next TOP_UP_CHUNK open items (by id, after `after_id`) of plans still reminded whose
    deadline is before `last`, so that they are overdue on a day up to it, with what plans
    their overdue days. On PostgreSQL the item and chat rows are locked (shared) until the
    chunk commits: an edit, a /done or a new chat policy either waits for it or is read as
    committed, so the rows added follow the item as it is now."""
    return (
        select(
            pk(Item.id).label("id"),
            col(Item.deadline).label("deadline"),
            col(Item.snoozed_until).label("snoozed_until"),
            pk(Chat.id).label("chat_id"),
            col(Chat.settings).label("settings"),
        )
        .join(Plan, pk(Plan.id) == col(Item.plan_id))
        .join(Chat, pk(Chat.id) == col(Plan.chat_id))
        .where(
            col(Item.status) == ItemStatus.OPEN.value,
            col(Item.deadline) < last,
            col(Plan.archived).is_(False),
            ~awaiting_review_clause(),
            pk(Item.id) > after_id,
        )
        .order_by(pk(Item.id))
        .limit(TOP_UP_CHUNK)
        .with_for_update(read=True, of=[Item.__table__, Chat.__table__])  # type: ignore[attr-defined]
    )
