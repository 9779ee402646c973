"""A calendar feed's statements reach their rows through indexes on a large database (10,000
items in 20 groups): none reads a whole growing table, so what a feed — and a 304 — costs is
bounded by its scope (a group's, a person's, a department's items), not by the database.

As tests/storage/test_storage_query_plans.py does for the commands: the statements are captured
while the feeds are read, then explained on SQLite without statistics and on PostgreSQL with
sequential scans off, and again with fresh statistics for the tables that are large.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlmodel import col

from storage.feeds import FeedScope, ScopeKind, feed_entries, feed_version
from storage.models import Chat, Department
from storage.rows import pk
from tests.support.large_office import FIRST_USER, SHANGHAI, build_office
from tests.support.query_plans import GROWING, explain, is_query
from tests.support.transactions import counted

ITEMS = 10_000
NOW = datetime(2020, 11, 16, 10, 0, tzinfo=SHANGHAI)


async def _scopes(db) -> list[FeedScope]:
    async with db.session() as session:
        chat = await session.scalar(select(pk(Chat.id)).order_by(pk(Chat.id)).limit(1))
        department = await session.scalar(
            select(pk(Department.id)).where(col(Department.chat_id) == chat).limit(1)
        )
    assert chat is not None and department is not None
    return [
        FeedScope(ScopeKind.GROUP, chat),
        # The first leader of the first group, also a member of its departments.
        FeedScope(ScopeKind.PERSON, FIRST_USER),
        FeedScope(ScopeKind.DEPARTMENT, department),
    ]


async def test_feeds_read_through_indexes_on_a_large_database(db):
    await db.refresh_statistics()
    await build_office(db, ITEMS, NOW)
    scopes = await _scopes(db)
    with counted(db.engine) as tally:
        async with db.reading() as session:
            for scope in scopes:
                assert (await feed_version(session, scope)).items > 0
                assert await feed_entries(session, scope, SHANGHAI)
    seen: dict[str, object] = {}
    for statement, parameters in tally.executed:
        if is_query(statement):
            seen.setdefault(statement, parameters)
    backend = db.engine.dialect.name
    if backend != "sqlite":
        await db.refresh_statistics()
    plans = [
        await explain(db, statement, parameters, seqscan=backend == "sqlite")
        for statement, parameters in seen.items()
    ]
    problems = [
        f"reads all of {sorted(p.scans)}:\n{p.statement}\n  " + "\n  ".join(p.lines)
        for p in plans
        if p.scans & GROWING
    ]
    assert not problems, "\n\n".join(problems)
    # The history's index counts an item's entries (SEQUENCE) and finds its newest.
    assert any("ix_item_event_item_id_created_at" in p.indexes for p in plans), [
        p.lines for p in plans
    ]
