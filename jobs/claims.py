"""Claiming due outbox rows, and recording what became of them.

A claim moves a row from `pending` to `claimed` with a lease (`claimed_until`). Two dispatchers
never get the same row: on PostgreSQL the claim reads with `FOR UPDATE SKIP LOCKED`, so a second
instance passes over rows the first is claiming; on SQLite every transaction is BEGIN IMMEDIATE,
so claims simply queue. A claimed row whose lease ran out (its dispatcher died mid-send) is due
again. A pending row that failed waits in back-off: `claimed_until` then says "not before".

Only the newest due row of an item (of a chat's digest kind) is sent; older due rows are
cancelled as superseded. After an outage of a week an item gets one overdue reminder, not five.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, and_, func, inspect, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Digest, Item, Plan, Reminder, ReminderState
from storage.rows import pk

# Long enough for a pass that sends thousands of messages at Telegram's pace; a dead instance's
# rows wait this long before another instance takes them over.
LEASE = timedelta(minutes=30)
SUPERSEDED = "superseded by a newer reminder"
# Bulk statements are chunked: SQLite and asyncpg cap the number of bound parameters.
CHUNK = 5000

PENDING = ReminderState.PENDING.value
CLAIMED = ReminderState.CLAIMED.value
SENT = ReminderState.SENT.value
FAILED = ReminderState.FAILED.value
CANCELLED = ReminderState.CANCELLED.value


@dataclass(slots=True)
class ClaimedReminder:
    id: int
    item_id: int
    kind: str
    fire_at: datetime
    escalated: bool
    attempts: int
    chat_id: int  # our Chat.id of the item's plan


@dataclass(slots=True)
class ClaimedDigest:
    id: int
    chat_id: int  # our Chat.id
    kind: str
    fire_at: datetime
    attempts: int


@dataclass(slots=True)
class Claim:
    reminders: list[ClaimedReminder] = field(default_factory=list)
    digests: list[ClaimedDigest] = field(default_factory=list)
    superseded: int = 0

    def __bool__(self) -> bool:
        return bool(self.reminders or self.digests)


def chunks(values: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _table(model: type[Reminder] | type[Digest]) -> Table:
    # The Core table, for the bulk statements below (ORM objects would cost too much here).
    table = inspect(model).local_table
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not mapped to a plain table")
    return table


def _due(model: type[Reminder] | type[Digest], now: datetime) -> Any:
    # Pending rows at or past their time, including ones in back-off (their newer sibling may
    # supersede them), and claims whose lease has run out.
    return or_(
        and_(col(model.state) == PENDING, col(model.fire_at) <= now),
        and_(col(model.state) == CLAIMED, col(model.fire_at) <= now),
    )


def _available(row: Any, now: datetime) -> bool:
    if row.state == PENDING:
        return row.claimed_until is None or row.claimed_until <= now
    return row.claimed_until is not None and row.claimed_until <= now


async def _claim_newest(
    session: AsyncSession,
    model: type[Reminder] | type[Digest],
    keys: tuple[str, ...],
    now: datetime,
    lease: timedelta,
    lock: bool,
    chat_ids: Collection[int] | None,
) -> tuple[list[Any], int]:
    """The due rows to claim (as plain rows: there may be thousands), and how many older
    ones were superseded."""
    table = _table(model)
    columns = [*(table.c[name] for name in keys), table.c.id, table.c.fire_at, table.c.state]
    columns += [table.c.claimed_until, table.c.attempts, table.c.kind]
    query = select(*columns)
    if model is Reminder:
        # The item's chat, so the pass can go chat by chat.
        query = query.add_columns(table.c.escalated, col(Plan.chat_id).label("plan_chat"))
        query = query.join(Item, pk(Item.id) == table.c.item_id).join(
            Plan, pk(Plan.id) == col(Item.plan_id)
        )
    if chat_ids is not None:
        chat = col(Plan.chat_id) if model is Reminder else table.c.chat_id
        query = query.where(chat.in_(sorted(chat_ids)))
    query = query.where(_due(model, now)).order_by(
        *(table.c[name] for name in keys), table.c.fire_at.desc()
    )
    if lock:
        # Ignored by SQLite, where BEGIN IMMEDIATE already makes the claim exclusive.
        query = query.with_for_update(skip_locked=True, of=table)
    newest: dict[tuple[Any, ...], Any] = {}
    stale: list[int] = []
    for row in await session.execute(query):
        key = tuple(getattr(row, name) for name in keys)
        if key in newest:
            if row.state == PENDING:
                stale.append(row.id)
        else:
            newest[key] = row
    claimed = [row for row in newest.values() if _available(row, now)]
    if lock:
        for group in chunks([r.id for r in claimed]):
            await session.execute(
                update(table)
                .where(table.c.id.in_(group))
                .values(state=CLAIMED, claimed_until=now + lease)
            )
        for group in chunks(stale):
            await session.execute(
                update(table)
                .where(table.c.id.in_(group))
                .values(state=CANCELLED, last_error=SUPERSEDED)
            )
    return claimed, len(stale)


async def claim_due(
    session: AsyncSession,
    now: datetime,
    *,
    lease: timedelta = LEASE,
    lock: bool = True,
    chat_ids: Collection[int] | None = None,
) -> Claim:
    """Claim every due reminder and digest (the newest per item, resp. per chat and kind),
    of all chats or of `chat_ids` (our Chat ids).

    With `lock=False` nothing is written: the rows that would be claimed, for a dry run.
    The caller commits; only then are the rows safe from other dispatchers.
    """
    reminders, superseded = await _claim_newest(
        session, Reminder, ("item_id",), now, lease, lock, chat_ids
    )
    digests, stale_digests = await _claim_newest(
        session, Digest, ("chat_id", "kind"), now, lease, lock, chat_ids
    )
    return Claim(
        reminders=[
            ClaimedReminder(
                r.id, r.item_id, r.kind, r.fire_at, r.escalated, r.attempts, r.plan_chat
            )
            for r in reminders
        ],
        digests=[ClaimedDigest(d.id, d.chat_id, d.kind, d.fire_at, d.attempts) for d in digests],
        superseded=superseded + stale_digests,
    )


async def due_chats(session: AsyncSession, now: datetime) -> dict[int, int]:
    """Chats with something due (our Chat id → due reminder rows, 0 for a digest alone).

    Cheap when nothing is due, which is what the every-minute sweep almost always finds.
    Two steps rather than one join: a planner that estimates the due rows from the state and
    the fire time separately expects a good part of the table (most rows are pending, many
    fire times lie in the past) and reads every item to join them (PostgreSQL). The first step
    reads only the due rows, through the (state, fire_at) index; the second looks their items
    up by key.
    """
    found: dict[int, int] = {}
    per_item: dict[int, int] = dict(
        (
            await session.execute(
                select(col(Reminder.item_id), func.count())
                .where(_due(Reminder, now))
                .group_by(col(Reminder.item_id))
            )
        ).all()
    )
    for group in chunks(sorted(per_item)):
        for item_id, chat_id in await session.execute(
            select(pk(Item.id), col(Plan.chat_id))
            .join(Plan, pk(Plan.id) == col(Item.plan_id))
            .where(pk(Item.id).in_(group))
        ):
            found[chat_id] = found.get(chat_id, 0) + per_item[item_id]
    for chat_id in await session.scalars(select(col(Digest.chat_id)).where(_due(Digest, now))):
        found.setdefault(chat_id, 0)
    return found


def in_parts(counts: dict[int, int], first: int, then: int) -> list[list[int]]:
    """Chats in parts of about `first` due rows, then `then` each: a small first part lets
    sending start while the rest is claimed and prepared."""
    parts: list[list[int]] = []
    size = total = 0
    for chat_id in sorted(counts):
        if not parts or total >= size:
            size = first if not parts else then
            parts.append([])
            total = 0
        parts[-1].append(chat_id)
        total += max(counts[chat_id], 1)
    return parts


async def mark_sent(
    session: AsyncSession,
    model: type[Reminder] | type[Digest],
    sent: dict[int, tuple[int | None, int | None]],
) -> None:
    """Rows delivered: row id → (Telegram chat id, message id) that carried it.

    One statement per message, not per row: a pass after an outage marks thousands.
    """
    by_message: dict[tuple[int | None, int | None], list[int]] = {}
    for row_id, where in sent.items():
        by_message.setdefault(where, []).append(row_id)
    table = _table(model)
    for (tg_chat_id, message_id), ids in by_message.items():
        values: dict[str, Any] = {"state": SENT, "claimed_until": None, "tg_message_id": message_id}
        if model is Reminder:
            values["tg_chat_id"] = tg_chat_id
        for group in chunks(ids):
            await session.execute(update(table).where(table.c.id.in_(group)).values(**values))


async def mark_cancelled(
    session: AsyncSession, model: type[Reminder] | type[Digest], ids: Sequence[int], reason: str
) -> None:
    table = _table(model)
    for group in chunks(list(ids)):
        await session.execute(
            update(table)
            .where(table.c.id.in_(group))
            .values(state=CANCELLED, claimed_until=None, last_error=reason)
        )


def backoff(attempts: int, base: float, cap: float) -> timedelta:
    """Wait before the next try of a row that failed `attempts` times: base, 2·base, … ≤ cap."""
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), cap))


@dataclass(frozen=True, slots=True)
class Retry:
    """What to do with rows whose send did not go through."""

    error: str
    # Telegram said how long to wait (429): that, and the try does not count as an attempt.
    retry_after: float | None = None
    # A refusal that no retry will change (bot removed from the chat, chat gone).
    permanent: bool = False


# Claimed, then not sent because the instance is shutting down: back to pending at once (no
# wait, no attempt counted), so the next pass here or another instance sends them.
STOPPED = Retry("not sent: the instance was stopping", retry_after=0.0)


async def release(
    session: AsyncSession,
    model: type[Reminder] | type[Digest],
    rows: dict[int, int],
    retry: Retry,
    *,
    now: datetime,
    max_attempts: int,
    base: float,
    cap: float,
) -> list[int]:
    """Give failed rows (id → attempts so far) back to pending with a back-off, or fail them.

    Returns the ids marked failed: those refused for good and those out of attempts.
    """
    failed: list[int] = []
    # Rows with the same count of attempts get the same values: one statement for each.
    by_attempts: dict[int, list[int]] = {}
    for row_id, attempts in rows.items():
        by_attempts.setdefault(attempts, []).append(row_id)
    table = _table(model)
    for attempts, ids in by_attempts.items():
        counted = attempts if retry.retry_after is not None else attempts + 1
        if retry.permanent or counted >= max_attempts:
            failed += ids
            values: dict[str, Any] = {
                "state": FAILED,
                "attempts": counted,
                "claimed_until": None,
                "last_error": retry.error[:1000],
            }
        else:
            wait = (
                timedelta(seconds=retry.retry_after)
                if retry.retry_after is not None
                else backoff(counted, base, cap)
            )
            values = {
                "state": PENDING,
                "attempts": counted,
                "claimed_until": now + wait,
                "last_error": retry.error[:1000],
            }
        for group in chunks(ids):
            await session.execute(update(table).where(table.c.id.in_(group)).values(**values))
    return failed


async def next_fire_at(session: AsyncSession, now: datetime) -> datetime | None:
    """The earliest future time a pending reminder or digest is due (for arming the timer).

    Rows in back-off and expired leases are left to the periodic sweep: finding them would need
    a scan, and a minute's delay on a retry does not matter.
    """
    times = [
        await session.scalar(
            select(col(model.fire_at))
            .where(col(model.state) == PENDING, col(model.fire_at) > now)
            .order_by(col(model.fire_at))
            .limit(1)
        )
        for model in (Reminder, Digest)
    ]
    found = [t for t in times if t is not None]
    return min(found) if found else None
