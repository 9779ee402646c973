"""The digest outbox: the weekly overview and the month's plan on its first working day.

Digest rows are planned two weeks ahead for every chat with a plan (the daily upkeep tops them
up), only for times still to come: a digest is news about now, so a chat that gets its first
plan on a Monday afternoon waits for next Monday rather than getting one at once. What a digest
says is decided when it goes out, from the plans as they are then.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from jobs.collection import collection_times
from jobs.digest import bulletin_day, digest_times, month_post_day
from jobs.outbox import ReminderPlanner, chat_policy
from jobs.policy import ReminderPolicy
from storage.models import Chat, Digest, DigestKind, Item, ItemStatus, Plan, ReminderState
from storage.plans import current_plan, get_plan
from storage.rows import pk, row_id

DIGEST_HORIZON_DAYS = 14
WEEKLY = DigestKind.WEEKLY.value
MONTH_POST = DigestKind.MONTH_POST.value
BULLETIN = DigestKind.BULLETIN.value


def wanted_digests(
    policy: ReminderPolicy, planner: ReminderPlanner, now: datetime, horizon_days: int
) -> set[tuple[str, datetime]]:
    """(kind, fire_at) of the digests a chat with this policy gets after `now`."""
    today = now.astimezone(planner.tz).date()
    end = today + timedelta(days=horizon_days)
    wanted = {
        (WEEKLY, at)
        for at in digest_times(
            policy.digest_spec, calendar=planner.calendar, tz=planner.tz, start=today, end=end
        )
    }
    if policy.month_post:
        year, month = today.year, today.month
        for _ in range(2):
            day = month_post_day(year, month, planner.calendar)
            if today <= day <= end:
                at = datetime.combine(day, policy.remind_at, tzinfo=planner.tz)
                wanted.add((MONTH_POST, at.astimezone(now.tzinfo)))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    wanted |= wanted_bulletins(policy, planner, today, end)
    # Progress collection: the asks and their chases (jobs/collection.py).
    wanted |= collection_times(policy, planner.calendar, planner.tz, today, end)
    return {(kind, at) for kind, at in wanted if at > now}


def bulletin_time(policy: ReminderPolicy) -> time:
    """When on its day the month's bulletin goes out: at the weekly digest's time, or at the
    reminders' time when the chat has no weekly digest."""
    spec = policy.digest_spec
    return spec.at if spec is not None else policy.remind_at


def wanted_bulletins(
    policy: ReminderPolicy, planner: ReminderPlanner, start: date, end: date
) -> set[tuple[str, datetime]]:
    """(BULLETIN, fire_at) of the months' bulletins whose day (the month's last working day)
    lies in `start` … `end`: none unless the chat's policy has them on."""
    if not policy.bulletin:
        return set()
    wanted = set()
    year, month = start.year, start.month
    while date(year, month, 1) <= end:
        day = bulletin_day(year, month, planner.calendar)
        if start <= day <= end:
            at = datetime.combine(day, bulletin_time(policy), tzinfo=planner.tz)
            wanted.add((BULLETIN, at.astimezone(UTC)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return wanted


def next_bulletin(
    policy: ReminderPolicy, planner: ReminderPlanner, now: datetime
) -> datetime | None:
    """When the chat's next month-end bulletin goes out under `policy` (for /remind)."""
    today = now.astimezone(planner.tz).date()
    # This month's last working day, or next month's once it has passed.
    coming = wanted_bulletins(policy, planner, today, today + timedelta(days=62))
    return min((at for _, at in coming if at > now), default=None)


async def plan_digests(
    session: AsyncSession,
    planner: ReminderPlanner,
    *,
    now: datetime,
    chat_ids: Iterable[int] | None = None,
    horizon_days: int = DIGEST_HORIZON_DAYS,
) -> int:
    """Bring the chats' pending digest rows in line with their policy; returns rows added.

    Every chat with at least one plan, or just `chat_ids` (our Chat ids).
    """
    query = select(Chat).where(select(pk(Plan.id)).where(col(Plan.chat_id) == pk(Chat.id)).exists())
    if chat_ids is not None:
        query = query.where(pk(Chat.id).in_(sorted(set(chat_ids))))
    chats = list(await session.scalars(query))
    if not chats:
        return 0
    existing: dict[int, dict[tuple[str, datetime], Digest]] = {}
    for row in await session.scalars(
        select(Digest).where(
            col(Digest.chat_id).in_([c.id for c in chats]),
            col(Digest.fire_at) > now - timedelta(days=1),
        )
    ):
        existing.setdefault(row.chat_id, {})[(row.kind, row.fire_at)] = row
    added = 0
    for chat in chats:
        chat_id = row_id(chat)
        wanted = wanted_digests(
            chat_policy(planner.defaults, chat.settings), planner, now, horizon_days
        )
        have = existing.get(chat_id, {})
        for key, row in have.items():
            if row.state == ReminderState.PENDING.value and row.fire_at > now and key not in wanted:
                await session.delete(row)
        for kind, at in sorted(wanted - have.keys()):
            session.add(Digest(chat_id=chat_id, kind=kind, fire_at=at))
            added += 1
    await session.flush()
    return added


async def weekly_items(
    session: AsyncSession, chat_id: int, today: date
) -> tuple[Plan | None, list[int]]:
    """The chat's current plan and its open items' ids (the weekly digest's content)."""
    plan = await current_plan(session, chat_id, today)
    if plan is None or plan.archived:
        # An archive is a record of a finished period: nothing in it to chase.
        return None, []
    ids = await session.scalars(
        select(pk(Item.id))
        .where(col(Item.plan_id) == plan.id, col(Item.status) == ItemStatus.OPEN.value)
        .order_by(col(Item.seq))
    )
    return plan, list(ids)


async def month_items(
    session: AsyncSession, chat_id: int, year: int, month: int
) -> tuple[Plan | None, list[int]]:
    """That month's plan and all its items (the month post's content)."""
    plan = await get_plan(session, chat_id, year, month)
    if plan is None:
        return None, []
    ids = await session.scalars(
        select(pk(Item.id)).where(col(Item.plan_id) == plan.id).order_by(col(Item.seq))
    )
    return plan, list(ids)
