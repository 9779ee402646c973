"""The monthly 通报 of a group (issue 16 §5), read in one unit of work: the month's plan, its
items with their lead parts, counted as of today (plans.bulletin)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.operations.deps import Deps
from bot.operations.finding import NoGroup, group_of
from bot.operations.who import Actor, Origin
from plans.bulletin import Bulletin
from storage.bulletin import bulletin_plan, month_plans, plan_bulletin
from storage.plans import PeriodKey


@dataclass(frozen=True, slots=True)
class MonthBulletin:
    locale: str
    bulletin: Bulletin


@dataclass(frozen=True, slots=True)
class NoMonthPlan:
    """No plan for the month asked (None: for any month); `have` lists the months that have
    one."""

    locale: str
    asked: tuple[int | None, int] | None
    have: list[PeriodKey]


async def month_bulletin(
    deps: Deps, origin: Origin, actor: Actor, month: tuple[int | None, int] | None
) -> MonthBulletin | NoMonthPlan | NoGroup:
    """The bulletin of `month` (none: this month's, else the latest month's) as of today."""
    today = deps.today()
    async with deps.db.session() as session:
        group = await group_of(session, deps, origin, actor)
        if isinstance(group, NoGroup):
            return group
        plan = await bulletin_plan(session, group.chat_id, month, today)
        if plan is None:
            months = await month_plans(session, group.chat_id)
            return NoMonthPlan(group.locale, month, [PeriodKey(y, m) for y, m in months])
        bulletin = await plan_bulletin(session, plan, deps.planner.tz, today)
        return MonthBulletin(group.locale, bulletin)
