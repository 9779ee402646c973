"""Progress collection (进展报送) in the chat: an answer arrived, the asks showing its item as
they read now, and what a reply to an ask may answer.

`answer_arrived` is the one hook the report operations (bot/operations/reports.py) call once a
progress, note or done report (or its undo) is applied: it only notes the item for this update
(when its chat collects progress and a recent round asked about it);
after the update is handled, bot/handlers/collection.py edits the asks that list it (read
then, so what they show is committed). Notes live in a context variable: each update is
handled in a task of its own, and the operation runs in that task.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.operations.deps import Deps
from bot.operations.finding import NoGroup, OnMessage, group_of, message_items
from bot.operations.who import Actor, Origin
from jobs.acks import RebuiltReminder
from jobs.collection import EDIT_WINDOW, REPORT, ask_as_it_stands
from jobs.outbox import chat_policy
from storage.messages import message_item_ids
from storage.models import Chat, DepartmentMember, Item, Person, ReportRound
from storage.report_rounds import (
    message_round,
    round_asked,
    round_messages,
    rounds_asking,
)
from storage.rows import pk, row_id

_arrived: ContextVar[set[int] | None] = ContextVar("planbot_answers_arrived", default=None)


async def answer_arrived(session: AsyncSession, deps: Deps, item: Item | None) -> None:
    """A report on `item` was applied in this update (None: nothing was). Costs nothing where
    the chat collects no progress (its policy is in the session already: the operation found
    the group), else one indexed read: whether a recent round asked about the item."""
    if item is None:
        return
    chat = await session.get(Chat, item.plan.chat_id)
    if chat is None or chat_policy(deps.planner.defaults, chat.settings).report_spec is None:
        return
    if not await rounds_asking(session, [row_id(item)], deps.now() - EDIT_WINDOW):
        return
    noted = _arrived.get()
    if noted is None:
        noted = set()
        _arrived.set(noted)
    noted.add(row_id(item))


def take_arrived() -> set[int]:
    """The items reported on in this update, forgotten once taken."""
    noted = _arrived.get()
    _arrived.set(None)
    return noted or set()


async def asks_showing(deps: Deps, item_ids: set[int]) -> tuple[RebuiltReminder, ...]:
    """The ask messages of the latest round that asked about these items (found through the
    round's item index), as they read now."""
    now = deps.now()
    out: list[RebuiltReminder] = []
    async with deps.db.reading() as session:
        # A chat's newest round that asked about them: an older ask stays as its round ended.
        newest: dict[int, ReportRound] = {}
        for r in await rounds_asking(session, item_ids, now - EDIT_WINDOW):
            if r.chat_id not in newest or r.fire_at > newest[r.chat_id].fire_at:
                newest[r.chat_id] = r
        rounds = [row_id(r) for r in newest.values()]
        for message in await round_messages(session, rounds, REPORT):
            asked = await round_asked(session, message.round_id)
            # Its departments asked about an answered item: their ✅ / ⏳ may have changed,
            # even where the message shows other items of theirs.
            if not any(
                a.department_id in message.departments and item_ids & set(a.item_ids) for a in asked
            ):
                continue
            listed = set(await message_item_ids(session, message.tg_chat_id, message.tg_message_id))
            content = await ask_as_it_stands(
                session,
                message.round_id,
                message.tg_chat_id,
                message.departments,
                listed,
                tz=deps.planner.tz,
                default_locale=deps.default_locale,
            )
            if content is not None:
                out.append(RebuiltReminder(content, message.tg_message_id))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class AskReply:
    """A reply to an ask: the group's language, the item numbers the message lists, and the
    one item the replier's departments were asked about there, if just one."""

    locale: str
    listed: tuple[int, ...]
    sole: int | None


async def replied_ask(
    deps: Deps, origin: Origin, actor: Actor, on: OnMessage
) -> AskReply | NoGroup | None:
    """What a reply to message `on` may answer, when it is an ask or a chase; None otherwise."""
    async with deps.db.reading() as session:
        message = await message_round(session, on.tg_chat_id, on.message_id)
        round_ = await session.get(ReportRound, message.round_id) if message else None
        if message is None or round_ is None:
            return None
        group = await group_of(session, deps, origin, actor)
        if isinstance(group, NoGroup):
            return group
        items = await message_items(session, on)
        by_id = {row_id(i): i.seq for i in items}
        mine = set(
            await session.scalars(
                select(col(DepartmentMember.department_id))
                .join(Person, pk(Person.id) == col(DepartmentMember.person_id))
                .where(
                    col(Person.chat_id) == round_.chat_id,
                    col(Person.tg_user_id) == actor.tg_user_id,
                )
            )
        )
        asked = await round_asked(session, message.round_id)
        theirs = {i for a in asked if a.department_id in mine for i in a.item_ids if i in by_id}
        if not theirs and len(by_id) == 1:
            theirs = set(by_id)
        sole = by_id[next(iter(theirs))] if len(theirs) == 1 else None
        return AskReply(group.locale, tuple(sorted(set(by_id.values()))), sole)
