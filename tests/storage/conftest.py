"""Fixtures for the storage tests: a chat row, the October plan builder, a stored plan with its
reminders planned."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from jobs.calendar import WorkCalendar
from jobs.outbox import ReminderPlanner
from jobs.policy import ReminderPolicy
from plans.model import ParsedPlan
from storage.chats import get_or_create_chat
from storage.models import Chat
from storage.plans import save_parsed_plan
from tests.support.storage import NOW, october_plan_with


@pytest.fixture
async def chat(db_session: AsyncSession) -> Chat:
    chat = await get_or_create_chat(db_session, -100123, title="工会办公室", type="supergroup")
    await db_session.commit()
    return chat


@pytest.fixture
def planner() -> ReminderPlanner:
    return ReminderPlanner(ReminderPolicy(), WorkCalendar("CN"), ZoneInfo("Asia/Shanghai"))


@pytest.fixture
async def items(db_session, chat, october_plan, planner) -> list[int]:
    result = await save_parsed_plan(db_session, chat.id, october_plan(), "x")
    await planner.replan(db_session, result.added, now=NOW)
    await db_session.commit()
    return result.added


PlanFactory = Callable[..., ParsedPlan]


@pytest.fixture
def october_plan() -> PlanFactory:
    """Build the sample October plan; keyword arguments replace ParsedPlan fields."""
    return october_plan_with
