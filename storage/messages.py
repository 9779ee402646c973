"""Which items a message the bot sent was about, so a reply or a button maps back to them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Item, ReminderMessage, ReminderMessageItem
from storage.plans import ITEM_LINK_OPTIONS


async def record_message(
    session: AsyncSession,
    chat_id: int,
    message_id: int,
    item_ids: Sequence[int],
    *,
    kind: str = "reminder",
) -> ReminderMessage:
    """Remember that Telegram message (chat_id, message_id) lists these items, in this order."""
    message = ReminderMessage(chat_id=chat_id, message_id=message_id, kind=kind, item_links=[])
    session.add(message)
    await session.flush()
    for position, item_id in enumerate(item_ids):
        session.add(
            ReminderMessageItem(reminder_message_id=message.id, item_id=item_id, position=position)
        )
    await session.flush()
    return message


async def items_for_message(session: AsyncSession, chat_id: int, message_id: int) -> list[Item]:
    """The items of a recorded message in their order there (empty if it is not ours)."""
    rows = await session.scalars(
        select(Item)
        .join(ReminderMessageItem, ReminderMessageItem.item_id == Item.id)
        .join(ReminderMessage, ReminderMessage.id == ReminderMessageItem.reminder_message_id)
        .where(ReminderMessage.chat_id == chat_id, ReminderMessage.message_id == message_id)
        .order_by(ReminderMessageItem.position)
        .options(*ITEM_LINK_OPTIONS)
    )
    return list(rows.all())
