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

from jobs.outbox import ReminderPlanner
from plans.model import ParsedPlan
from plans.parser import parse_plan
from storage.chats import get_or_create_chat
from storage.db import Database
from storage.plans import FieldFate, ImportResult, save_parsed_plan
from storage.types import utcnow


class ImportProblem(StrEnum):
    EMPTY = "empty"
    NO_MONTH = "no_month"
    NO_ITEMS = "no_items"


class ImportRefused(ValueError):
    def __init__(self, problem: ImportProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


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
    month: int
    title: str
    item_count: int
    created: bool
    # New tasks, including those that replace a different task under the same number.
    added: list[ItemRef] = field(default_factory=list)
    changed: list[ItemRef] = field(default_factory=list)
    removed: list[ItemRef] = field(default_factory=list)
    removed_deleted: bool = False
    # (old, new): a different task under an old number; the old one is deleted, its record kept.
    replaced: list[tuple[ItemRef, ItemRef]] = field(default_factory=list)
    # Field by field, in document order: what changes, and the chat's changes that stay.
    fields: list[FieldRef] = field(default_factory=list)

    @property
    def kept(self) -> list[FieldRef]:
        return [f for f in self.fields if f.fate is FieldFate.KEPT]

    @property
    def new_only(self) -> list[ItemRef]:
        """Added items that do not replace an old one."""
        replacing = {new.seq for _, new in self.replaced}
        return [ref for ref in self.added if ref.seq not in replacing]


def outcome_of(result: ImportResult, item_count: int, removed_deleted: bool) -> ImportOutcome:
    """What storage did, in numbers and titles (read before the session closes)."""

    def ref(item_id: int) -> ItemRef:
        return ItemRef(result.items[item_id].seq, result.items[item_id].title)

    return ImportOutcome(
        year=result.plan.year,
        month=result.plan.month,
        title=result.plan.title,
        item_count=item_count,
        created=result.created,
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
        outcome = outcome_of(result, len(parsed.items), remove_missing)
        if dry_run:
            await session.rollback()
        else:
            await planner.replan(session, result.added + result.changed, now=utcnow())
            await session.commit()
    return outcome
