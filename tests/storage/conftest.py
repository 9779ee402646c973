"""Helpers for the storage tests: a chat row, hand-built parsed plans, a stored plan with its
reminders planned."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from jobs.calendar import WorkCalendar
from jobs.outbox import ReminderPlanner
from jobs.policy import ReminderPolicy
from plans.model import ParsedItem, ParsedPlan
from storage.chats import get_or_create_chat
from storage.models import Chat
from storage.plans import save_parsed_plan

# The instant the item-change tests happen at (10:00 in Shanghai).
NOW = datetime(2024, 10, 20, 2, 0, tzinfo=UTC)


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
    return _october_plan


def _october_plan(**overrides: object) -> ParsedPlan:
    """A small plan shaped like the sample document's."""
    items = [
        ParsedItem(
            seq=1,
            title="召开十月份主席办公会",
            leaders=["张三"],
            departments=["办公室"],
            deadline=date(2024, 10, 31),
            deadline_text="十月份",
        ),
        ParsedItem(
            seq=2,
            title="开展职工书屋建设",
            leaders=["李四", "张三"],
            departments=["宣教部", "办公室", "组织部"],
            deadline=date(2024, 10, 15),
            deadline_text="10月15日前",
            content="1. 摸底\n2. 验收",
        ),
        ParsedItem(
            seq=3,
            title="困难职工帮扶",
            leaders=["王五"],
            departments=["保障部"],
            deadline=None,
            deadline_text="全年",
        ),
    ]
    fields: dict[str, object] = {
        "year": 2024,
        "month": 10,
        "title": "2024年10月工作计划",
        "items": items,
    }
    fields.update(overrides)
    return ParsedPlan(**fields)
