"""Completion review (issue 16 §3): /review on|off, and deciding on a department's claim —
✅ 销号 (the part done at the approval, the item done on the day the last part is approved) or
↩️ 退回 with a reason (the part open again; its department's members are told why).

Who decides: the `[reminders] supervisors` and the admins (policy Action.REVIEW). Each decision
runs in one unit of work with the item locked, writes the item's history (storage.parts) and
brings its reminders in line; /undo takes it back as any part change.

The reason a ↩️ presser owes is a PendingQuestion (kind RETURN_REASON, one per reviewer and
chat), so it outlives a restart: their next message in the chat is the reason until it expires.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.operations.deps import Deps
from bot.operations.editing import AdminsOnly
from bot.operations.finding import (
    ByNumber,
    ByRowId,
    Group,
    NeedsAdmin,
    NoGroup,
    NoSuchItem,
    find_in_group,
    group_of,
    locale_of_origin,
    may_change,
    needs_admin,
)
from bot.operations.policy import Action
from bot.operations.presses import Misplaced, pressed_item
from bot.operations.reminders import reminders_of
from bot.operations.reports import follow_change
from bot.operations.reviewers import is_supervisor, review_on, set_review
from bot.operations.roles import may
from bot.operations.who import Actor, Origin
from jobs.acks import RebuiltReminder
from jobs.entries import PersonRef, department_members
from storage.item_changes import ItemChange, Outcome
from storage.models import Item, ItemDepartment, PartStatus, PendingKind
from storage.part_states import lead_links
from storage.parts import approve_part, return_part
from storage.pending import Where, drop_question, get_question, put_question, take_question
from storage.rows import row_id

# How long after ↩️ the presser's next message is taken for the reason.
REASON_LIFETIME = timedelta(minutes=10)

# --- /review on|off ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReviewSetting:
    locale: str
    on: bool
    # The group's own choice changed now (False: only shown, or already so).
    changed: bool = False


async def review_setting(
    deps: Deps, origin: Origin, actor: Actor, turn: bool | None
) -> ReviewSetting | NoGroup | NeedsAdmin | AdminsOnly:
    """Whether the group reviews its departments' /done; with `turn`, set it (admins)."""
    async with deps.db.session() as session:
        group = await group_of(session, deps, origin, actor)
        if isinstance(group, NoGroup):
            return group
        now_on = review_on(group.chat, deps.review)
        if turn is None:
            return ReviewSetting(group.locale, now_on)
        allowed = may(deps, actor, Action.REMIND_SETTINGS)
        if not allowed:
            return needs_admin(group) if allowed is None else AdminsOnly(group.locale)
        set_review(group.chat, turn)
        return ReviewSetting(group.locale, turn, changed=turn != now_on)


# --- deciding -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reviewed:
    """A decision on one department's part: `change.outcome` APPLIED, or UNCHANGED when the
    part is no longer in review (someone decided first)."""

    locale: str
    change: ItemChange
    department: str
    approved: bool
    reason: str = ""
    # 退回: the department's members, to be mentioned with the reason.
    responsible: tuple[PersonRef, ...] = ()
    reminders: tuple[RebuiltReminder, ...] = ()


@dataclass(frozen=True, slots=True)
class AskReason:
    """↩️ pressed: the part is in review; the presser is asked for the reason."""

    locale: str
    item: Item
    department_id: int
    department: str


@dataclass(frozen=True, slots=True)
class NotReviewer:
    """Neither a supervisor nor an admin: one sentence naming who may."""

    locale: str


@dataclass(frozen=True, slots=True)
class NoReview:
    """`/return N` of an item none of whose parts awaits review, or with several in review
    and none named: `waiting` lists them."""

    locale: str
    item: Item
    waiting: tuple[str, ...] = ()
    # Whether the group reviews at all: the answer then says how a part gets into review.
    review_on: bool = True


ReviewFailed = NoGroup | NoSuchItem | NeedsAdmin | Misplaced | NotReviewer


async def _may_review(
    session: AsyncSession, deps: Deps, group: Group, item: Item, actor: Actor
) -> bool | NeedsAdmin:
    if await is_supervisor(session, deps, group.chat_id, actor.tg_user_id):
        return True
    allowed = await may_change(session, deps, row_id(item), actor, Action.REVIEW)
    return needs_admin(group) if allowed is None else allowed


