"""An account's people are found by searching an index, not by reading every group's people: the
groups a private chat means (bound_group, bound_groups — the board's Mini App too) and a
person's calendar feed filter person by tg_user_id alone, which before revision 0017 walked
ix_person_chat_id_tg_user_id whole ("SCAN person USING COVERING INDEX …"), a cost growing with
the number of groups.

On a database of many groups (400, 2,000 people), as tests/storage/test_storage_query_plans.py
does for the commands: the statements are captured while the real functions run, then explained
on SQLite without statistics and on PostgreSQL with sequential scans off, and again on both with
fresh statistics.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import select

from storage.chats import bound_group, bound_groups
from storage.db import Database
from storage.feeds import FeedScope, ScopeKind, feed_entries, feed_version
from storage.models import Chat, Person
from storage.rows import pk
from tests.support.large_office import FIRST_USER, SHANGHAI, build_office
from tests.support.query_plans import Plan, explain, is_query
from tests.support.transactions import counted

# Few items per group, many groups: the person table is what grows here.
ITEMS = 4_000
PER_CHAT = 10
NOW = datetime(2020, 11, 16, 10, 0, tzinfo=SHANGHAI)
INDEX = "ix_person_tg_user_id_chat_id"
# A statement filtering person by the account alone (person_1 and so on when aliased).
_BY_ACCOUNT = re.compile(r"\bperson(?:_\d+)?\.tg_user_id = ", re.IGNORECASE)
# A plan line reading person whole: SQLite's "SCAN person …", PostgreSQL's "Seq Scan person".
_READS_PERSON = re.compile(r"^(?:SCAN|Seq Scan) person(?:_\d+)?\b")


async def _run_lookups(db: Database) -> list[tuple[str, Any]]:
    """The statements of the account lookups, each once, with the parameters it ran with."""
    # The last group's first leader: a lookup that stops early at the first group proves nothing.
    async with db.reading() as session:
        user = await session.scalar(select(Person.tg_user_id).order_by(pk(Person.id).desc()))
        tg_chat_id = await session.scalar(select(Chat.tg_chat_id).order_by(pk(Chat.id).desc()))
    assert user is not None and user > FIRST_USER and tg_chat_id is not None
    with counted(db.engine) as tally:
        async with db.reading() as session:
            assert [c.tg_chat_id for c in await bound_groups(session, user)] == [tg_chat_id]
            assert await bound_group(session, user) is not None
            assert await bound_group(session, user, tg_chat_id) is not None
            mine = FeedScope(ScopeKind.PERSON, user)
            assert (await feed_version(session, mine)).items > 0
            assert await feed_entries(session, mine, SHANGHAI)
    seen: dict[str, Any] = {}
    for statement, parameters in tally.executed:
        if is_query(statement) and _BY_ACCOUNT.search(statement):
            seen.setdefault(statement, parameters)
    # bound_groups and bound_group (with and without the chat), the feed's version and entries.
    assert len(seen) >= 4, list(seen)
    return list(seen.items())


def _problems(plans: list[Plan], seen: str) -> list[str]:
    return [
        f"{seen}: person not searched through {INDEX}:\n{p.statement}\n  " + "\n  ".join(p.lines)
        for p in plans
        if INDEX not in p.indexes or any(_READS_PERSON.match(line) for line in p.lines)
    ]


async def test_an_accounts_people_are_searched_not_scanned_among_many_groups(db):
    backend = db.engine.dialect.name
    # Statistics as the migrations left them: none of the (empty) tables.
    await db.refresh_statistics()
    await build_office(db, ITEMS, NOW, per_chat=PER_CHAT)
    statements = await _run_lookups(db)
    if backend == "sqlite":
        first = [await explain(db, s, p) for s, p in statements]
        unserved = _problems(first, "without statistics")
    else:
        # PostgreSQL plans from the tables' sizes on disk even without ANALYZE: asked to avoid
        # sequential scans, a plan still reading person whole means no index serves it.
        first = [await explain(db, s, p, seqscan=False) for s, p in statements]
        unserved = _problems(first, "with sequential scans off")
    await db.refresh_statistics()
    fresh = [await explain(db, s, p) for s, p in statements]
    misplanned = _problems(fresh, "fresh statistics")
    assert not unserved + misplanned, "\n\n".join(unserved + misplanned)
