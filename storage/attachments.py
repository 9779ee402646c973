"""Evidence (佐证材料): files sent with a report, kept as Telegram's references to them.

A file is attached to the history row (ItemEvent) of the report it came with, and to its item.
Nothing is downloaded: Telegram keeps the bytes and the bot sends them again by file_id.

An /undo of a report takes its files with it (`drop_for_event`): the file was sent as proof of
that report, and a list of proofs of updates no longer standing would mislead whoever checks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Attachment, AttachmentKind, ItemEvent
from storage.rows import pk, row_id
from storage.text import clean_text

# Longer names are cut: Telegram allows 255 bytes (about 85 Chinese characters), and a name is
# shown in lists and export cells.
MAX_NAME = 255


@dataclass(frozen=True, slots=True)
class FileRef:
    """A file as a Telegram message carried it; `size` None when Telegram did not say."""

    kind: AttachmentKind
    file_id: str
    file_unique_id: str = ""
    name: str = ""
    size: int | None = None
    mime_type: str = ""


def attach(session: AsyncSession, event: ItemEvent, file: FileRef) -> Attachment:
    """`file` as evidence of the update `event` (flushed, so it has an id), by its author,
    at its time. Names and types come from a user's client: stored cleaned and cut."""
    attachment = Attachment(
        item_id=event.item_id,
        item_event_id=row_id(event),
        kind=file.kind.value,
        tg_file_id=file.file_id,
        tg_file_unique_id=clean_text(file.file_unique_id)[:MAX_NAME],
        file_name=" ".join(clean_text(file.name).split())[:MAX_NAME],
        size=file.size if file.size is not None and file.size >= 0 else None,
        mime_type=clean_text(file.mime_type)[:MAX_NAME],
        author_tg_user_id=event.author_tg_user_id,
        author_name=event.author_name,
        created_at=event.created_at,
    )
    session.add(attachment)
    return attachment


async def item_attachments(session: AsyncSession, item_id: int) -> list[Attachment]:
    """The item's files, oldest first."""
    rows = await session.scalars(
        select(Attachment)
        .where(col(Attachment.item_id) == item_id)
        .order_by(col(Attachment.created_at), pk(Attachment.id))
    )
    return list(rows)


async def newest_attachments(
    session: AsyncSession, item_id: int, limit: int
) -> tuple[list[Attachment], int]:
    """The item's `limit` newest files, oldest of them first, and how many it has in all."""
    total = await session.scalar(
        select(func.count()).select_from(Attachment).where(col(Attachment.item_id) == item_id)
    )
    rows = await session.scalars(
        select(Attachment)
        .where(col(Attachment.item_id) == item_id)
        .order_by(col(Attachment.created_at).desc(), pk(Attachment.id).desc())
        .limit(limit)
    )
    return list(reversed(list(rows))), total or 0


async def attachments_by_event(
    session: AsyncSession, item_ids: Iterable[int]
) -> dict[int, list[Attachment]]:
    """The files of these items by the id of the update they came with, oldest first (a file
    whose update is gone is left out: it has no row to be listed on)."""
    ids = list(item_ids)
    if not ids:
        return {}
    rows = await session.scalars(
        select(Attachment)
        .where(col(Attachment.item_id).in_(ids), col(Attachment.item_event_id).is_not(None))
        .order_by(col(Attachment.created_at), pk(Attachment.id))
    )
    found: dict[int, list[Attachment]] = {}
    for row in rows:
        found.setdefault(row.item_event_id or 0, []).append(row)
    return found


async def drop_for_event(session: AsyncSession, event_id: int) -> int:
    """Remove the files of the update `event_id` (it was undone); how many there were."""
    result = await session.execute(
        delete(Attachment).where(col(Attachment.item_event_id) == event_id)
    )
    return int(getattr(result, "rowcount", 0) or 0)
