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
from bot.operations.evidence import attach_evidence, drop_evidence
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
from bot.operations.reviewers import ReviewAsk, review_ask, review_on
from bot.operations.who import Actor, Origin
from jobs.acks import RebuiltReminder
from jobs.outbox import ReminderPlanner
from plans.itemref import ItemRef
from storage.attachments import FileRef
from storage.item_changes import (
    ItemChange,
    Outcome,
    Undo,
    UndoOutcome,
    add_note,
    undo_last,
)
from storage.item_queries import load_item
from storage.models import DepartmentRole, Item, ItemStatus
from storage.part_states import lead_links
from storage.parts import (
    close_item,
    mark_part_done,
    member_departments,
    reopen_item,
    reopen_part,
    report_item_progress,
    report_part_progress,
)
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
    # The departments whose own part the report was (a member's /done, /progress), in document
    # order; empty when it was the whole item's (a leader's, an admin's).
    departments: tuple[str, ...] = ()
    # With review on (bot/operations/reviewers.py), a department's done is a claim: what to
    # ask the reviewers.
    review: ReviewAsk | None = None


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


# Whose report it is: None for the whole item's, else the actor's lead departments' parts.
Parts = tuple[int, ...] | None


async def _reported_item(
    session: AsyncSession,
    deps: Deps,
    origin: Origin,
    actor: Actor,
    target: ByNumber | ByRowId | OnMessage,
    action: Action,
    *,
    state: bool = True,
) -> tuple[Group, Item, Parts] | Failed | Which | Changed:
    """`_target_item`, once the actor may do `action` to it (see finding.may_change), and for
    whom they report (`_parts`; a report that changes no `state`, a note, is the item's)."""
    found = await _target_item(session, deps, origin, actor, target)
    if not isinstance(found, tuple):
        return found
    group, item, actor = found
    allowed = await may_change(session, deps, row_id(item), actor, action)
    if allowed is None:
        return needs_admin(group)
    if not allowed:
        return Refused(group.locale, item)
    parts = await _parts(session, deps, group, item, actor) if state else None
    if isinstance(parts, NeedsAdmin | Refused):
        return parts
    return group, item, parts


async def _parts(
    session: AsyncSession, deps: Deps, group: Group, item: Item, actor: Actor
) -> Parts | NeedsAdmin | Refused:
    """For whom an actor allowed to report on the item reports (issue 16 §1): its leaders and
    admins for the whole item; a member of its lead departments for those departments' parts
    (all of theirs, when in several); a member of assisting departments (配合) only is informed,
    not responsible, and refused; anyone else allowed (`anyone_can_update`) for the whole item.
    A member of a lead department who may be the group's administrator is asked about first:
    an admin closes the whole item."""
    if actor.admin or any(person.tg_user_id == actor.tg_user_id for person in item.leaders):
        return None
    mine = await member_departments(session, row_id(item), actor.tg_user_id)
    leads = tuple(
        link.department_id
        for link in lead_links(item)
        if link.department_id is not None
        and mine.get(link.department_id) == DepartmentRole.LEAD.value
    )
    if leads:
        return needs_admin(group) if actor.admin is None else leads
    if mine and not deps.anyone_can_update:
        return Refused(group.locale, item, assisting=True)
    return None


def _names(item: Item, parts: Parts) -> tuple[str, ...]:
    if parts is None:
        return ()
    return tuple(link.department.name for link in lead_links(item) if link.department_id in parts)


