"""The monthly 通报's one read: a plan's items with their lead departments' parts.

One statement, the plan's items joined to their lead links and those links' departments (an
item without a lead link comes once, with no department): what the bulletin needs and nothing
of the rest of the database, whatever its size. Instants become office-local days here, so
plans.bulletin counts plain dates.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from plans.bulletin import Bulletin, BulletinRow, count_bulletin
from storage.models import (
    Department,
    DepartmentRole,
    Item,
    ItemDepartment,
    ItemStatus,
    PartStatus,
    Plan,
)
from storage.plans import get_plan
from storage.reports import plan_for_month
from storage.rows import pk, row_id

DONE = ItemStatus.DONE.value
PART_DONE = PartStatus.DONE.value
LEAD = DepartmentRole.LEAD.value


def _local_day(at: datetime | None, tz: tzinfo) -> date | None:
    return at.astimezone(tz).date() if at is not None else None


async def bulletin_rows(session: AsyncSession, plan_id: int, tz: tzinfo) -> list[BulletinRow]:
    """Each item of the plan once per lead department (in document order), or once alone."""
    query = (
        select(
            pk(Item.id),
            col(Item.seq),
            col(Item.deadline),
            col(Item.status),
            col(Item.done_at),
            col(Department.name),
            col(ItemDepartment.status),
            col(ItemDepartment.done_at),
        )
        .outerjoin(
            ItemDepartment,
            and_(
                col(ItemDepartment.item_id) == pk(Item.id),
                col(ItemDepartment.role) == LEAD,
            ),
        )
        .outerjoin(Department, pk(Department.id) == col(ItemDepartment.department_id))
        .where(col(Item.plan_id) == plan_id)
        .order_by(col(Item.seq), col(ItemDepartment.position))
    )
    rows = []
    for (
        item_id,
        seq,
        deadline,
        status,
        done_at,
        name,
        part_status,
        part_done_at,
    ) in await session.execute(query):
        rows.append(
            BulletinRow(
                item_id=item_id,
                seq=seq,
                deadline=deadline,
                item_done=status == DONE,
                item_done_on=_local_day(done_at, tz),
                department=name,
                part_done=part_status == PART_DONE,
                part_done_on=_local_day(part_done_at, tz),
            )
        )
    return rows


async def plan_bulletin(session: AsyncSession, plan: Plan, tz: tzinfo, today: date) -> Bulletin:
    """`plan`'s bulletin as of `today` (the office-local day): /bulletin's, the month-end
    post's and the Word export's."""
    rows = await bulletin_rows(session, row_id(plan), tz)
    return count_bulletin(rows, year=plan.year, month=plan.month, today=today)


async def bulletin_plan(
    session: AsyncSession, chat_id: int, month: tuple[int | None, int] | None, today: date
) -> Plan | None:
    """The month's plan a bulletin is about (`chat_id` is Chat.id): the month named, read as
    /stats reads it (storage.reports.plan_for_month); none named, this month's, else the
    latest month's — a bulletin is about a month, never a quarter's or a year's plan."""
    if month is not None:
        return await plan_for_month(session, chat_id, month, today)
    plan = await get_plan(session, chat_id, today.year, today.month)
    if plan is not None:
        return plan
    return await session.scalar(
        select(Plan)
        .where(col(Plan.chat_id) == chat_id, col(Plan.month) > 0)
        .order_by(col(Plan.year).desc(), col(Plan.month).desc())
        .limit(1)
    )


async def month_plans(session: AsyncSession, chat_id: int) -> list[tuple[int, int]]:
    """(year, month) of the chat's months' plans, newest first: what a refusal lists."""
    rows = await session.execute(
        select(col(Plan.year), col(Plan.month))
        .where(col(Plan.chat_id) == chat_id, col(Plan.month) > 0)
        .order_by(col(Plan.year).desc(), col(Plan.month).desc())
    )
    return [(year, month) for year, month in rows]
