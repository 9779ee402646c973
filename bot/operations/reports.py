"""Reports on an item by those who answer for it: done, progress (or a note), reopen, undo.

Each runs in one unit of work (see bot/operations/__init__.py) and re-plans the item's
reminders itself: none once the item is done, planned anew otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.operations.collection import answer_arrived
from bot.operations.deps import Deps
from bot.operations.finding import (
    ByNumber,
    ByRowId,
    Group,
    NeedsAdmin,
    NoGroup,
    NoneNamed,
    NoSuchItem,
    OnMessage,
    Refused,
    find_in_group,
    group_of,
    locale_of_origin,
    may_change,
    message_items,
    needs_admin,
)
from bot.operations.policy import Action
from bot.operations.presses import Misplaced, pressed_item
from bot.operations.reminders import reminders_of
from bot.operations.who import Actor, Origin
from jobs.acks import RebuiltReminder
from jobs.outbox import ReminderPlanner
from plans.itemref import ItemRef
from storage.item_changes import (
    ItemChange,
    Outcome,
    Undo,
    UndoOutcome,
    undo_last,
)
from storage.item_changes import (
    mark_done as store_done,
)
from storage.item_changes import (
    reopen as store_reopen,
)
from storage.item_changes import (
    report_progress as store_progress,
)
from storage.item_queries import load_item
from storage.models import Item, ItemStatus
from storage.pending import Where, get_question, take_question
from storage.rows import row_id


async def follow_state(
    session: AsyncSession, planner: ReminderPlanner, item: Item, now: datetime
) -> None:
    """Reminders as the item now stands: none once done, re-planned otherwise."""
    await session.flush()
    item_id = row_id(item)
    if item.status == ItemStatus.DONE.value:
        await planner.cancel(session, [item_id])
    else:
        await planner.replan(session, [item_id], now=now)


async def follow_change(
    session: AsyncSession, planner: ReminderPlanner, change: ItemChange, now: datetime
) -> bool:
    """`follow_state` for the item of a change that applied; whether it did."""
    if not change.applied or change.item is None:
        return False
    await follow_state(session, planner, change.item, now)
    return True


@dataclass(frozen=True, slots=True)
class Changed:
    """What came of a report: `change.outcome` APPLIED, UNCHANGED (already so) or GONE."""

    locale: str
    change: ItemChange
    # A button under our "which one?" question was answered: take its buttons off.
    question_answered: bool = False
    # The reminders showing the item, as they read after the change: edit them in place.
    reminders: tuple[RebuiltReminder, ...] = ()


@dataclass(frozen=True, slots=True)
class Which:
    """A reply to one of our messages listing several items: the caller asks which one."""

    locale: str
    items: list[Item] = field(default_factory=list)


Failed = NoGroup | NoSuchItem | NeedsAdmin | Refused | NoneNamed | Misplaced


async def _target_item(
    session: AsyncSession,
    deps: Deps,
    origin: Origin,
    actor: Actor,
    target: ByNumber | ByRowId | OnMessage,
) -> tuple[Group, Item, Actor] | Failed | Which | Changed:
    """The group and the item (locked for the change) a report is about, and the actor as far
    as that group goes; or why there is none (a Changed with outcome GONE for a button whose
    item was deleted, Misplaced for one pressed where its item does not belong)."""
    if isinstance(target, ByRowId):
        pressed = await pressed_item(session, deps, origin, actor, target, for_update=True)
        if pressed is None:
            locale = await locale_of_origin(session, deps, origin, actor)
            return Changed(locale, ItemChange(Outcome.GONE))
        if isinstance(pressed, Misplaced):
            return pressed
        return pressed.group, pressed.item, pressed.actor
    group = await group_of(session, deps, origin, actor)
    if isinstance(group, NoGroup):
        return group
    if isinstance(target, OnMessage):
        listed = await message_items(session, target)
        wanted = target.ref
        named = [
            i for i in listed if wanted is None or (i.seq == wanted.seq and not wanted.names_plan)
        ]
        if len(named) > 1:
            return Which(group.locale, named)
        if named:
            item = await load_item(session, row_id(named[0]), for_update=True)
            if item is None:
                return Changed(group.locale, ItemChange(Outcome.GONE))
            return group, item, actor
        if wanted is None:
            return NoneNamed(group.locale)
        ref = wanted
    else:
        ref = target.ref
    found = await find_in_group(session, deps, group, ref, for_update=True)
    if isinstance(found, NoSuchItem):
        return found
    return group, found, actor


async def _reported_item(
    session: AsyncSession,
    deps: Deps,
    origin: Origin,
    actor: Actor,
    target: ByNumber | ByRowId | OnMessage,
    action: Action,
) -> tuple[Group, Item] | Failed | Which | Changed:
    """`_target_item`, once the actor may do `action` to it (see finding.may_change)."""
    found = await _target_item(session, deps, origin, actor, target)
    if not isinstance(found, tuple):
        return found
    group, item, actor = found
    allowed = await may_change(session, deps, row_id(item), actor, action)
    if allowed is None:
        return needs_admin(group)
    return (group, item) if allowed else Refused(group.locale, item)


async def mark_done(
    deps: Deps,
    origin: Origin,
    actor: Actor,
    target: ByNumber | ByRowId | OnMessage,
    note: str = "",
    *,
    question: Where | None = None,
) -> Changed | Which | Failed:
    """The item done at now with progress 100, its reminders cancelled.

    `question`: the "which one?" message whose button was pressed; its note (kept for whoever
    asked) goes with the report, and the question is closed once the item is done.
    """
    now = deps.now()
    async with deps.db.session() as session:
        found = await _reported_item(session, deps, origin, actor, target, Action.DONE)
        if not isinstance(found, tuple):
            return found
        group, item = found
        asked = await get_question(session, question, now) if question else None
        if asked is not None and asked.asked_by == actor.tg_user_id:
            # The note is the asker's: someone else pressing reports without it.
            note = str(asked.payload.get("note", ""))
        change = await _store_done(session, deps, item, actor, note, now)
        answered = False
        shown: tuple[RebuiltReminder, ...] = ()
        if change.applied:
            if question is not None:
                answered = await take_question(session, question, now) is not None
            shown = await reminders_of(session, deps, row_id(item), now)
        return Changed(group.locale, change, answered, shown)


async def _store_done(
    session: AsyncSession, deps: Deps, item: Item, actor: Actor, note: str, now: datetime
) -> ItemChange:
    """Item done (history row, progress 100) and its pending reminders cancelled."""
    change = await store_done(session, row_id(item), actor.author, note, now)
    await follow_change(session, deps.planner, change, now)
    await answer_arrived(session, deps, change.item if change.applied else None)
    return change


# What came of one item of a `mark_done_many`: its change (done now, or already done), or why
# it was not touched (not the actor's to report on, no such item).
EachDone = Changed | Refused | NoSuchItem


@dataclass(frozen=True, slots=True)
class ManyDone:
    """What `mark_done_many` did to each item named, in the order named."""

    locale: str
    each: tuple[tuple[ItemRef, EachDone], ...]
    # Every reminder showing one of the items done now, once, as it reads after all of them.
    reminders: tuple[RebuiltReminder, ...] = ()

    @property
    def applied(self) -> bool:
        return any(isinstance(r, Changed) and r.change.applied for _, r in self.each)


async def mark_done_many(
    deps: Deps, origin: Origin, actor: Actor, refs: Sequence[ItemRef], note: str = ""
) -> ManyDone | NoGroup | NeedsAdmin:
    """Several items of the group done at once (`/done 1-3`), in one unit of work: each the
    actor may report on is marked done as `mark_done` does; the others are left as they are
    and said why. Nothing changes until every item was looked at, so a NeedsAdmin (ask
    Telegram, then run again) leaves no half-done list."""
    now = deps.now()
    async with deps.db.session() as session:
        group = await group_of(session, deps, origin, actor)
        if isinstance(group, NoGroup):
            return group
        looked: list[tuple[ItemRef, Item | Refused | NoSuchItem]] = []
        for ref in refs:
            found = await _reported_item(session, deps, origin, actor, ByNumber(ref), Action.DONE)
            if isinstance(found, NeedsAdmin):
                return found
            if isinstance(found, tuple):
                looked.append((ref, found[1]))
            elif isinstance(found, Refused | NoSuchItem):
                looked.append((ref, found))
        each: list[tuple[ItemRef, EachDone]] = []
        done_now: list[int] = []
        for ref, item in looked:
            if not isinstance(item, Item):
                each.append((ref, item))
                continue
            change = await _store_done(session, deps, item, actor, note, now)
            if change.applied:
                done_now.append(row_id(item))
            each.append((ref, Changed(group.locale, change)))
        shown: dict[int, RebuiltReminder] = {}
        for item_id in done_now:
            for reminder in await reminders_of(session, deps, item_id, now):
                shown[reminder.message_id] = reminder
        return ManyDone(group.locale, tuple(each), tuple(shown.values()))


async def report_progress(
    deps: Deps,
    origin: Origin,
    actor: Actor,
    target: ByNumber | ByRowId | OnMessage,
    percent: int | None,
    note: str,
    *,
    question: Where | None = None,
) -> Changed | Which | Failed:
    """A progress report (`percent`) or, without one, a note on how the item stands.

    `question`: the confirmation whose button was pressed, closed by the report. When another
    press closed it first (the item's lock made this one wait), nothing is recorded: the
    answer is UNCHANGED with the item still open.
    """
    now = deps.now()
    async with deps.db.session() as session:
        found = await _reported_item(session, deps, origin, actor, target, Action.PROGRESS)
        if not isinstance(found, tuple):
            return found
        group, item = found
        if question is not None and await take_question(session, question, now) is None:
            return Changed(group.locale, ItemChange(Outcome.UNCHANGED, item))
        change = await store_progress(session, row_id(item), actor.author, percent, note, now)
        await answer_arrived(session, deps, change.item if change.applied else None)
        return Changed(group.locale, change, question_answered=question is not None)


async def reopen(
    deps: Deps, origin: Origin, actor: Actor, target: ByNumber | ByRowId
) -> Changed | Which | Failed:
    """A done item open again (admins only), its reminders planned anew."""
    now = deps.now()
    async with deps.db.session() as session:
        found = await _target_item(session, deps, origin, actor, target)
        if not isinstance(found, tuple):
            return found
        group, item, actor = found
        allowed = await may_change(session, deps, row_id(item), actor, Action.REOPEN)
        if not allowed:
            return needs_admin(group) if allowed is None else Refused(group.locale, item)
        change = await store_reopen(session, row_id(item), actor.author, now)
        shown: tuple[RebuiltReminder, ...] = ()
        if await follow_change(session, deps.planner, change, now):
            shown = await reminders_of(session, deps, row_id(item), now)
        return Changed(group.locale, change, reminders=shown)


@dataclass(frozen=True, slots=True)
class Undone:
    locale: str
    undo: Undo
    # The reminders showing the item, as they read after the undo: edit them in place.
    reminders: tuple[RebuiltReminder, ...] = ()


async def undo(deps: Deps, origin: Origin, actor: Actor) -> Undone | NoGroup:
    """Take back the actor's latest change to an item of the group (see storage.item_changes)."""
    now = deps.now()
    async with deps.db.session() as session:
        group = await group_of(session, deps, origin, actor)
        if isinstance(group, NoGroup):
            return group
        result = await undo_last(session, group.chat_id, actor.author, now)
        shown: tuple[RebuiltReminder, ...] = ()
        if result.outcome is UndoOutcome.UNDONE and result.item is not None:
            await follow_state(session, deps.planner, result.item, now)
            shown = await reminders_of(session, deps, row_id(result.item), now)
            await answer_arrived(session, deps, result.item)
        return Undone(group.locale, result, shown)
