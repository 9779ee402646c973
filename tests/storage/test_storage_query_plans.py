"""On a large database every statement a command, the reminder sweep, /metrics or /healthz runs
reaches its rows through an index: none reads a whole growing table (reminder, item, their
links and history), so what a command costs does not grow with the database.

The statements are captured while the real bot answers /plan, /item, /done, /undo, /progress,
/mine and /ack over the sandbox, and while the sweep and the scrape run, then explained on the
same database: with the statistics SQLite had before the office grew (gathered on the empty
database, as after the migrations), and again after planbot refreshes them (the daily upkeep);
on PostgreSQL after ANALYZE. Before revision 0010, /done's cancelling of the item's reminders
walked the (state, fire_at) index over every pending row of every group.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text

from bot.sandbox import Message
from jobs.claims import claim_due, due_chats, next_fire_at
from storage.chats import get_chat
from storage.db import Database
from storage.outbox_stats import database_answers, outbox_stats
from tests.support.chat import bind, office_time, post_about
from tests.support.databases import drop_chat_databases, use_chat_backend
from tests.support.harness import Harness, running_bot
from tests.support.large_office import LEADERS, SHANGHAI, build_office
from tests.support.query_plans import GROWING, Plan, explain, is_query
from tests.support.transactions import counted

# Enough for the planners to tell a walk over every pending row from an index lookup.
ITEMS = 10_000
# A real month's plan has a few dozen items: /plan reads 1 % of the items, not 5 %.
PER_CHAT = 100
NOW = datetime(2020, 11, 16, 10, 0, tzinfo=SHANGHAI)
# /plan of 500 items and /mine take a dozen messages: no waiting for the group's minute here.
LIMIT = (1000, 1.0)

# Statement (the start of its text) → the index its plan must use.
EXPECTED = {
    # /done: the item's pending reminders are cancelled.
    "UPDATE reminder SET state=?, updated_at=? WHERE reminder.item_id IN": (
        "ix_reminder_item_id_state"
    ),
    # /ack: the rows the reminder replied to carried.
    "SELECT reminder.item_id, reminder.escalated FROM reminder WHERE reminder.tg_chat_id": (
        "ix_reminder_tg_message"
    ),
    # The sweep: what is due, and when the next one is.
    "SELECT reminder.item_id, count(*)": "ix_reminder_state_fire_at",
    "SELECT reminder.fire_at FROM reminder WHERE reminder.state": "ix_reminder_state_fire_at",
    # /metrics.
    "SELECT reminder.state, count(*)": "ix_reminder_state_fire_at",
}
# With fresh statistics a planner rightly reads a small table whole (SQLite: rows; PostgreSQL:
# pages of 8 KiB); only tables this large are held to an index then. Without statistics
# (SQLite) or with sequential scans off (PostgreSQL) every growing table is.
LARGE = {"sqlite": 1000, "postgresql": 1000}
_SIZE = {
    "sqlite": "SELECT count(*) FROM {table}",
    "postgresql": "SELECT relpages FROM pg_class WHERE relname = '{table}'",
}


async def _commands(bot: Harness, reminder: Message) -> None:
    for command in (
        "/plan",
        "/item 9",
        "/done 7 已报送",
        "/undo",
        "/progress 8 50% 初稿",
        "/done 5",
        # The monthly 通报: the plan's items with their lead parts.
        "/bulletin",
    ):
        replies = await bot.say(command, user=bot.admin)
        assert replies, command
    assert await bot.say("/mine", user=bot.member)
    # The leader acknowledges (an admin who answers for none of them may not).
    assert await bot.say("/ack", user=bot.member, reply_to=reminder)


async def _sweep_and_scrape(db: Database, chat_id: int) -> None:
    tomorrow = NOW.astimezone(UTC) + timedelta(days=1)
    async with db.session() as session:
        assert await due_chats(session, tomorrow)
        assert await claim_due(session, tomorrow, chat_ids=[chat_id])
        assert await next_fire_at(session, NOW) is not None
        await session.rollback()
    async with db.reading() as session:
        assert await database_answers(session)
        assert (await outbox_stats(session, NOW)).last_day["sent"]
    # The same, inside a minute of reminders: the scrape counts only what is due around now.
    async with db.reading() as session:
        await outbox_stats(session, tomorrow)


async def _chat_id(bot: Harness) -> int:
    async with bot.db.session() as session:
        chat = await get_chat(session, bot.group.id)
        assert chat is not None and chat.id is not None
        return chat.id


async def _plans(db: Database, executed: list[tuple[str, Any]], **options: bool) -> list[Plan]:
    seen: dict[str, Any] = {}
    for statement, parameters in executed:
        if is_query(statement):
            seen.setdefault(statement, parameters)
    return [await explain(db, s, parameters, **options) for s, parameters in seen.items()]


def _normal(statement: str) -> str:
    """One spelling on both backends: no quotes, `?` for every parameter, single spaces."""
    statement = re.sub(
        r"\$\d+(::(TIMESTAMP WITH TIME ZONE|[A-Z]+))?", "?", statement.replace('"', "")
    )
    return " ".join(statement.split())


async def _large_tables(db: Database) -> set[str]:
    backend = db.engine.dialect.name
    async with db.engine.connect() as connection:
        sizes = {
            table: await connection.scalar(text(_SIZE[backend].format(table=table)))
            for table in GROWING
        }
    return {table for table, size in sizes.items() if (size or 0) >= LARGE[backend]}


def _problems(plans: list[Plan], seen: str, judged: set[str]) -> list[str]:
    problems = [
        f"{seen}: reads all of {sorted(p.scans & judged)}:\n{p.statement}\n  "
        + "\n  ".join(p.lines)
        for p in plans
        if p.scans & judged
    ]
    for start, index in EXPECTED.items():
        matching = [p for p in plans if _normal(p.statement).startswith(start)]
        if not matching:
            problems.append(f"{seen}: no statement starting {start!r} was run")
        problems += [
            f"{seen}: {index} not used by:\n{p.statement}\n  " + "\n  ".join(p.lines)
            for p in matching
            if index not in p.indexes
        ]
    return problems


async def test_hot_statements_read_through_indexes_on_a_large_database(backend, tmp_path):
    use_chat_backend(backend)
    try:
        with office_time(2020, 11, 16):
            # The sweep is called below; the in-process scheduler would also re-plan 10,000
            # items at start.
            async with running_bot(
                tmp_path,
                sandbox_options={"group_limit": LIMIT},
                telegram={"rate_limits": {"group_max_rate": LIMIT[0], "group_time_period": 1}},
                reminders={"scheduler": False},
            ) as bot:
                # Statistics as the migrations left them: none of the (empty) tables.
                await bot.db.refresh_statistics()
                office = await build_office(
                    bot.db, ITEMS, NOW, tg_chat_ids=[bot.group.id], per_chat=PER_CHAT
                )
                assert office.reminders > 20 * ITEMS
                await bind(bot, LEADERS[0], bot.member)
                reminder = await post_about(bot, [1, 2, 3])
                with counted(bot.db.engine) as tally:
                    await _commands(bot, reminder)
                    await _sweep_and_scrape(bot.db, await _chat_id(bot))
                # PostgreSQL plans without statistics from the tables' sizes on disk, and its
                # autovacuum analyzes a table soon after it grows: it is asked instead to plan
                # with sequential scans off, which shows an index serves every statement.
                if backend == "sqlite":
                    unserved = _problems(
                        await _plans(bot.db, tally.executed), "without statistics", set(GROWING)
                    )
                else:
                    await bot.db.refresh_statistics()
                    unserved = _problems(
                        await _plans(bot.db, tally.executed, seqscan=False),
                        "with sequential scans off",
                        set(GROWING),
                    )
                await bot.db.refresh_statistics()
                misplanned = _problems(
                    await _plans(bot.db, tally.executed),
                    "fresh statistics",
                    await _large_tables(bot.db),
                )
        assert not unserved + misplanned, "\n\n".join(unserved + misplanned)
    finally:
        use_chat_backend("sqlite")
        await drop_chat_databases()
