"""The monthly 通报 of a group (issue 16 §5), read in one unit of work: the month's plan, its
items with their lead parts, counted as of today (plans.bulletin)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.operations.deps import Deps
from bot.operations.finding import Group, NoGroup, read_in_group
from bot.operations.month_reports import Month, NoMonthPlan
from bot.operations.who import Actor, Origin
from plans.bulletin import Bulletin
from storage.bulletin import bulletin_plan, month_plans, plan_bulletin
from storage.plans import PeriodKey


@dataclass(frozen=True, slots=True)
class MonthBulletin:
    locale: str
    bulletin: Bulletin


async def month_bulletin(
    deps: Deps, origin: Origin, actor: Actor, month: Month
) -> MonthBulletin | NoMonthPlan | NoGroup:
    """The bulletin of `month` (none: this month's, else the latest month's) as of today."""
    today = deps.today()

    async def read(session: AsyncSession, group: Group) -> MonthBulletin | NoMonthPlan:
        plan = await bulletin_plan(session, group.chat_id, month, today)
        if plan is None:
            months = await month_plans(session, group.chat_id)
            return NoMonthPlan(group.locale, month, [PeriodKey(y, m) for y, m in months])
        bulletin = await plan_bulletin(session, plan, deps.planner.tz, today)
        return MonthBulletin(group.locale, bulletin)

    # Read-only (no wait for SQLite's write lock): /bulletin, and /export docx's section.
    return await read_in_group(deps, origin, actor, read)
