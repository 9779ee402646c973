"""Button presses (callback queries): one path for every button the bot makes.

`on_press(parse, handle)` is what bot/handlers/__init__.py registers for each button prefix.
It reads the data with `parse` (bot/views/buttons.py: only the actions, row ids and tokens we
make; data can be forged), turns the press into a `Press` (the data read, who pressed, where,
the message), runs `handle`, and makes sure Telegram gets one answer: a press nobody answered
(data we do not read, an item no longer there or not belonging where it was pressed, a branch
with nothing to say) gets "This button no longer works." as an alert. `unknown_press`,
registered after every prefix, answers the same for data no prefix claims and for game or
inline presses without data. Telegram shows a spinner until a press is answered.

Whether a press may act on the item it names is the operations' to check
(bot/operations/presses.py), with the pressed message's id in `ByRowId`. Buttons under a
question waiting in the database (an /iam, an import preview, a confirmed reply) find it with
`waiting` and take it with `take_waiting` once the presser may act.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from telegram import CallbackQuery, Update, User
from telegram import Chat as TgChat
from telegram.error import TelegramError

from bot.chat.acting import actor_of, origin_of
from bot.chat.commands import Callback
from bot.chat.permissions import is_admin, may_in_chat
from bot.chat.replies import chat_locale, clear_buttons
from bot.context import PlanbotContext
from bot.delivery.edits import edit
from bot.i18n import t
from bot.operations.policy import Action
from bot.operations.who import Actor, Origin
from storage.models import PendingKind
from storage.pending import Where, get_question, take_question

log = logging.getLogger(__name__)

D = TypeVar("D")
P = TypeVar("P")

# Telegram shows at most this many characters of a press's answer.
MAX_ANSWER = 200


@dataclass(slots=True)
class Press(Generic[D]):
    """A press of one of our buttons: its data as `parse` read it, the message it sits under,
    the chat, and who pressed (as an operation's actor)."""

    update: Update
    query: CallbackQuery
    data: D
    message_id: int
    tg_chat: TgChat
    origin: Origin
    actor: Actor
    answered: bool = False

    @property
    def user(self) -> User:
        return self.query.from_user

    async def answer(self, text: str | None = None, *, alert: bool = False) -> None:
        """Answer the press (plain text, cut to what Telegram shows); only the first answer
        is sent, Telegram refuses a second."""
        if self.answered:
            return
        self.answered = True
        await self.query.answer(text[:MAX_ANSWER] if text else None, show_alert=alert)

    async def refuse(self, text: str, *, clear: bool = False) -> None:
        """Say in an alert why the press did nothing; `clear`: take the buttons off too (what
        they act on is gone, pressing again cannot help)."""
        await self.answer(text, alert=True)
        if clear:
            await self.clear_buttons()

    async def clear_buttons(self) -> None:
        await clear_buttons(self.query)

    async def edit_text(self, text: str) -> None:
        """The pressed message now reads `text` (HTML), without buttons."""
        await edit(self.query.edit_message_text(text))


def on_press(
    parse: Callable[[str], D | None],
    handle: Callable[[PlanbotContext, Press[D]], Awaitable[None]],
) -> Callback:
    """The handler of one kind of button: `parse` its data, `handle` the press, and answer
    it when neither did (see the module's docstring)."""

    async def pressed(update: Update, context: PlanbotContext) -> None:
        query = update.callback_query
        if query is None:
            return
        press = _press_of(context, update, query, parse)
        if press is None:
            await answer_stale(context, query)
            return
        try:
            await handle(context, press)
        except Exception:
            # The error handler tells the chat; the button must not spin on.
            if not press.answered:
                with suppress(TelegramError):
                    await query.answer()
            raise
        if not press.answered:
            await answer_stale(context, query)

    return pressed


def _press_of(
    context: PlanbotContext,
    update: Update,
    query: CallbackQuery,
    parse: Callable[[str], D | None],
) -> Press[D] | None:
    message = query.message
    if message is None or query.data is None:
        return None
    data = parse(query.data)
    if data is None:
        return None
    origin = origin_of(message.chat)
    actor = actor_of(context, query.from_user, origin)
    return Press(update, query, data, message.message_id, message.chat, origin, actor)


async def answer_stale(context: PlanbotContext, query: CallbackQuery) -> None:
    """ "This button no longer works." as an alert, in the chat's language."""
    message = query.message
    locale = await chat_locale(context, message.chat.id if message is not None else None)
    await query.answer(t(locale, "press.stale"), show_alert=True)


async def unknown_press(update: Update, context: PlanbotContext) -> None:
    """Any press no button handler claimed: data we never made (or no longer make), a game
    or inline press without data."""
    query = update.callback_query
    if query is not None:
        log.info("press with unknown data %r answered as stale", (query.data or "")[:64])
        await answer_stale(context, query)


# --- buttons under a question waiting in the database ------------------------------------------


@dataclass(frozen=True, slots=True)
class Waiting(Generic[P]):
    """The question a press's token names (an /iam, a preview, a confirmation): its payload
    as `P`, who asked, the chat's language and the sentence saying it expired."""

    where: Where
    pending: P
    asked_by: int
    locale: str
    expired: str


async def waiting(
    context: PlanbotContext,
    press: Press[Any],
    token: str,
    kind: PendingKind,
    decode: Callable[[dict[str, Any]], P],
    expired: str,
) -> Waiting[P] | None:
    """The question of this chat that `token` names, still waiting; None after answering
    `expired`'s sentence (answered already, or its time ran out). Only a look: take it with
    `take_waiting` once the presser may act."""
    locale = await chat_locale(context, press.tg_chat.id)
    where = Where(press.tg_chat.id, kind, token)
    svc = context.services
    async with svc.db.session() as session:
        question = await get_question(session, where, svc.now())
    if question is None:
        await press.refuse(t(locale, expired), clear=True)
        return None
    payload = decode(question.payload)
    return Waiting(where, payload, question.asked_by, locale, t(locale, expired))


async def take_waiting(context: PlanbotContext, press: Press[Any], asked: Waiting[Any]) -> bool:
    """Take the question off the table; False after answering as if it had expired when
    another press (of this button or its neighbour) took it first."""
    svc = context.services
    async with svc.db.session() as session:
        taken = await take_question(session, asked.where, svc.now())
    if taken is None:
        await press.refuse(asked.expired, clear=True)
        return False
    return True


async def asker_or_admin(
    context: PlanbotContext, press: Press[Any], asked: Waiting[Any], action: Action | None = None
) -> bool:
    """Whether the presser asked the question or, in the chat it is in, administers it — or,
    for `action`, may do it by the permission table (bot/operations/policy.py)."""
    if press.user.id == asked.asked_by:
        return True
    chat = press.tg_chat
    if action is not None:
        return await may_in_chat(context, action, chat.id, chat.type, press.user.id)
    return await is_admin(context, chat.id, chat.type, press.user.id)