def _part(item: Item, department_id: int) -> ItemDepartment | None:
    return next((link for link in lead_links(item) if link.department_id == department_id), None)


async def _pressed(
    session: AsyncSession,
    deps: Deps,
    origin: Origin,
    actor: Actor,
    target: ByRowId,
    department_id: int,
) -> tuple[Group, Item, ItemDepartment] | ReviewFailed | Reviewed:
    """The item and part a review button names, once it belongs where it was pressed and the
    presser may review; a department that is no lead of the item is data we never made."""
    pressed = await pressed_item(session, deps, origin, actor, target, for_update=True)
    if pressed is None:
        locale = await locale_of_origin(session, deps, origin, actor)
        return Reviewed(locale, ItemChange(Outcome.GONE), "", approved=False)
    if isinstance(pressed, Misplaced):
        return pressed
    allowed = await _may_review(session, deps, pressed.group, pressed.item, pressed.actor)
    if isinstance(allowed, NeedsAdmin):
        return allowed
    if not allowed:
        return NotReviewer(pressed.group.locale)
    link = _part(pressed.item, department_id)
    if link is None:
        return Misplaced(pressed.group.locale)
    return pressed.group, pressed.item, link


async def _followed(
    session: AsyncSession, deps: Deps, change: ItemChange, now: datetime
) -> tuple[RebuiltReminder, ...]:
    """The item's reminders in line with a decision, and those showing it as they now read."""
    if change.item is None or not await follow_change(session, deps.planner, change, now):
        return ()
    return tuple(await reminders_of(session, deps, row_id(change.item), now))


async def approve(
    deps: Deps, origin: Origin, actor: Actor, target: ByRowId, department_id: int
) -> Reviewed | ReviewFailed:
    """✅ 销号 under a review question: the department's part done now."""
    now = deps.now()
    async with deps.db.session() as session:
        found = await _pressed(session, deps, origin, actor, target, department_id)
        if not isinstance(found, tuple):
            return found
        group, item, link = found
        # A reason asked of the presser before is not owed any more: they decided anew.
        await drop_question(session, _owed_where(origin, actor))
        change = await approve_part(session, row_id(item), department_id, actor.author, now)
        shown = await _followed(session, deps, change, now)
        return Reviewed(group.locale, change, link.department.name, True, reminders=shown)


async def ask_reason(
    deps: Deps, origin: Origin, actor: Actor, target: ByRowId, department_id: int
) -> AskReason | Reviewed | ReviewFailed:
    """↩️ 退回 pressed: nothing changes until the reason comes (`give_reason` or
    `return_with_reason`), which the presser now owes in this chat (instead of any they owed
    before); UNCHANGED when the part is no longer in review."""
    now = deps.now()
    async with deps.db.session() as session:
        found = await _pressed(session, deps, origin, actor, target, department_id)
        if not isinstance(found, tuple):
            return found
        group, item, link = found
        name = link.department.name
        where = _owed_where(origin, actor)
        await drop_question(session, where)
        if link.status != PartStatus.REVIEW.value:
            return Reviewed(group.locale, ItemChange(Outcome.UNCHANGED, item), name, False)
        owed = OwedReason(row_id(item), department_id, target.message_id)
        await put_question(session, where, owed.payload(), actor.tg_user_id, now, REASON_LIFETIME)
        return AskReason(group.locale, item, department_id, name)


# --- the reason owed after ↩️ -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OwedReason:
    """The part a ↩️ presser owes the reason for, and the question's message they pressed
    under (checked again, as a press is, when the reason comes)."""

    item_id: int
    department_id: int
    message_id: int

    def payload(self) -> dict[str, int]:
        return {"item": self.item_id, "department": self.department_id, "message": self.message_id}

    @classmethod
    def of(cls, payload: dict[str, object]) -> OwedReason | None:
        """None for a payload we never wrote."""
        item_id, department_id, message_id = (
            payload.get(k) for k in ("item", "department", "message")
        )
        if type(item_id) is int and type(department_id) is int and type(message_id) is int:
            return cls(item_id, department_id, message_id)
        return None


