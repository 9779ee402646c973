"""What stays of a deleted item: a DeletedItem row written with the deletion, and reading it back.

Both ways an item is deleted (/delete, and a re-import told to delete what the document no
longer has) call `record_deletions` before deleting, in the same transaction: the cascade takes
the ItemEvent rows with the item, so the history must be copied first, and a deletion that rolls
back must leave no record behind.

This module imports only the models: storage.plans and storage.item_changes both use it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import DeletedItem, DeletionWay, Item, ItemEvent, Plan
from storage.rows import pk
from storage.types import utcnow


def history_entry(update: ItemEvent) -> dict[str, Any]:
    """One ItemEvent as JSON-ready values (its `data` is JSON already)."""
    return {
        "kind": update.kind,
        "author_tg_user_id": update.author_tg_user_id,
        "author_name": update.author_name,
        "text": update.text,
        "percent": update.percent,
        "data": update.data,
        "created_at": update.created_at.isoformat(),
    }


def history_updates(record: DeletedItem) -> list[ItemEvent]:
    """The record's history as ItemEvent objects (never added to a session), for rendering."""
    return [
        ItemEvent(
            item_id=0,
            kind=entry["kind"],
            author_tg_user_id=entry.get("author_tg_user_id"),
            author_name=entry.get("author_name") or "",
            text=entry.get("text") or "",
            percent=entry.get("percent"),
            data=entry.get("data"),
            created_at=datetime.fromisoformat(entry["created_at"]),
        )
        for entry in record.history
    ]


async def record_deletions(
    session: AsyncSession,
    plan: Plan,
    items: Sequence[Item],
    *,
    how: DeletionWay,
    by_tg_user_id: int | None,
    by_name: str,
    now: datetime | None = None,
) -> list[DeletedItem]:
    """A DeletedItem for each of `plan`'s `items` (links loaded), about to be deleted by the
    admin who confirmed /delete or by the importer (no Telegram id when imported from the CLI).

    Adds, never flushes or commits: the caller deletes the items in the same unit of work.
    """
    item_ids = [item.id for item in items]
    if not item_ids:
        return []
    rows = await session.scalars(
        select(ItemEvent)
        .where(col(ItemEvent.item_id).in_(item_ids))
        .order_by(col(ItemEvent.item_id), col(ItemEvent.created_at), pk(ItemEvent.id))
    )
    histories: dict[int, list[dict[str, Any]]] = {}
    for update in rows:
        histories.setdefault(update.item_id, []).append(history_entry(update))
    when = now or utcnow()
    records = [
        DeletedItem(
            chat_id=plan.chat_id,
            year=plan.year,
            month=plan.month,
            quarter=plan.quarter,
            seq=item.seq,
            title=item.title,
            content=item.content,
            leaders=[person.name for person in item.leaders],
            departments=[department.name for department in item.departments],
            deadline=item.deadline,
            deadline_text=item.deadline_text,
            status=item.status,
            progress=item.progress,
            done_at=item.done_at,
            deleted_by_tg_user_id=by_tg_user_id,
            deleted_by_name=by_name,
            deleted_at=when,
            how=how.value,
            history=histories.get(item.id, []) if item.id is not None else [],
        )
        for item in items
    ]
    session.add_all(records)
    return records


async def latest_deletion(
    session: AsyncSession, chat_id: int, year: int, month: int, quarter: int, seq: int
) -> DeletedItem | None:
    """The newest record of item `seq` of a chat's plan: a number may be deleted, given to a
    new item, and deleted again."""
    return await session.scalar(
        select(DeletedItem)
        .where(
            col(DeletedItem.chat_id) == chat_id,
            col(DeletedItem.year) == year,
            col(DeletedItem.month) == month,
            col(DeletedItem.quarter) == quarter,
            col(DeletedItem.seq) == seq,
        )
        .order_by(col(DeletedItem.deleted_at).desc(), pk(DeletedItem.id).desc())
        .limit(1)
    )
