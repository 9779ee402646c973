"""A month's report (plans.summary.MonthReport) of a group, for /summary, /export and /stats and
for `planbot summary|export`: read in one read-only unit of work (on SQLite no wait for the
write lock), the month's plan or, when it has none, what plans the group has.

(bot/operations/reports.py is the other kind of report: an item's done or progress.)
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.operations.deps import Deps
from bot.operations.finding import Group, NoGroup, read_in_group
from bot.operations.who import Actor, Origin
from plans.summary import MonthReport
from storage.chats import get_chat
from storage.plans import PeriodKey, list_plans
from storage.reports import month_report, plan_for_month

# A month as plans/months.py parse_month reads it: (year or None, month); None: the current plan.
Month = tuple[int | None, int] | None


@dataclass(frozen=True, slots=True)
class GroupReport:
    """The report; `locale`: the group's language."""

    locale: str
    report: MonthReport


@dataclass(frozen=True, slots=True)
class NoMonthPlan:
    """The group has no plan for the month `asked`; `have` lists the periods it has plans for."""

    locale: str
    asked: Month
    have: list[PeriodKey]


@dataclass(frozen=True, slots=True)
class UnknownGroup:
    """No group with that Telegram id has written to the bot (the command line names one)."""

    tg_chat_id: int


async def report_of(
    deps: Deps, origin: Origin, actor: Actor, month: Month
) -> GroupReport | NoMonthPlan | NoGroup:
    """The month's report of the group the actor means (bot/operations/finding.py)."""

    async def read(session: AsyncSession, group: Group) -> GroupReport | NoMonthPlan:
        return await _report_in(session, deps, group, month)

    return await read_in_group(deps, origin, actor, read)


async def report_of_chat(
    deps: Deps, tg_chat_id: int, month: Month
) -> GroupReport | NoMonthPlan | UnknownGroup:
    """The month's report of the group with Telegram id `tg_chat_id`, made by nobody here."""
    async with deps.db.reading() as session:
        chat = await get_chat(session, tg_chat_id)
        if chat is None:
            return UnknownGroup(tg_chat_id)
        return await _report_in(
            session, deps, Group(chat, chat.locale or deps.default_locale), month
        )


async def _report_in(
    session: AsyncSession, deps: Deps, group: Group, month: Month
) -> GroupReport | NoMonthPlan:
    # MonthReport and PeriodKey are plain values: nothing of the session outlives it.
    plan = await plan_for_month(session, group.chat_id, month, deps.today())
    if plan is None:
        plans = await list_plans(session, group.chat_id)
        have = [PeriodKey(p.year, p.month, p.quarter) for p in plans]
        return NoMonthPlan(group.locale, month, have)
    report = await month_report(session, group.chat, plan, deps.planner.tz)
    return GroupReport(group.locale, report)
