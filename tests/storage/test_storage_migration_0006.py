"""Revision 0006: plans stored before it stay months' plans with their items, and quarters' and
years' plans can be stored next to them."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from plans.model import ParsedItem, ParsedPlan
from storage.db import Database
from storage.migrate import downgrade_async, upgrade_async
from storage.models import Item, Plan
from storage.plans import get_plan, save_parsed_plan
from tests.support.old_schema import insert_march_meeting


async def test_plans_before_0006_survive_and_periods_fit_beside_them(database_url):
    await upgrade_async(database_url, "0005")
    old = Database.from_url(database_url)
    now = datetime.now(UTC)
    async with old.engine.begin() as connection:
        await insert_march_meeting(connection, now)
    await old.close()

    await upgrade_async(database_url)
    db = Database.from_url(database_url)
    try:
        async with db.session() as session:
            march = await get_plan(session, 1, 2023, 3, with_items=True)
            assert march is not None and (march.quarter, march.archived) == (0, False)
            assert march.imported is None and [i.title for i in march.items] == ["例会"]
            item = ParsedItem(seq=1, title="劳动竞赛", deadline_text="年底")
            year = ParsedPlan(2023, None, "2023年重点工作任务分解", [item], whole_year=True)
            q1 = ParsedPlan(2023, None, "2023年第一季度工作计划", [item], quarter=1)
            await save_parsed_plan(session, 1, year, "y")
            await save_parsed_plan(session, 1, q1, "q")
        async with db.session() as session:
            rows = (await session.execute(select(Plan.month, Plan.quarter))).all()
            assert sorted(tuple(r) for r in rows) == [(0, 0), (0, 1), (3, 0)]
            assert await session.scalar(select(Item.title).where(Item.plan_id == 1)) == "例会"
        # Still one plan per period: a second March is refused by the database.
        with pytest.raises(IntegrityError):
            async with db.session() as session:
                session.add(Plan(chat_id=1, year=2023, month=3))
        with pytest.raises(IntegrityError):
            async with db.session() as session:
                session.add(Plan(chat_id=1, year=2023, month=3, quarter=1))
    finally:
        await db.close()
    await downgrade_async(database_url, "0005")
    check = Database.from_url(database_url)
    try:
        async with check.engine.connect() as connection:
            left = (await connection.execute(text("SELECT year, month FROM plan"))).all()
        assert [tuple(r) for r in left] == [(2023, 3)], "downgrade keeps the months' plans"
    finally:
        await check.close()
