"""A month's plan with its items, people and history, as plain data for the summary and exports.

The result is plans.summary's dataclasses, detached from the session: a report can be composed
and rendered after the transaction is closed (and off the event loop) without lazy loads.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, tzinfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from plans.summary import MonthReport, ReportFile, ReportItem, ReportPart, ReportUpdate
from storage.attachments import attachments_by_event
from storage.models import Chat, Item, ItemEvent, ItemStatus, Plan
from storage.parts import parts_of, review_times
from storage.plans import current_plan, get_plan, items_with_links
from storage.rows import pk, row_id


async def plan_for_month(
    session: AsyncSession, chat_id: int, month: tuple[int | None, int] | None, today: date
) -> Plan | None:
    """The plan a month argument means (`chat_id` is Chat.id).

    None: the chat's current plan (this month's, else the latest). A month without a year: the
    chat's most recent plan for that month, else this year's — so "12月" typed in January finds
    the December just gone.
    """
    if month is None:
        return await current_plan(session, chat_id, today)
    year, number = month
    if year is not None:
        return await get_plan(session, chat_id, year, number)
    latest = await session.scalar(
        select(func.max(col(Plan.year))).where(
            col(Plan.chat_id) == chat_id, col(Plan.month) == number
        )
    )
    return await get_plan(session, chat_id, latest or today.year, number)


async def month_report(session: AsyncSession, chat: Chat, plan: Plan, tz: tzinfo) -> MonthReport:
    """Everything about `plan` the summary and exports show; instants in the zone `tz`."""
    if plan.id is None:
        raise ValueError("the plan has not been saved")
    items = await items_with_links(session, plan.id)
    rows = list(
        await session.scalars(
            select(ItemEvent)
            .join(Item, pk(Item.id) == col(ItemEvent.item_id))
            .where(col(Item.plan_id) == plan.id)
            .order_by(col(ItemEvent.created_at), pk(ItemEvent.id))
        )
    )
    reviews = review_times(rows)
    files = await attachments_by_event(session, (row_id(item) for item in items))
    history: dict[int, list[ReportUpdate]] = {}
    for row in rows:
        history.setdefault(row.item_id, []).append(
            ReportUpdate(
                id=row.id or 0,
                kind=row.kind,
                text=row.text,
                percent=row.percent,
                at=row.created_at.astimezone(tz),
                author=row.author_name,
                data=dict(row.data) if row.data else None,
                files=tuple(ReportFile(a.kind, a.file_name) for a in files.get(row_id(row), ())),
                review_time=reviews.get(row_id(row)),
            )
        )
    return MonthReport(
        tg_chat_id=chat.tg_chat_id,
        year=plan.year,
        month=plan.month,
        title=plan.title,
        items=tuple(report_item(item, tz, history.get(item.id or 0, ())) for item in items),
    )


def report_item(item: Item, tz: tzinfo, updates: Iterable[ReportUpdate] = ()) -> ReportItem:
    """An item (links loaded with it) as plain data; its history as given."""
    parts = report_parts(item, tz)
    return ReportItem(
        id=item.id or 0,
        seq=item.seq,
        title=item.title,
        leaders=tuple(person.name for person in item.leaders),
        departments=tuple(p.name for p in parts if p.required),
        partners=tuple(p.name for p in parts if not p.required),
        parts=parts,
        deadline=item.deadline,
        deadline_text=item.deadline_text,
        recurring=item.recurring,
        done=item.status == ItemStatus.DONE.value,
        progress=item.progress,
        done_on=item.done_at.astimezone(tz).date() if item.done_at else None,
        updates=tuple(updates),
    )


def report_parts(item: Item, tz: tzinfo) -> tuple[ReportPart, ...]:
    """The item's department links (loaded with it) as the report's parts."""
    return tuple(
        ReportPart(
            p.name,
            p.required,
            p.status,
            p.progress,
            p.done_at.astimezone(tz).date() if p.done_at else None,
        )
        for p in parts_of(item)
    )