async def mark_done(
    deps: Deps,
    origin: Origin,
    actor: Actor,
    target: ByNumber | ByRowId | OnMessage,
    note: str = "",
    *,
    question: Where | None = None,
    evidence: FileRef | None = None,
) -> Changed | Which | Failed:
    """The item, or the actor's departments' parts of it, done at now; the item's reminders
    cancelled once it is done, planned anew while parts stay open.

    `question`: the "which one?" message whose button was pressed; its note (kept for whoever
    asked) goes with the report, and the question is closed once the report is recorded.
    """
    now = deps.now()
    async with deps.db.session() as session:
        found = await _reported_item(session, deps, origin, actor, target, Action.DONE)
        if not isinstance(found, tuple):
            return found
        group, item, parts = found
        asked = await get_question(session, question, now) if question else None
        if asked is not None and asked.asked_by == actor.tg_user_id:
            # The note is the asker's: someone else pressing reports without it.
            note = str(asked.payload.get("note", ""))
        review = review_on(group.chat, deps.review)
        change = await _store_done(session, deps, item, parts, actor, note, now, review=review)
        await attach_evidence(session, change, evidence)
        answered = False
        shown: tuple[RebuiltReminder, ...] = ()
        ask: ReviewAsk | None = None
        if change.applied:
            if question is not None:
                answered = await take_question(session, question, now) is not None
            shown = await reminders_of(session, deps, row_id(item), now)
            ask = await review_ask(session, deps, item, change.event, group.chat.tg_chat_id)
        return Changed(group.locale, change, answered, shown, _names(item, parts), ask)


async def _store_done(
    session: AsyncSession,
    deps: Deps,
    item: Item,
    parts: Parts,
    actor: Actor,
    note: str,
    now: datetime,
    *,
    review: bool,
) -> ItemChange:
    """The whole item closed, or the departments' parts done (history row, progress 100) or,
    with `review`, claimed done for the reviewers; its reminders brought in line."""
    if parts is None:
        change = await close_item(session, row_id(item), actor.author, now, note)
    else:
        change = await mark_part_done(
            session, row_id(item), parts, actor.author, now, note, review=review
        )
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
    # Review on: the parts claimed done, one question for the reviewers per item.
    reviews: tuple[ReviewAsk, ...] = ()

    @property
    def applied(self) -> bool:
        return any(isinstance(r, Changed) and r.change.applied for _, r in self.each)


async def mark_done_many(
    deps: Deps,
    origin: Origin,
    actor: Actor,
    refs: Sequence[ItemRef],
    note: str = "",
    evidence: FileRef | None = None,
) -> ManyDone | NoGroup | NeedsAdmin:
    """Several items of the group done at once (`/done 1-3`), in one unit of work: each the
    actor may report on is marked done as `mark_done` does (the item, or their departments'
    parts); the others are left as they are and said why. Nothing changes until every item was
    looked at, so a NeedsAdmin (ask Telegram, then run again) leaves no half-done list."""
    now = deps.now()
    async with deps.db.session() as session:
        group = await group_of(session, deps, origin, actor)
        if isinstance(group, NoGroup):
            return group
        looked: list[tuple[ItemRef, tuple[Item, Parts] | Refused | NoSuchItem]] = []
        for ref in refs:
            found = await _reported_item(session, deps, origin, actor, ByNumber(ref), Action.DONE)
            if isinstance(found, NeedsAdmin):
                return found
            if isinstance(found, tuple):
                looked.append((ref, (found[1], found[2])))
            elif isinstance(found, Refused | NoSuchItem):
                looked.append((ref, found))
        each: list[tuple[ItemRef, EachDone]] = []
        done_now: list[int] = []
        asks: list[ReviewAsk] = []
        review = review_on(group.chat, deps.review)
        for ref, one in looked:
            if not isinstance(one, tuple):
                each.append((ref, one))
                continue
            item, parts = one
            change = await _store_done(session, deps, item, parts, actor, note, now, review=review)
            ask: ReviewAsk | None = None
            # One photo of a meeting may be the evidence of each item it settled.
            await attach_evidence(session, change, evidence)
            if change.applied:
                done_now.append(row_id(item))
                ask = await review_ask(session, deps, item, change.event, group.chat.tg_chat_id)
                asks += [ask] if ask is not None else []
            names = _names(item, parts)
            each.append((ref, Changed(group.locale, change, departments=names, review=ask)))
        shown: dict[int, RebuiltReminder] = {}
        for item_id in done_now:
            for reminder in await reminders_of(session, deps, item_id, now):
                shown[reminder.message_id] = reminder
        return ManyDone(group.locale, tuple(each), tuple(shown.values()), tuple(asks))


