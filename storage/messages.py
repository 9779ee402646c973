"""Which items a message the bot sent was about, so a reply or a button maps back to them."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import (
    ExtensionRequest,
    Item,
    Plan,
    Reminder,
    ReminderMessage,
    ReminderMessageItem,
)
from storage.plans import ITEM_LINK_OPTIONS
from storage.rows import pk


@dataclass(frozen=True, slots=True)
class SentMessage:
    """A Telegram message the bot sent (tg_chat_id, message_id) and the items it lists, in order."""

    tg_chat_id: int
    message_id: int
    item_ids: Sequence[int]
    # "reminder", "digest", "plan" (a /plan or /mine answer), "extension".
    kind: str = "reminder"


# Links per INSERT: SQLite and asyncpg cap the bound parameters of one statement.
_LINKS_PER_INSERT = 1000


async def record_messages(
    session: AsyncSession, sent: Sequence[SentMessage], *, at: datetime | None = None
) -> None:
    """Remember which items each message lists: one flush for the messages and multi-row
    inserts for their items, not two round trips per message.

    `at` backdates them: the dispatcher records a reminder at its pass's time, so a 收到 pressed
    as soon as the message arrives counts for it.
    """
    messages = [
        ReminderMessage(
            tg_chat_id=m.tg_chat_id, tg_message_id=m.message_id, kind=m.kind, item_links=[]
        )
        for m in sent
    ]
    if not messages:
        return
    if at is not None:
        for message in messages:
            message.sent_at = at
    session.add_all(messages)
    await session.flush()
    links = [
        {"reminder_message_id": message.id, "item_id": item_id, "position": position}
        for message, m in zip(messages, sent, strict=True)
        for position, item_id in enumerate(m.item_ids)
    ]
    for start in range(0, len(links), _LINKS_PER_INSERT):
        await session.execute(
            insert(ReminderMessageItem.__table__),  # type: ignore[attr-defined]
            links[start : start + _LINKS_PER_INSERT],
        )


async def record_message(
    session: AsyncSession,
    tg_chat_id: int,
    message_id: int,
    item_ids: Sequence[int],
    *,
    kind: str = "reminder",
) -> None:
    """Remember that Telegram message (tg_chat_id, message_id) lists these items, in this order."""
    await record_messages(session, [SentMessage(tg_chat_id, message_id, tuple(item_ids), kind)])


def _item_ids_on(
    tg_chat_id: int, message_id: int, kinds: Collection[str] | None = None
) -> Select[int, int]:
    """(item id, position) of each item a recorded message lists (only when the message is of
    one of `kinds`, if given)."""
    query = (
        select(col(ReminderMessageItem.item_id), col(ReminderMessageItem.position))
        .join(
            ReminderMessage, pk(ReminderMessage.id) == pk(ReminderMessageItem.reminder_message_id)
        )
        .where(
            col(ReminderMessage.tg_chat_id) == tg_chat_id,
            col(ReminderMessage.tg_message_id) == message_id,
        )
    )
    return query if kinds is None else query.where(col(ReminderMessage.kind).in_(kinds))


async def items_for_message(
    session: AsyncSession,
    tg_chat_id: int,
    message_id: int,
    kinds: Collection[str] | None = None,
) -> list[Item]:
    """The items of a recorded message in their order there (empty if it is not ours, or not
    of one of `kinds` when given)."""
    listed = _item_ids_on(tg_chat_id, message_id, kinds).subquery()
    rows = await session.scalars(
        select(Item)
        .join(listed, listed.c.item_id == pk(Item.id))
        .order_by(listed.c.position)
        .options(*ITEM_LINK_OPTIONS)
    )
    return list(rows.all())


async def groups_of_message(session: AsyncSession, tg_chat_id: int, message_id: int) -> set[int]:
    """The row ids of the chats whose plans hold the items of a recorded message (none if it
    is not ours)."""
    listed = _item_ids_on(tg_chat_id, message_id).subquery()
    rows = await session.scalars(
        select(col(Plan.chat_id))
        .join(Item, col(Item.plan_id) == pk(Plan.id))
        .join(listed, listed.c.item_id == pk(Item.id))
        .distinct()
    )
    return set(rows.all())


async def highest_message_id(session: AsyncSession, tg_chat_id: int) -> int:
    """The highest id of a message in this chat that the database recorded (0 if none)."""
    highest = 0
    for message_id, chat_id in (
        (col(ReminderMessage.tg_message_id), col(ReminderMessage.tg_chat_id)),
        (col(Reminder.tg_message_id), col(Reminder.tg_chat_id)),
        (col(ExtensionRequest.tg_message_id), col(ExtensionRequest.tg_chat_id)),
    ):
        found = await session.scalar(select(func.max(message_id)).where(chat_id == tg_chat_id))
        highest = max(highest, found or 0)
    return highest


async def message_item_ids(session: AsyncSession, tg_chat_id: int, message_id: int) -> list[int]:
    """The ids of the items a recorded message lists (empty if it is not ours)."""
    rows = await session.scalars(
        select(col(ReminderMessageItem.item_id))
        .join(
            ReminderMessage, pk(ReminderMessage.id) == pk(ReminderMessageItem.reminder_message_id)
        )
        .where(
            col(ReminderMessage.tg_chat_id) == tg_chat_id,
            col(ReminderMessage.tg_message_id) == message_id,
        )
    )
    return list(rows.all())


async def chat_shows_item(session: AsyncSession, tg_chat_id: int, item_id: int) -> bool:
    """Whether a message we recorded in this chat listed the item (a department's own group
    gets the reminders of its items)."""
    found = await session.scalar(
        select(pk(ReminderMessage.id))
        .join(
            ReminderMessageItem,
            pk(ReminderMessage.id) == pk(ReminderMessageItem.reminder_message_id),
        )
        .where(
            col(ReminderMessage.tg_chat_id) == tg_chat_id,
            col(ReminderMessageItem.item_id) == item_id,
        )
        .limit(1)
    )
    return found is not None
