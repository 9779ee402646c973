"""The reminder upkeep (the daily roll, and the rebuild after every start) works a small chunk
of items at a time and pauses in between: a command sent meanwhile is answered before it ends.
Its longest form, re-planning every item, is the one tested (a daily roll adds one day)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import delete, insert, select

from jobs.upkeep import upkeep
from storage.models import Chat, Item, Plan, ReminderWindow
from tests.support.harness import running_bot

# Enough for many chunks of the upkeep (50 items a transaction).
ITEMS = 1500


async def _another_office_with_overdue_items(bot) -> None:
    today = bot.application.bot_data.services.now().astimezone(bot.config.schedule.tz).date()
    async with bot.db.session() as session:
        await session.execute(
            insert(Chat), [{"tg_chat_id": -2_000_001, "title": "别的群", "type": "supergroup"}]
        )
        chat_id = await session.scalar(select(Chat.id).where(Chat.tg_chat_id == -2_000_001))
        await session.execute(
            insert(Plan), [{"chat_id": chat_id, "year": today.year, "month": today.month}]
        )
        plan_id = await session.scalar(select(Plan.id).where(Plan.chat_id == chat_id))
        await session.execute(
            insert(Item),
            [
                {
                    "plan_id": plan_id,
                    "seq": n,
                    "title": f"事项{n}",
                    "deadline": today - timedelta(days=n % 30),
                }
                for n in range(1, ITEMS + 1)
            ],
        )


async def test_a_command_sent_during_the_upkeep_is_answered_before_it_ends(tmp_path):
    async with running_bot(tmp_path) as bot:
        await _another_office_with_overdue_items(bot)
        async with bot.db.session() as session:
            # As after a downtime longer than the window (or the first roll after the
            # upgrade): no complete roll recorded, so every item due by the window is
            # re-planned, the longest upkeep there is.
            await session.execute(delete(ReminderWindow))
        svc = bot.application.bot_data.services
        scheduler = bot.application.bot_data.reminders.scheduler
        rolling = asyncio.create_task(
            upkeep(bot.db, svc.planner, now=svc.now(), guard=scheduler._lock)
        )
        try:
            await asyncio.sleep(0.05)  # under way
            assert not rolling.done()
            replies = await bot.say("/help")
            assert replies, "the command was answered"
            assert not rolling.done(), "answered while the upkeep still runs"
        finally:
            report = await asyncio.wait_for(rolling, 120)
        assert report.reminders >= ITEMS, "the upkeep planned every overdue item"
