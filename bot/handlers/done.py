"""/done: an item is done — by number, as a reply to a message about items, or by button.

`/done 3 note` names item 3 of the chat's current plan (`/done 2020-10#3` another month's).
Sent as a reply to a reminder or a /plan answer, `/done note` means the item that message is
about; when it lists several the bot asks which with buttons, keeping the note until one is
pressed (in chat_data: a restart forgets the note, never the report itself). A number in such
a reply still names an item, the message's own items first.

The ✅ button under reminders (`it:done:<item id>`) does the same as the command.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Message, Update, User
from telegram.ext import ContextTypes

from bot.i18n import t
from bot.item_access import (
    author_of,
    command_args,
    find_item,
    locale_of,
    may_change,
    scope_for,
    split_first,
)
from bot.render import esc, plain
from bot.replies import reply_html
from bot.services import services
from bot.views.buttons import DONE, parse_item_callback
from bot.views.item import (
    Display,
    choice_keyboard,
    done_already_line,
    note_line,
    ref_label,
    refusal_line,
)
from plans.itemref import parse_item_ref
from storage.item_changes import Outcome, mark_done
from storage.item_queries import load_item
from storage.messages import items_for_message
from storage.models import Chat, Item, ItemStatus

# More choices than this and a keyboard stops helping: ask for the number instead.
MAX_CHOICES = 30
# Questions remembered per chat; older ones still work, without their note.
MAX_QUESTIONS = 50
_QUESTIONS_KEY = "done_questions"


@dataclass(frozen=True, slots=True)
class _Question:
    """A "which one?" we asked: who asked and the note their `/done` carried."""

    user_id: int
    note: str


def _questions(context: ContextTypes.DEFAULT_TYPE) -> dict[int, _Question]:
    """Our open "which one?" questions in this chat, by message id."""
    return context.chat_data.setdefault(_QUESTIONS_KEY, {})  # type: ignore[union-attr]


@dataclass(frozen=True, slots=True)
class DoneReply:
    lines: list[str]
    # For a button press: the short text of the callback answer.
    toast: str
    applied: bool = False
    refused: bool = False


async def complete(
    context: ContextTypes.DEFAULT_TYPE, item_id: int, user: User, note: str
) -> DoneReply:
    """Mark the item done for `user` if they may; what to say either way."""
    svc = services(context)
    async with svc.db.session() as session:
        item = await load_item(session, item_id)
        chat = await session.get(Chat, item.plan.chat_id) if item is not None else None
    locale = locale_of(context, chat)
    if item is None or chat is None:
        return DoneReply([t(locale, "items.gone")], t(locale, "items.gone"))
    if not await may_change(context, chat, item_id, user.id):
        line = refusal_line(item, locale)
        return DoneReply([line], plain(line)[:200], refused=True)
    async with svc.db.session() as session:
        change = await mark_done(session, svc.planner, item_id, author_of(user), note, svc.now())
    display = Display(locale, svc.today(), svc.config.schedule.tz)
    if change.outcome is Outcome.GONE or change.item is None:
        return DoneReply([t(locale, "items.gone")], t(locale, "items.gone"))
    if change.outcome is Outcome.UNCHANGED:
        return DoneReply([done_already_line(change.item, display)], t(locale, "done.toast_already"))
    lines = [t(locale, "done.ok", item=ref_label(change.item, locale), author=esc(user.full_name))]
    lines += note_line(note, locale)
    lines.append(t(locale, "items.undo_hint"))
    return DoneReply(lines, t(locale, "done.toast"), applied=True)


async def done_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    scope = await scope_for(update, context)
    if scope is None:
        return
    args = command_args(message.text)
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.is_bot:
        if await _done_by_reply(update, context, replied, args, scope.locale):
            return
    first, note = split_first(args)
    found = await find_item(update, context, scope, first, "done")
    if found is None:
        return
    assert found.item.id is not None
    reply = await complete(context, found.item.id, user, note)
    await reply_html(update, reply.lines)


async def _done_by_reply(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    replied: Message,
    args: str,
    locale: str,
) -> bool:
    """Handle `/done` as a reply to one of our messages about items; False if it is not one
    (or names an item of its own), so the command is read the ordinary way."""
    user = update.effective_user
    assert user is not None
    async with services(context).db.session() as session:
        items = await items_for_message(session, replied.chat_id, replied.message_id)
    if not items:
        return False
    first, rest = split_first(args)
    ref = parse_item_ref(first) if first else None
    if ref is not None:
        named = [i for i in items if i.seq == ref.seq and ref.month is None]
        if not named:
            return False
        items, note = named, rest
    else:
        note = args
    if len(items) == 1:
        assert items[0].id is not None
        reply = await complete(context, items[0].id, user, note)
        await reply_html(update, reply.lines)
        return True
    await _ask_which(update, context, items, note, locale)
    return True


async def _ask_which(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    items: list[Item],
    note: str,
    locale: str,
) -> None:
    user = update.effective_user
    assert user is not None
    still_open = [i for i in items if i.status == ItemStatus.OPEN.value]
    if not still_open:
        await reply_html(update, t(locale, "done.all_done"))
        return
    if len(still_open) > MAX_CHOICES:
        await reply_html(
            update, t(locale, "done.too_many", n=len(still_open), seq=still_open[0].seq)
        )
        return
    sent = await reply_html(
        update,
        t(locale, "done.which", n=len(still_open)),
        reply_markup=choice_keyboard(still_open),
    )
    questions = _questions(context)
    questions[sent[-1].message_id] = _Question(user.id, note)
    while len(questions) > MAX_QUESTIONS:
        del questions[next(iter(questions))]


async def done_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The ✅ button: under a reminder, or under our "which one?" question."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    parsed = parse_item_callback(query.data)
    if parsed is None or parsed[0] != DONE:
        await query.answer()
        return
    question_id = query.message.message_id if query.message is not None else None
    asked = _questions(context).get(question_id) if question_id is not None else None
    note = asked.note if asked and asked.user_id == query.from_user.id else ""
    reply = await complete(context, parsed[1], query.from_user, note)
    if reply.refused:
        await query.answer(reply.toast, show_alert=True)
        return
    await query.answer(reply.toast)
    if not reply.applied:
        return
    if question_id is not None and _questions(context).pop(question_id, None) is not None:
        # Our "which one?" is answered; a reminder's buttons stay for its other items.
        await query.edit_message_reply_markup(None)
    await reply_html(update, reply.lines)
