"""Answers to a reminder by those who answer for its items: 收到 (acknowledge) and
⏰ 明天再提醒 (snooze). Who may is bot/operations/policy.py's table: an acknowledgement means
"the responsible person saw it", so only the item's leaders and its departments' members may
give it (not admins); a snooze also admins; `[access] anyone_can_update` opens neither.

An ack is an `ItemEvent` of kind "ack" that counts for the reminder it answers: acks are shown
from the time the reminder went out, so yesterday's "收到" does not confirm today's reminder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.operations.deps import Deps
from bot.operations.finding import (
    ByNumber,
    ByNumbers,
    ByRowId,
    NeedsAdmin,
    NoGroup,
    NoneNamed,
    NoSuchItem,
    OnMessage,
    find_in_group,
    group_of,
    locale_of_origin,
    message_items,
    needs_admin,
)
from bot.operations.policy import Action
from bot.operations.presses import Misplaced, pressed_item
from bot.operations.reminders import reminders_of
from bot.operations.roles import may_do
from bot.operations.who import Actor, Origin
from jobs.acks import RebuiltReminder, latest_reminder_message, message_content
from jobs.entries import latest_reminder_times
from storage.models import Item, ItemEvent, ItemEventKind, ItemStatus, Reminder, ReminderState
from storage.rows import pk, row_id


async def _acknowledge(session: AsyncSession, item_id: int, actor: Actor, now: datetime) -> bool:
    """Record that the actor saw the item's latest reminder; False if they already said so."""
    since = (await latest_reminder_times(session, [item_id])).get(item_id)
    query = select(pk(ItemEvent.id)).where(
        col(ItemEvent.item_id) == item_id,
        col(ItemEvent.kind) == ItemEventKind.ACK.value,
        col(ItemEvent.author_tg_user_id) == actor.tg_user_id,
    )
    if since is not None:
        query = query.where(col(ItemEvent.created_at) >= since)
    if await session.scalar(query.limit(1)) is not None:
        return False
    session.add(
        ItemEvent(
            item_id=item_id,
            kind=ItemEventKind.ACK.value,
            author_tg_user_id=actor.tg_user_id,
            author_name=actor.name,
            created_at=now,
        )
    )
    await session.flush()
    return True


class AckOutcome(StrEnum):
    RECORDED = "recorded"
    # Every item the actor answers for was confirmed already.
    ALREADY = "already"
    # The one item named is not theirs.
    NOT_RESPONSIBLE = "not_responsible"
    # Every item named that the actor answers for is done already: nothing to confirm
    # (`done` lists them).
    ALREADY_DONE = "already_done"
    # None of the message's items is theirs.
    NOTHING = "nothing"
    GONE = "gone"


@dataclass(frozen=True, slots=True)
class Acked:
    locale: str
    outcome: AckOutcome
    recorded: list[Item] = field(default_factory=list)
    # The reminder to edit in place with who has confirmed now (none or one).
    reminders: tuple[RebuiltReminder, ...] = ()
    # ALREADY_DONE: the actor's items, every one of them done.
    done: list[Item] = field(default_factory=list)


