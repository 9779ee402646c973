"""Importing a plan: one path for the chat, the CLI and the console demo.

Parsing happens off the event loop (a large document takes a while); writing happens in one
transaction, so a preview can run the very same write and roll it back.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from bot.operations.who import Origin
from jobs.outbox import ReminderPlanner
from plans.blocks import table_trouble
from plans.model import ParsedPlan
from plans.months import Period
from plans.parser import NO_MONTH_WARNING, parse_plan
from storage.chats import get_or_create_chat
from storage.db import Database
from storage.plans import FieldFate, ImportResult, save_parsed_plan
from storage.rows import row_id
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
class ImportedItemRef:
    seq: int
    title: str


@dataclass(frozen=True, slots=True)
class FieldRef:
    """One field of one item a re-import changes or keeps (storage.plans.FieldChange, with the
    item's number and title for showing)."""

    seq: int
    title: str
    field: str
    old: dict[str, Any]
    new: dict[str, Any]
    fate: FieldFate
    via: str | None = None


@dataclass(slots=True)
class ImportOutcome:
    """What an import did (or, for a preview, would do)."""

    year: int
    # 1–12 for a month's plan; 0 for a quarter's (then `quarter` 1–4) or the year's.
    month: int
    title: str
    item_count: int
    created: bool
    quarter: int = 0
    archived: bool = False
    # New tasks, including those that replace a different task under the same number.
    added: list[ImportedItemRef] = field(default_factory=list)
    changed: list[ImportedItemRef] = field(default_factory=list)
    removed: list[ImportedItemRef] = field(default_factory=list)
    removed_deleted: bool = False
    # (old, new): a different task under an old number; the old one is deleted, its record kept.
    replaced: list[tuple[ImportedItemRef, ImportedItemRef]] = field(default_factory=list)
    # Field by field, in document order: what changes, and the chat's changes that stay.
    fields: list[FieldRef] = field(default_factory=list)

    @property
    def kept(self) -> list[FieldRef]:
        return [f for f in self.fields if f.fate is FieldFate.KEPT]

    @property
    def new_only(self) -> list[ImportedItemRef]:
        """Added items that do not replace an old one."""
        replacing = {new.seq for _, new in self.replaced}
        return [ref for ref in self.added if ref.seq not in replacing]


def outcome_of(result: ImportResult, item_count: int, removed_deleted: bool) -> ImportOutcome:
    """What storage did, in numbers and titles (read before the session closes)."""

    def ref(item_id: int) -> ImportedItemRef:
        return ImportedItemRef(result.items[item_id].seq, result.items[item_id].title)

    return ImportOutcome(
        year=result.plan.year,
        month=result.plan.month,
        title=result.plan.title,
        item_count=item_count,
        created=result.created,
        quarter=result.plan.quarter,
        archived=result.plan.archived,
        added=[ref(i) for i in result.added],
        changed=[ref(i) for i in result.changed],
        removed=[ref(i) for i in result.removed],
        removed_deleted=removed_deleted,
        replaced=[(ref(old), ref(new)) for old, new in result.replaced],
        fields=[
            FieldRef(ref(c.item_id).seq, ref(c.item_id).title, c.field, c.old, c.new, c.fate, c.via)
            for c in result.fields
        ],
    )


def parse_for_import(
    text: str,
    *,
    today: date,
    year: int | None = None,
    month: int | None = None,
    period: Period | None = None,
) -> ParsedPlan:
    """The plan in `text`, or ImportRefused saying why there is none to import.

    The period is the heading's month or quarter (2024年第一季度工作计划), as the parser read it.
    Otherwise `period` (what the importer chose: a month, a quarter, or the whole year) or `month`
    decides; else a heading naming a year alone (2023年重点工作任务分解) makes it the year's plan;
    else the plan is refused with NO_MONTH (the chat then asks). `year` fills in a year the
    document does not say; a document that names no year gets the current one.
    """
    if not text.strip():
        raise ImportRefused(ImportProblem.EMPTY)
    parsed = parse_plan(text, year=year)
    if parsed.year is None and parsed.items:
        parsed = parse_plan(text, year=today.year)
    if not parsed.items:
        if (trouble := table_trouble(text)) is not None:
            raise ImportRefused(ImportProblem.TABLE_HEADER, header="｜".join(trouble.header))
        raise ImportRefused(ImportProblem.NO_ITEMS)
    if parsed.month is not None or parsed.quarter is not None:
        return parsed  # the heading's month or quarter wins
    # The heading names a year alone (the year's plan) or no period: what the importer named
    # decides, else a year alone stands, else the chat asks.
    chosen = period or (Period(None, month) if month is not None else None)
    if chosen is None:
        if parsed.whole_year:
            return parsed
        raise ImportRefused(ImportProblem.NO_MONTH)
    if chosen.month is not None:
        return parse_plan(text, year=chosen.year or parsed.year or today.year, month=chosen.month)
    parsed.year = chosen.year or parsed.year
    parsed.quarter = chosen.quarter
    parsed.whole_year = chosen.quarter is None
    parsed.warnings = [w for w in parsed.warnings if w != NO_MONTH_WARNING]
    return parsed


def past_deadlines(parsed: ParsedPlan, today: date) -> list[int]:
    """The numbers of the items whose deadline is before `today`."""
    return [
        item.seq for item in parsed.items if item.deadline is not None and item.deadline < today
    ]


def all_deadlines_past(parsed: ParsedPlan, today: date) -> bool:
    """Every item has a deadline and every one is before `today`: a record of a finished period
    (last year's plan, imported to keep it), which the office may import without reminders."""
    return bool(parsed.items) and len(past_deadlines(parsed, today)) == len(parsed.items)


async def parse_for_import_async(
    text: str,
    *,
    today: date,
    year: int | None = None,
    month: int | None = None,
    period: Period | None = None,
) -> ParsedPlan:
    return await asyncio.to_thread(
        parse_for_import, text, today=today, year=year, month=month, period=period
    )


async def import_plan(
    db: Database,
    planner: ReminderPlanner,
    chat: Origin,
    parsed: ParsedPlan,
    source_text: str,
    *,
    remove_missing: bool = False,
    archived: bool = False,
    dry_run: bool = False,
    author_tg_user_id: int | None = None,
    author_name: str = "",
) -> ImportOutcome:
    """Store `parsed` as the chat's plan for its period (merging into one already there);
    `archived`: as a record only, with no reminders (planned reminders of its items go)."""
    async with db.sessionmaker() as session:
        row = await get_or_create_chat(
            session, chat.tg_chat_id, title=chat.title, type=chat.type, is_forum=chat.is_forum
        )
        await session.flush()
        result = await save_parsed_plan(
            session,
            row_id(row),
            parsed,
            source_text,
            remove_missing=remove_missing,
            archived=archived,
            author_tg_user_id=author_tg_user_id,
            author_name=author_name,
        )
        outcome = outcome_of(result, len(parsed.items), remove_missing)
        if dry_run:
            await session.rollback()
        else:
            await planner.replan(session, result.to_replan, now=utcnow())
            await session.commit()
    return outcome
