"""The query planner's statistics are refreshed by the daily upkeep (which also runs at every
start), so a planner keeps knowing how the outbox spreads over its states as it grows."""

from jobs.upkeep import upkeep
from storage.chats import get_or_create_chat
from storage.plans import save_parsed_plan
from tests.support.query_plans import statistics_of
from tests.support.storage import NOW


async def test_the_daily_upkeep_refreshes_the_planners_statistics(db, planner, october_plan):
    async with db.session() as session:
        chat = await get_or_create_chat(session, -100123, title="工会办公室", type="supergroup")
        await session.flush()
        assert chat.id is not None
        await save_parsed_plan(session, chat.id, october_plan(), "x")
    async with db.engine.connect() as connection:
        before = await statistics_of(connection, "reminder")

    report = await upkeep(db, planner, now=NOW)

    assert report.reminders > 0
    async with db.engine.connect() as connection:
        after = await statistics_of(connection, "reminder")
    assert after and after != before
