"""Reminder messages as recorded, for answers to them and changes to their items:
`message_content` rebuilds a recorded reminder message from the database, so the bot can edit
it in place with who has confirmed and who has not (bot/operations/responses.py records the
acks); `reminders_showing` rebuilds every recent reminder that shows an item, after it was done,
snoozed, reopened or undone (bot/operations/reminders.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from jobs.digest import month_post_day
from jobs.entries import (
    MessageContent,
    Section,
    chat_people,
    entry_for,
    load_facts,
    resolve_supervisors,
)
from jobs.outbox import ReminderPlanner, chat_policy
from storage.chats import get_chat
from storage.models import (
    Chat,
    Reminder,
    ReminderMessage,
    ReminderMessageItem,
)
from storage.rows import pk, row_id

REMINDER = "reminder"
# Reminders sent longer ago than this are left as they are when an item changes: the office
# reads today's and the last few days'; older ones are history. (The Bot API documents no age
# limit for editing the bot's own messages, only for deleting them, 48 hours; Telegram may
# still refuse an edit, and bot/delivery/notifier.py skips those.)
RECENT_REMINDER_DAYS = 7
# At most this many reminders per item are edited, newest first: the group's and a department
# chat's, of today and the days before; each edit is a request under the flood limits.
MAX_EDITS_PER_ITEM = 4


class RebuiltReminder(NamedTuple):
    """A recorded reminder as it reads now, and the Telegram message to edit into it."""

    content: MessageContent
    message_id: int


async def latest_reminder_message(
    session: AsyncSession, tg_chat_id: int, item_id: int
) -> ReminderMessage | None:
    """The newest reminder message in this chat that lists the item."""
    return await session.scalar(
        _showing(item_id).where(col(ReminderMessage.tg_chat_id) == tg_chat_id).limit(1)
    )


def _showing(item_id: int) -> Select[ReminderMessage]:
    """The reminder messages that list the item, newest first."""
    return (
        select(ReminderMessage)
        .join(
            ReminderMessageItem,
            pk(ReminderMessageItem.reminder_message_id) == pk(ReminderMessage.id),
        )
        .where(col(ReminderMessage.kind) == REMINDER, col(ReminderMessageItem.item_id) == item_id)
        .order_by(col(ReminderMessage.sent_at).desc(), pk(ReminderMessage.id).desc())
    )


async def message_content(
    session: AsyncSession,
    planner: ReminderPlanner,
    tg_chat_id: int,
    message_id: int,
    *,
    default_locale: str,
    supervisors: Sequence[str | int] = (),
    today: date | None = None,
) -> MessageContent | None:
    """A recorded reminder message as the dispatcher composed it, with today's acks and its
    items' state now (a done item marked done, a snooze running past `today` shown).

    Which items were reminders (rather than the digest part of a merged message) is what the
    outbox rows say: they point at the message that carried them. A department chat's message
    has no rows pointing at it, and holds reminders only.
    """
    message = await session.scalar(
        select(ReminderMessage).where(
            col(ReminderMessage.tg_chat_id) == tg_chat_id,
            col(ReminderMessage.tg_message_id) == message_id,
        )
    )
    if message is None or message.kind != REMINDER:
        return None
    return await _rebuilt(session, planner, message, default_locale, supervisors, today)


async def reminders_showing(
    session: AsyncSession,
    planner: ReminderPlanner,
    item_id: int,
    now: datetime,
    *,
    default_locale: str,
    supervisors: Sequence[str | int] = (),
) -> list[RebuiltReminder]:
    """The reminders of the last `RECENT_REMINDER_DAYS` that show the item (at most
    `MAX_EDITS_PER_ITEM`, newest first), rebuilt as they read now."""
    since = now - timedelta(days=RECENT_REMINDER_DAYS)
    messages = await session.scalars(
        _showing(item_id).where(col(ReminderMessage.sent_at) >= since).limit(MAX_EDITS_PER_ITEM)
    )
    today = now.astimezone(planner.tz).date()
    out = []
    for message in list(messages):
        content = await _rebuilt(session, planner, message, default_locale, supervisors, today)
        if content is not None:
            out.append(RebuiltReminder(content, message.tg_message_id))
    return out


async def _rebuilt(
    session: AsyncSession,
    planner: ReminderPlanner,
    message: ReminderMessage,
    default_locale: str,
    supervisors: Sequence[str | int],
    today: date | None,
) -> MessageContent | None:
    tg_chat_id, message_id = message.tg_chat_id, message.tg_message_id
    item_ids = list(
        await session.scalars(
            select(col(ReminderMessageItem.item_id))
            .where(pk(ReminderMessageItem.reminder_message_id) == message.id)
            .order_by(col(ReminderMessageItem.position))
        )
    )
    rows = dict(
        (
            await session.execute(
                select(col(Reminder.item_id), col(Reminder.escalated)).where(
                    col(Reminder.tg_chat_id) == tg_chat_id,
                    col(Reminder.tg_message_id) == message_id,
                )
            )
        ).all()
    )
    reminded = [i for i in item_ids if i in rows] or item_ids
    rest = [i for i in item_ids if i not in reminded]
    facts = await load_facts(session, reminded, acks_since=message.sent_at)
    tail_facts = await load_facts(session, rest) if rest else {}
    everything = facts | tail_facts
    if not everything:
        return None
    as_of = message.sent_at.astimezone(planner.tz).date()
    chat = await session.get(Chat, next(iter(everything.values())).chat_id)
    if chat is None:  # the group was deleted since the message went out
        return None
    policy = chat_policy(planner.defaults, chat.settings)
    in_group = tg_chat_id == chat.tg_chat_id
    people = await chat_people(session, [row_id(chat)]) if supervisors and in_group else {}
    supervisor_refs = resolve_supervisors(supervisors, people.get(row_id(chat), []))

    entries = [
        entry_for(
            facts[i],
            as_of=as_of,
            target=tg_chat_id,
            policy=policy,
            calendar=planner.calendar,
            escalated=bool(rows.get(i)),
            supervisors=supervisor_refs,
            today=today,
        )
        for i in reminded
        if i in facts
    ]
    sections = [Section("reminders", tuple(entries))] if entries else []
    tail = [
        entry_for(
            tail_facts[i],
            as_of=as_of,
            target=tg_chat_id,
            policy=policy,
            calendar=planner.calendar,
            reminder=False,
            today=today,
        )
        for i in rest
        if i in tail_facts
    ]
    if tail:
        year, month = tail[0].plan_year, tail[0].plan_month
        month_post = (
            policy.month_post
            and (as_of.year, as_of.month) == (year, month)
            and as_of == month_post_day(year, month, planner.calendar)
        )
        sections.append(Section("month" if month_post else "weekly", tuple(tail), year, month))
    department = None
    locale = chat.locale or default_locale
    if not in_group:
        names = [d.name for f in facts.values() for d in f.departments]
        chats = [d.tg_chat_id for f in facts.values() for d in f.departments]
        here = [n for n, c in zip(names, chats, strict=True) if c == tg_chat_id]
        department = "、".join(dict.fromkeys(here))
        known = await get_chat(session, tg_chat_id)
        locale = (known.locale if known else None) or default_locale
    return MessageContent(tg_chat_id, locale, as_of, tuple(sections), department=department)
