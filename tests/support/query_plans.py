"""What the database plans to do for a statement: the tables it would read whole, and the indexes
it would use. SQLite answers EXPLAIN QUERY PLAN, PostgreSQL EXPLAIN (FORMAT JSON); neither runs
the statement."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.db import Database

# Tables that grow with the items, the reminders or the chat's activity: reading one whole makes
# a statement's cost grow with the database. The per-group tables (chat, plan, person,
# department) stay small.
GROWING = frozenset(
    {
        "item",
        "reminder",
        "item_event",
        "item_leader",
        "item_department",
        "reminder_message",
        "reminder_message_item",
        "extension_request",
        "deleted_item",
        "pending_question",
        "digest",
        "tg_account",
    }
)
_DML = re.compile(r"^\s*(SELECT|UPDATE|DELETE|INSERT|WITH)\b", re.IGNORECASE)
# "SCAN reminder", "SCAN item_1 USING COVERING INDEX …": a read of the whole table (or index).
_SQLITE_SCAN = re.compile(r"^SCAN (\w+?)(?:_\d+)?(?: |$)")
_SQLITE_INDEX = re.compile(r"USING (?:COVERING )?INDEX (\w+)|USING INTEGER PRIMARY KEY")


@dataclass(frozen=True, slots=True)
class Plan:
    statement: str
    lines: list[str]
    # Growing tables read whole.
    scans: set[str]
    indexes: set[str]


def is_query(statement: str) -> bool:
    return bool(_DML.match(statement))


async def explain(db: Database, statement: str, parameters: Any, *, seqscan: bool = True) -> Plan:
    """The plan of `statement`; with `seqscan` False, PostgreSQL avoids reading tables whole
    wherever an index can serve (a Seq Scan left then means no index does)."""
    async with db.engine.connect() as connection:
        if db.engine.dialect.name == "sqlite":
            rows = await connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
            lines = [str(row[-1]) for row in rows]
            scans = {m.group(1) for line in lines if (m := _SQLITE_SCAN.match(line))}
            indexes = {m.group(1) or "pk" for line in lines for m in _SQLITE_INDEX.finditer(line)}
        else:
            if not seqscan:
                await connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
            rows = await connection.exec_driver_sql(
                "EXPLAIN (FORMAT JSON) " + statement, parameters
            )
            document = rows.scalar_one()
            nodes = list(_nodes(document[0]["Plan"]))
            lines = [
                f"{node['Node Type']} {node.get('Relation Name', '')} {node.get('Index Name', '')}"
                for node in nodes
            ]
            scans = {n["Relation Name"] for n in nodes if n["Node Type"] == "Seq Scan"}
            indexes = {n["Index Name"] for n in nodes if "Index Name" in n}
        await connection.rollback()
    return Plan(statement, lines, scans & GROWING, indexes)


def _nodes(node: dict[str, Any]) -> Any:
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


async def statistics_of(connection: AsyncConnection, table: str) -> object:
    """What the planner knows of `table` (a name from the test itself): SQLite's rows of
    statistics about it, or when PostgreSQL last analyzed it on request."""
    if connection.dialect.name == "sqlite":
        query = f"SELECT count(*) FROM sqlite_stat1 WHERE tbl = '{table}'"
    else:
        query = f"SELECT last_analyze FROM pg_stat_user_tables WHERE relname = '{table}'"
    return await connection.scalar(text(query))


async def index_names(db: Database, table: str) -> set[str]:
    """The names of the indexes `table` has now (what a migration test watches come and go)."""
    async with db.engine.connect() as connection:
        found = await connection.run_sync(lambda c: inspect(c).get_indexes(table))
    return {str(index["name"]) for index in found}
