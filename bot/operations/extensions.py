"""Asking for a later deadline, and deciding on it.

Who may ask: those who may change the item (finding.may_change: its leaders, its departments'
members, admins; anyone with `[access] anyone_can_update`). While a request is pending a
second one for the same item is refused (storage/extensions.py).

Who decides (`deciders`): never the requester. The item's other leaders are asked; when it has
none, the `[reminders] supervisors`; when there are none either, the admins. Admins may always
decide, except on their own request; so when nobody else can, the admins decide.

`request_extension` and `decide_extension` each run in one unit of work; an approval re-plans
the item's reminders in it. The request's message is sent by the caller after the request is
stored, and `attach_request_message` (a second, short transaction) remembers it, or
`withdraw_request_nobody_saw` drops the request when it could not be sent.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from bot.operations.deps import Deps
from bot.operations.finding import (
    ByNumber,
    Group,
    NeedsAdmin,
    NoGroup,
    NoSuchItem,
    find_in_group,
    group_of,
    group_of_item,
    may_change,
    needs_admin,
)
from bot.operations.policy import Action
from bot.operations.reports import follow_state
from bot.operations.who import Actor, Origin
from jobs.entries import chat_people, resolve_supervisors
from plans.deadline import DeadlineKind
from plans.relative_deadline import split_deadline
from storage.extensions import (
    approve_request,
    attach_message,
    create_request,
    load_request,
    reject_request,
    withdraw_request,
)
from storage.messages import record_message
from storage.models import ExtensionRequest, ExtensionState, Item, ItemStatus
from storage.people import find_person_by_tg_user
from storage.rows import row_id

# --- who decides ------------------------------------------------------------------------------


class Someone(Protocol):
    """A person as the plans name them, bound to a Telegram account or not."""

    @property
    def name(self) -> str: ...

    @property
    def tg_user_id(self) -> int | None: ...


@dataclass(frozen=True, slots=True)
class Decider:
    name: str
    tg_user_id: int | None


class AskedKind(StrEnum):
    LEADERS = "leaders"  # the item's other leaders
    SUPERVISORS = "supervisors"  # `[reminders] supervisors`
    ADMINS = "admins"  # nobody else: the admins


@dataclass(frozen=True, slots=True)
class Deciders:
    """Who is asked to decide a request (admins may decide too, whoever is asked)."""

    kind: AskedKind
    people: tuple[Decider, ...] = ()

    def includes(self, tg_user_id: int) -> bool:
        return any(p.tg_user_id == tg_user_id for p in self.people)


def deciders(
    leaders: Sequence[Someone], supervisors: Sequence[Someone], requester_tg_user_id: int
) -> Deciders:
    """The item's leaders other than the requester; else the supervisors other than the
    requester; else the admins. A leader nobody is bound to yet is still asked by name (they
    can press once they /iam)."""
    for kind, people in ((AskedKind.LEADERS, leaders), (AskedKind.SUPERVISORS, supervisors)):
        others = tuple(
            Decider(p.name or str(p.tg_user_id), p.tg_user_id)
            for p in people
            if p.tg_user_id != requester_tg_user_id
        )
        if others:
            return Deciders(kind, others)
    return Deciders(AskedKind.ADMINS)


async def _deciders_of(
    session: AsyncSession, deps: Deps, item: Item, requester_tg_user_id: int
) -> Deciders:
    supervisors: Sequence[Someone] = ()
    if deps.supervisors:
        people = await chat_people(session, [item.plan.chat_id])
        supervisors = resolve_supervisors(deps.supervisors, people.get(item.plan.chat_id, []))
    return deciders(item.leaders, supervisors, requester_tg_user_id)


async def _bound_name(session: AsyncSession, chat_id: int, actor: Actor) -> str:
    """How the plans call the actor (their bound name), else their Telegram name."""
    person = await find_person_by_tg_user(session, chat_id, actor.tg_user_id)
    return person.name if person is not None else actor.name


# --- asking -----------------------------------------------------------------------------------


class RequestRefusal(StrEnum):
    DONE = "done"  # the item is done
    NOT_RESPONSIBLE = "not_responsible"  # the actor may not change the item
    BAD_DATE = "bad_date"  # `wanted` does not start with a date
    NOT_LATER = "not_later"  # not later than the deadline it has
    PAST = "past"  # already passed
    PENDING = "pending"  # another request is waiting


@dataclass(frozen=True, slots=True)
class NotRequested:
    """Why no request was made; the fields the sentence needs."""

    locale: str
    why: RequestRefusal
    seq: int = 0
    # BAD_DATE: the words that are no date.
    text: str = ""
    new: date | None = None
    old: date | None = None
    today: date | None = None
    # PENDING: who asked for which day.
    requester: str = ""


@dataclass(frozen=True, slots=True)
class Requested:
    """A pending request, stored: the caller shows it with its buttons in `group` and then
    calls attach_request_message (or withdraw_request_nobody_saw when it could not)."""

    group: Group
    request: ExtensionRequest
    item: Item
    deciders: Deciders
    # The actor wrote in the group itself (not in a private chat).
    in_group: bool


async def request_extension(
    deps: Deps, origin: Origin, actor: Actor, target: ByNumber, wanted: str
) -> Requested | NotRequested | NoGroup | NoSuchItem | NeedsAdmin:
    """A request to move item `target`'s deadline to the date `wanted` starts with (the
    import grammar with the plan's month, or a day named from today: 下周五, 月底, 元旦前 …);
    the words after the date are the reason ("1月15日因场地原因" → 因场地原因)."""
    today = deps.today()
    async with deps.db.session() as session:
        group = await group_of(session, deps, origin, actor)
        if isinstance(group, NoGroup):
            return group
        item = await find_in_group(session, deps, group, target.ref)
        if isinstance(item, NoSuchItem):
            return item
        locale, seq = group.locale, item.seq
        if item.status == ItemStatus.DONE.value:
            return NotRequested(locale, RequestRefusal.DONE, seq)
        allowed = await may_change(session, deps, row_id(item), actor, Action.EXTEND_REQUEST)
        if allowed is None:
            return needs_admin(group)
        if not allowed:
            return NotRequested(locale, RequestRefusal.NOT_RESPONSIBLE, seq)
        split = split_deadline(wanted, today=today, year=item.plan.year, month=item.plan.month)
        if split is None or split.deadline.kind is not DeadlineKind.DATE:
            word = wanted.split(maxsplit=1)[0] if wanted.strip() else wanted
            return NotRequested(locale, RequestRefusal.BAD_DATE, seq, text=word)
        new = split.deadline.date
        if new is None:  # a DATE deadline always has its date; this only narrows the type
            return NotRequested(locale, RequestRefusal.BAD_DATE, seq, text=split.written)
        if item.deadline is not None and new <= item.deadline:
            return NotRequested(locale, RequestRefusal.NOT_LATER, seq, new=new, old=item.deadline)
        if new < today:
            return NotRequested(locale, RequestRefusal.PAST, seq, new=new, today=today)
        request, created = await create_request(
            session,
            row_id(item),
            requester_tg_user_id=actor.tg_user_id,
            requester_name=await _bound_name(session, group.chat_id, actor),
            new_deadline=new,
            reason=split.rest,
        )
        if not created:
            return NotRequested(
                locale,
                RequestRefusal.PENDING,
                seq,
                new=request.new_deadline,
                requester=request.requester_name,
            )
        # Read back with the item, its plan and leaders, which the message shows. It was
        # flushed in this very transaction, so it is found (the `or` only narrows the type).
        request = await load_request(session, row_id(request)) or request
        asked = await _deciders_of(session, deps, request.item, actor.tg_user_id)
        in_group = not origin.private and origin.tg_chat_id == group.chat.tg_chat_id
        return Requested(group, request, request.item, asked, in_group)


async def attach_request_message(
    deps: Deps, requested: Requested, tg_chat_id: int, message_id: int
) -> None:
    """Remember the message showing the request: its buttons are checked against it, and a
    reply to it is about the item."""
    async with deps.db.session() as session:
        await attach_message(session, row_id(requested.request), tg_chat_id, message_id)
        await record_message(
            session, tg_chat_id, message_id, [row_id(requested.item)], kind="extension"
        )


async def withdraw_request_nobody_saw(deps: Deps, requested: Requested) -> None:
    """Drop a request whose message could not be sent: nobody could decide it."""
    async with deps.db.session() as session:
        await withdraw_request(session, row_id(requested.request))


# --- deciding ---------------------------------------------------------------------------------


class DecisionOutcome(StrEnum):
    APPROVED = "approved"
    REJECTED = "rejected"
    GONE = "gone"  # no such request under this message
    DECIDED = "decided"  # someone decided it already
    OWN = "own"  # the requester pressed
    NOT_ALLOWED = "not_allowed"  # neither asked nor an admin


@dataclass(frozen=True, slots=True)
class Decision:
    locale: str
    outcome: DecisionOutcome
    # APPROVED, REJECTED, OWN, NOT_ALLOWED: the request as it now stands and who is asked.
    request: ExtensionRequest | None = None
    deciders: Deciders = field(default_factory=lambda: Deciders(AskedKind.ADMINS))


# The history's sentence for a rejection: (locale, request, decider's name) → text.
RejectedNote = Callable[[str, ExtensionRequest, str], str]


async def decide_extension(
    deps: Deps,
    origin: Origin,
    actor: Actor,
    request_id: int,
    message_id: int,
    approve: bool,
    rejected_note: RejectedNote,
) -> Decision | NeedsAdmin:
    """Approve (the item's deadline moves, history written, reminders re-planned) or reject
    (a note in the history: `rejected_note`'s sentence in the group's language) the request
    shown by message `message_id` of the origin chat."""
    now = deps.now()
    async with deps.db.session() as session:
        request = await load_request(session, request_id, for_update=True)
        # The request must be the one this very message carries (callback data can be forged).
        if (
            request is None
            or request.tg_chat_id != origin.tg_chat_id
            or request.tg_message_id != message_id
        ):
            group = await group_of(session, deps, origin, actor)
            return Decision(group.locale, DecisionOutcome.GONE)
        item = request.item
        group = await group_of_item(session, deps, item)
        # Shown in a department's group, the request is the plan group's to decide.
        actor = actor.in_chat(group.chat.tg_chat_id)
        locale = group.locale
        if request.state != ExtensionState.PENDING.value:
            return Decision(locale, DecisionOutcome.DECIDED, request)
        asked = await _deciders_of(session, deps, item, request.requester_tg_user_id)
        if actor.tg_user_id == request.requester_tg_user_id:
            return Decision(locale, DecisionOutcome.OWN, request, asked)
        if not asked.includes(actor.tg_user_id):
            allowed = await may_change(session, deps, row_id(item), actor, Action.EXTEND_DECISION)
            if allowed is None:
                return needs_admin(group)
            if not allowed:
                return Decision(locale, DecisionOutcome.NOT_ALLOWED, request, asked)
        by_name = await _bound_name(session, group.chat_id, actor)
        if approve:
            await approve_request(
                session, request, by_tg_user_id=actor.tg_user_id, by_name=by_name, now=now
            )
            await follow_state(session, deps.planner, item, now)
            return Decision(locale, DecisionOutcome.APPROVED, request, asked)
        await reject_request(
            session,
            request,
            by_tg_user_id=actor.tg_user_id,
            by_name=by_name,
            now=now,
            note=rejected_note(locale, request, by_name),
        )
        return Decision(locale, DecisionOutcome.REJECTED, request, asked)