async def acknowledge(
    deps: Deps,
    origin: Origin,
    actor: Actor,
    target: ByNumber | ByNumbers | ByRowId | OnMessage,
    *,
    pressed_message_id: int | None = None,
) -> Acked | NoGroup | NoSuchItem | NoneNamed | NeedsAdmin | Misplaced:
    """Confirm the reminder about the target's items the actor answers for.

    By number, the reminder edited is the newest in the group that lists the item; by reply,
    the replied message; by button (`pressed_message_id`), the message pressed.
    """
    now = deps.now()
    async with deps.db.session() as session:
        items: list[Item]
        where: tuple[int, int] | None = None
        if isinstance(target, ByRowId):
            pressed = await pressed_item(session, deps, origin, actor, target)
            if pressed is None:
                locale = await locale_of_origin(session, deps, origin, actor)
                return Acked(locale, AckOutcome.GONE)
            if isinstance(pressed, Misplaced):
                return pressed
            group, items, actor = pressed.group, [pressed.item], pressed.actor
            if pressed_message_id is not None:
                where = (origin.tg_chat_id, pressed_message_id)
        else:
            found_group = await group_of(session, deps, origin, actor)
            if isinstance(found_group, NoGroup):
                return found_group
            group = found_group
            if isinstance(target, OnMessage):
                items = await message_items(session, target)
                if not items:
                    return NoneNamed(group.locale)
                where = (target.tg_chat_id, target.message_id)
            else:
                refs = target.refs if isinstance(target, ByNumbers) else (target.ref,)
                items = []
                for ref in refs:
                    found = await find_in_group(session, deps, group, ref)
                    if isinstance(found, NoSuchItem):
                        return found
                    items.append(found)
                # Several items: the newest reminder listing the first (usually all of them).
                latest = await latest_reminder_message(
                    session, group.chat.tg_chat_id, row_id(items[0])
                )
                where = (latest.tg_chat_id, latest.tg_message_id) if latest else None
        allowed = await may_do(session, deps, actor, Action.ACK, items)
        if allowed is None:
            return needs_admin(group)
        mine = [
            i
            for i in items
            if allowed[row_id(i)] and (i.status == ItemStatus.OPEN.value or pressed_message_id)
        ]
        if not mine:
            theirs = [i for i in items if allowed[row_id(i)]]
            if theirs:  # all of them done: a leader asking is owed that reason, not a refusal
                return Acked(group.locale, AckOutcome.ALREADY_DONE, done=theirs)
            many = len(items) > 1
            return Acked(group.locale, AckOutcome.NOTHING if many else AckOutcome.NOT_RESPONSIBLE)
        recorded = [i for i in mine if await _acknowledge(session, row_id(i), actor, now)]
        if not recorded:
            return Acked(group.locale, AckOutcome.ALREADY)
        content = None
        if where is not None:
            content = await message_content(
                session,
                deps.planner,
                where[0],
                where[1],
                default_locale=deps.default_locale,
                supervisors=deps.supervisors,
                today=deps.today(),
            )
        shown = (RebuiltReminder(content, where[1]),) if content and where else ()
        return Acked(group.locale, AckOutcome.RECORDED, recorded, shown)


class SnoozeOutcome(StrEnum):
    SNOOZED = "snoozed"
    DONE = "done"
    NOT_RESPONSIBLE = "not_responsible"
    GONE = "gone"


@dataclass(frozen=True, slots=True)
class Snoozed:
    locale: str
    outcome: SnoozeOutcome
    seq: int = 0
    until: date | None = None
    # The item's next reminder after the snooze, if it has one.
    next_at: datetime | None = None
    # The reminders showing the item, now saying when it is reminded again: edit them in place.
    reminders: tuple[RebuiltReminder, ...] = ()


async def snooze(
    deps: Deps, origin: Origin, actor: Actor, target: ByRowId
) -> Snoozed | NeedsAdmin | Misplaced:
    """No reminder for the item until the next working day: today's, if it has not gone out
    yet, moves to that day; one that has stays sent. The history row keeps the previous value,
    so an undo can restore it."""
    now = deps.now()
    async with deps.db.session() as session:
        pressed = await pressed_item(session, deps, origin, actor, target, for_update=True)
        if pressed is None:
            locale = await locale_of_origin(session, deps, origin, actor)
            return Snoozed(locale, SnoozeOutcome.GONE)
        if isinstance(pressed, Misplaced):
            return pressed
        group, item, actor = pressed.group, pressed.item, pressed.actor
        if item.status != ItemStatus.OPEN.value:
            return Snoozed(group.locale, SnoozeOutcome.DONE, item.seq)
        allowed = await may_do(session, deps, actor, Action.SNOOZE, [item])
        if allowed is None:
            return needs_admin(group)
        if not allowed[row_id(item)]:
            return Snoozed(group.locale, SnoozeOutcome.NOT_RESPONSIBLE, item.seq)
        item_id = row_id(item)
        planner = deps.planner
        until = planner.calendar.add_workdays(now.astimezone(planner.tz).date(), 1)
        before = item.snoozed_until
        item.snoozed_until = until
        session.add(
            ItemEvent(
                item_id=item_id,
                kind=ItemEventKind.SNOOZE.value,
                author_tg_user_id=actor.tg_user_id,
                author_name=actor.name,
                data={"until": until.isoformat(), "before": before.isoformat() if before else None},
                created_at=now,
            )
        )
        await session.flush()
        await planner.replan(session, [item_id], now=now)
        next_at = await session.scalar(
            select(col(Reminder.fire_at))
            .where(
                col(Reminder.item_id) == item_id,
                col(Reminder.state) == ReminderState.PENDING.value,
            )
            .order_by(col(Reminder.fire_at))
            .limit(1)
        )
        shown = await reminders_of(session, deps, item_id, now)
        return Snoozed(group.locale, SnoozeOutcome.SNOOZED, item.seq, until, next_at, shown)
