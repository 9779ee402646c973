"""Importing a plan: one path for the chat, the CLI and the console demo.

Parsing happens off the event loop (a large document takes a while); writing happens in one
transaction, so a preview can run the very same write and roll it back.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from jobs.outbox import ReminderPlanner
from plans.blocks import table_trouble
from plans.model import ParsedPlan
from plans.parser import parse_plan
from storage.chats import get_or_create_chat
from storage.db import Database
from storage.plans import save_parsed_plan
from storage.types import utcnow


class ImportProblem(StrEnum):
    EMPTY = "empty"
    NO_MONTH = "no_month"
    NO_ITEMS = "no_items"
    # The plan is a table whose header names no plan columns: the message names the header.
    TABLE_HEADER = "table_header"


class ImportRefused(ValueError):
    def __init__(self, problem: ImportProblem, **details: str) -> None:
        super().__init__(problem.value)
        self.problem = problem
        # Values for the message's placeholders (plain text; escape them for HTML).
        self.details = details


@dataclass(frozen=True, slots=True)
class TelegramChat:
    """The chat a plan belongs to, as Telegram describes it."""

    id: int
    title: str = ""
    type: str = ""
    is_forum: bool = False


@dataclass(frozen=True, slots=True)
class ItemRef:
    seq: int
    title: str


@dataclass(slots=True)
class ImportOutcome:
    """What an import did (or, for a preview, would do)."""

    year: int
    month: int
    title: str
    item_count: int
    created: bool
    added: list[ItemRef] = field(default_factory=list)
    changed: list[ItemRef] = field(default_factory=list)
    removed: list[ItemRef] = field(default_factory=list)
    removed_deleted: bool = False


def parse_for_import(
    text: str, *, today: date, year: int | None = None, month: int | None = None
) -> ParsedPlan:
    """The plan in `text`, or ImportRefused saying why there is none to import.

    `year`/`month` fill in what the document does not say; a document that names no year
    gets the current one (an office's plan is for this year or the next month of it).
    """
    if not text.strip():
        raise ImportRefused(ImportProblem.EMPTY)
    parsed = parse_plan(text, year=year, month=month)
    if parsed.year is None and parsed.items:
        parsed = parse_plan(text, year=today.year, month=month)
    if not parsed.items:
        if (trouble := table_trouble(text)) is not None:
            raise ImportRefused(ImportProblem.TABLE_HEADER, header="｜".join(trouble.header))
        raise ImportRefused(ImportProblem.NO_ITEMS)
    if parsed.month is None:
        raise ImportRefused(ImportProblem.NO_MONTH)
    return parsed


async def parse_for_import_async(
    text: str, *, today: date, year: int | None = None, month: int | None = None
) -> ParsedPlan:
    return await asyncio.to_thread(parse_for_import, text, today=today, year=year, month=month)


async def import_plan(
    db: Database,
    planner: ReminderPlanner,
    chat: TelegramChat,
    parsed: ParsedPlan,
    source_text: str,
    *,
    remove_missing: bool = False,
    dry_run: bool = False,
    author_tg_user_id: int | None = None,
    author_name: str = "",
) -> ImportOutcome:
    """Store `parsed` as the chat's plan for its month (merging into one already there)."""
    async with db.sessionmaker() as session:
        row = await get_or_create_chat(
            session, chat.id, title=chat.title, type=chat.type, is_forum=chat.is_forum
        )
        await session.flush()
        result = await save_parsed_plan(
            session,
            row.id,
            parsed,
            source_text,
            remove_missing=remove_missing,
            author_tg_user_id=author_tg_user_id,
            author_name=author_name,
        )

        def refs(ids: list[int]) -> list[ItemRef]:
            return [ItemRef(result.items[i].seq, result.items[i].title) for i in ids]

        outcome = ImportOutcome(
            year=result.plan.year,
            month=result.plan.month,
            title=result.plan.title,
            item_count=len(parsed.items),
            created=result.created,
            added=refs(result.added),
            changed=refs(result.changed),
            removed=refs(result.removed),
            removed_deleted=remove_missing,
        )
        if dry_run:
            await session.rollback()
        else:
            await planner.replan(session, result.added + result.changed, now=utcnow())
            await session.commit()
    return outcome
