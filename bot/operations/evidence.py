"""Evidence (佐证材料) in the operations: a report's file attached in the report's own unit of
work, an undone report's files taken away with it, and an item's files to send again.

The reports (bot/operations/reports.py) call `attach_evidence` right after their change, so
the report and its file are one transaction: both or neither.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.operations.deps import Deps
from bot.operations.finding import NoGroup, NoSuchItem, find_in_group, group_of
from bot.operations.who import Actor, Origin
from plans.itemref import ItemRef
from storage.attachments import FileRef, attach, drop_for_event, newest_attachments
from storage.item_changes import ItemChange
from storage.models import Attachment, Item, ItemEvent
from storage.rows import row_id

# Files `/item N files` sends at most; the answer says how many older ones it left out.
# Ten, as a Telegram media group holds: one answer should not flood the group.
MAX_SENT = 10


def will_attach(change: ItemChange, file: FileRef | None) -> bool:
    """Whether a report's file is kept: when the report wrote an update (nothing is attached to
    one that changed nothing: "already done", a percentage for a done item)."""
    return file is not None and change.applied and change.event is not None


async def attach_evidence(
    session: AsyncSession, change: ItemChange, file: FileRef | None
) -> Attachment | None:
    """`file` attached to the update `change` wrote, when `will_attach`."""
    if file is None or change.event is None or not will_attach(change, file):
        return None
    await session.flush()  # the update's id
    return attach(session, change.event, file)


async def drop_evidence(session: AsyncSession, undone: ItemEvent | None) -> int:
    """The files of an update that was just undone, removed; how many."""
    if undone is None:
        return 0
    return await drop_for_event(session, row_id(undone))


@dataclass(frozen=True, slots=True)
class ItemFiles:
    """The files of one item to send again: the newest MAX_SENT, oldest first, of `total`."""

    locale: str
    item: Item
    files: list[Attachment]
    total: int


async def item_files(
    deps: Deps, origin: Origin, actor: Actor, ref: ItemRef
) -> ItemFiles | NoSuchItem | NoGroup:
    """`/item N files`: what to send; anyone who may see the item may see its files."""
    async with deps.db.session() as session:
        group = await group_of(session, deps, origin, actor)
        if isinstance(group, NoGroup):
            return group
        found = await find_in_group(session, deps, group, ref)
        if isinstance(found, NoSuchItem):
            return found
        files, total = await newest_attachments(session, row_id(found), MAX_SENT)
        return ItemFiles(group.locale, found, files, total)
