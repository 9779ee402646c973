"""Finding the item a command names, and who answers for it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from plans.itemref import ItemRef
from storage.item_queries import ONE_ITEM_OPTIONS, remember_locked
from storage.models import (
    DepartmentMember,
    Item,
    ItemDepartment,
    ItemLeader,
    Person,
    Plan,
)
from storage.plans import current_plan, get_plan
from storage.rows import pk


class Missing(StrEnum):
    NO_PLAN = "no_plan"
    NO_ITEM = "no_item"


@dataclass(frozen=True, slots=True)
class Resolved:
    """An item with its plan, or why there is none (and which plan was looked in)."""

    item: Item | None
    plan: Plan | None
    missing: Missing | None = None


async def resolve_item(
    session: AsyncSession, chat_id: int, ref: ItemRef, today: date, *, for_update: bool = False
) -> Resolved:
    """Item `ref.seq` of the named month's plan, or of the chat's current plan.

    The current plan is this month's, else the latest imported: a chat working through
    October's plan in early November still means October when it says `/done 3`.
    `for_update`: the item is locked and read afresh (item_queries.load_item's lock), so a
    change that follows in the transaction needs no second read.
    """
    if ref.names_plan:
        # Month 0: a quarter's plan, or with quarter 0 the year's.
        month, quarter = ref.month or 0, ref.quarter or 0
        plan = await get_plan(session, chat_id, ref.year or today.year, month, quarter=quarter)
    else:
        plan = await current_plan(session, chat_id, today)
    if plan is None:
        return Resolved(None, None, Missing.NO_PLAN)
    query = (
        select(Item)
        .where(col(Item.plan_id) == plan.id, col(Item.seq) == ref.seq)
        # The plan rides along in the same query: callers read `item.plan` after the session.
        .options(*ONE_ITEM_OPTIONS)
    )
    if for_update:
        query = query.with_for_update(of=Item).execution_options(populate_existing=True)
    item = (await session.scalars(query)).unique().one_or_none()
    if item is None:
        return Resolved(None, plan, Missing.NO_ITEM)
    if for_update:
        remember_locked(session, item)
    return Resolved(item, plan)


@dataclass(frozen=True, slots=True)
class Responsible:
    """Telegram user ids answering for an item: its bound leaders, its departments' members."""

    leaders: set[int]
    members: set[int]

    @property
    def users(self) -> set[int]:
        return self.leaders | self.members


async def responsibilities(session: AsyncSession, item_ids: list[int]) -> dict[int, Responsible]:
    """Who answers for each item, leaders and department members apart."""
    result = {item_id: Responsible(set(), set()) for item_id in item_ids}
    if not item_ids:
        return result
    # One statement for both: the leaders' rows carry True, the department members' False.
    leaders = select(
        pk(ItemLeader.item_id), col(Person.tg_user_id), literal(True).label("leads")
    ).join(Person, pk(Person.id) == pk(ItemLeader.person_id))
    members = (
        select(pk(ItemDepartment.item_id), col(Person.tg_user_id), literal(False).label("leads"))
        .join(
            DepartmentMember,
            col(DepartmentMember.department_id) == pk(ItemDepartment.department_id),
        )
        .join(Person, pk(Person.id) == col(DepartmentMember.person_id))
    )
    rows = await session.execute(
        union_all(
            leaders.where(
                pk(ItemLeader.item_id).in_(item_ids), col(Person.tg_user_id).is_not(None)
            ),
            members.where(
                pk(ItemDepartment.item_id).in_(item_ids), col(Person.tg_user_id).is_not(None)
            ),
        )
    )
    # The query leaves out unbound people already; `is not None` says so to the types.
    for item_id, user_id, leads in rows.all():
        if user_id is not None:
            (result[item_id].leaders if leads else result[item_id].members).add(user_id)
    return result


async def responsible_users(session: AsyncSession, item_ids: list[int]) -> dict[int, set[int]]:
    """Telegram user ids answering for each item: its bound leaders and department members."""
    return {
        item_id: who.users for item_id, who in (await responsibilities(session, item_ids)).items()
    }


async def is_responsible(session: AsyncSession, item_id: int, tg_user_id: int) -> bool:
    return tg_user_id in (await responsible_users(session, [item_id]))[item_id]