def _owed_where(origin: Origin, actor: Actor) -> Where:
    # One reason owed per reviewer and chat; the token's prefix keeps it apart from /done's
    # message-id tokens and the random ones, under the (chat, token) unique index it is read by.
    return Where(origin.tg_chat_id, PendingKind.RETURN_REASON, f"reason:{actor.tg_user_id}")


async def owes_reason(deps: Deps, origin: Origin, actor: Actor) -> bool:
    """Whether the sender owes a ↩️'s reason in this chat, not yet expired: one read by the
    (chat, token) index, asked of every plain message, so taking no write lock."""
    async with deps.db.reading() as session:
        return await get_question(session, _owed_where(origin, actor), deps.now()) is not None


async def return_with_reason(
    deps: Deps,
    origin: Origin,
    actor: Actor,
    target: ByNumber | ByRowId,
    department_id: int | None,
    reason: str,
) -> Reviewed | NoReview | ReviewFailed:
    """退回: the part open again, the reason in the item's history. The part is the button's
    department (`department_id`), or for `/return N [部室] 理由` the one in review the reason
    starts with, else the only one in review."""
    now = deps.now()
    async with deps.db.session() as session:
        # The command gives the reason: a ↩️ pressed before waits for none any more.
        await drop_question(session, _owed_where(origin, actor))
        return await _returned(session, deps, origin, actor, target, department_id, reason, now)


async def give_reason(
    deps: Deps, origin: Origin, actor: Actor, reason: str
) -> Reviewed | NoReview | ReviewFailed | None:
    """The sender's message after ↩️: the reason, and the part returned as `/return` would
    (the presser checked again), in the unit of work that takes what they owed. None when
    nothing is owed any more (expired meanwhile, or another instance took it): the message is
    ordinary chat."""
    now = deps.now()
    async with deps.db.session() as session:
        taken = await take_question(session, _owed_where(origin, actor), now)
        owed = None if taken is None else OwedReason.of(taken.payload)
        if owed is None:
            return None
        target = ByRowId(owed.item_id, owed.message_id)
        result = await _returned(
            session, deps, origin, actor, target, owed.department_id, reason, now
        )
        if isinstance(result, NeedsAdmin):
            # `act` asks Telegram and runs this again: until then the reason stays owed.
            await session.rollback()
        return result


async def _returned(
    session: AsyncSession,
    deps: Deps,
    origin: Origin,
    actor: Actor,
    target: ByNumber | ByRowId,
    department_id: int | None,
    reason: str,
    now: datetime,
) -> Reviewed | NoReview | ReviewFailed:
    """`return_with_reason` in the caller's unit of work."""
    link: ItemDepartment | None = None
    if isinstance(target, ByRowId):
        found = await _pressed(session, deps, origin, actor, target, department_id or 0)
        if not isinstance(found, tuple):
            return found
        group, item, link = found
    else:
        group_found = await group_of(session, deps, origin, actor)
        if isinstance(group_found, NoGroup):
            return group_found
        group = group_found
        item_found = await find_in_group(session, deps, group, target.ref, for_update=True)
        if isinstance(item_found, NoSuchItem):
            return item_found
        item = item_found
        allowed = await _may_review(session, deps, group, item, actor)
        if isinstance(allowed, NeedsAdmin):
            return allowed
        if not allowed:
            return NotReviewer(group.locale)
    waiting = [w for w in lead_links(item) if w.status == PartStatus.REVIEW.value]
    if link is None:
        first, _, rest = reason.partition(" ")
        link = next((w for w in waiting if w.department.name == first), None)
        if link is not None:
            reason = rest.strip() or reason
        elif len(waiting) == 1:
            link = waiting[0]
    if link is None or link.department_id is None:
        names = tuple(w.department.name for w in waiting)
        return NoReview(group.locale, item, names, review_on(group.chat, deps.review))
    change = await return_part(session, row_id(item), link.department_id, actor.author, reason, now)
    members = await department_members(session, {link.department_id})
    shown = await _followed(session, deps, change, now)
    return Reviewed(
        group.locale,
        change,
        link.department.name,
        False,
        reason,
        members.get(link.department_id, ()),
        shown,
    )