async def report_progress(
    deps: Deps,
    origin: Origin,
    actor: Actor,
    target: ByNumber | ByRowId | OnMessage,
    percent: int | None,
    note: str,
    *,
    question: Where | None = None,
    evidence: FileRef | None = None,
) -> Changed | Which | Failed:
    """A progress report (`percent`) or, without one, a note on how the item stands.

    A percentage from a member of the item's lead departments is their parts' progress; from a
    leader or admin it is set on every open lead part (storage.parts.report_item_progress).
    `question`: the confirmation whose button was pressed, closed by the report. When another
    press closed it first (the item's lock made this one wait), nothing is recorded: the
    answer is UNCHANGED with the item still open.
    """
    now = deps.now()
    async with deps.db.session() as session:
        found = await _reported_item(
            session, deps, origin, actor, target, Action.PROGRESS, state=percent is not None
        )
        if not isinstance(found, tuple):
            return found
        group, item, parts = found
        if question is not None and await take_question(session, question, now) is None:
            return Changed(group.locale, ItemChange(Outcome.UNCHANGED, item))
        item_id, author = row_id(item), actor.author
        if percent is None:
            change = await add_note(session, item_id, author, note, now)
        elif parts is None:
            change = await report_item_progress(session, item_id, author, percent, now, note)
        else:
            change = await report_part_progress(session, item_id, parts, author, percent, now, note)
        await attach_evidence(session, change, evidence)
        await answer_arrived(session, deps, change.item if change.applied else None)
        return Changed(
            group.locale,
            change,
            question_answered=question is not None,
            departments=_names(item, parts),
        )


async def reopen(
    deps: Deps,
    origin: Origin,
    actor: Actor,
    target: ByNumber | ByRowId,
    department: str = "",
) -> Changed | Which | Failed:
    """A done item open again (admins only), its reminders planned anew; with `department`
    (a lead department's name) only that department's part (outcome NOT_A_PART when the item
    has no such lead department)."""
    now = deps.now()
    async with deps.db.session() as session:
        found = await _target_item(session, deps, origin, actor, target)
        if not isinstance(found, tuple):
            return found
        group, item, actor = found
        allowed = await may_change(session, deps, row_id(item), actor, Action.REOPEN)
        if not allowed:
            return needs_admin(group) if allowed is None else Refused(group.locale, item)
        if department:
            link = next(
                (
                    link
                    for link in lead_links(item)
                    if link.department.name == department and link.department_id is not None
                ),
                None,
            )
            if link is None or link.department_id is None:
                return Changed(group.locale, ItemChange(Outcome.NOT_A_PART, item))
            change = await reopen_part(session, row_id(item), link.department_id, actor.author, now)
            names: tuple[str, ...] = (link.department.name,)
        else:
            change = await reopen_item(session, row_id(item), actor.author, now)
            names = ()
        shown: tuple[RebuiltReminder, ...] = ()
        if await follow_change(session, deps.planner, change, now):
            shown = await reminders_of(session, deps, row_id(item), now)
        return Changed(group.locale, change, reminders=shown, departments=names)


@dataclass(frozen=True, slots=True)
class Undone:
    locale: str
    undo: Undo
    # The reminders showing the item, as they read after the undo: edit them in place.
    reminders: tuple[RebuiltReminder, ...] = ()
    # The files of the undone report, gone with it (bot/operations/evidence.py).
    files_dropped: int = 0


async def undo(deps: Deps, origin: Origin, actor: Actor) -> Undone | NoGroup:
    """Take back the actor's latest change to an item of the group (see storage.item_changes)."""
    now = deps.now()
    async with deps.db.session() as session:
        group = await group_of(session, deps, origin, actor)
        if isinstance(group, NoGroup):
            return group
        result = await undo_last(session, group.chat_id, actor.author, now)
        shown: tuple[RebuiltReminder, ...] = ()
        dropped = 0
        if result.outcome is UndoOutcome.UNDONE and result.item is not None:
            await follow_state(session, deps.planner, result.item, now)
            shown = await reminders_of(session, deps, row_id(result.item), now)
            dropped = await drop_evidence(session, result.undone)
            await answer_arrived(session, deps, result.item)
        return Undone(group.locale, result, shown, dropped)
