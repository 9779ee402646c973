"""/done: an item is done — by number, as a reply to a message about items, or by button.

`/done 3 note` names item 3 of the chat's current plan (`/done 2020-10#3` another month's).
Sent as a reply to a reminder or a /plan answer, `/done note` means the item that message is
about; when it lists several the bot asks which with buttons, keeping the note until one is
pressed (in the database, storage.pending, so a restart keeps it too). A number in such a reply
still names an item, the message's own items first.

The ✅ button under reminders (`it:done:<item id>`) does the same as the command.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from telegram import Message, Update, User

from bot.chat.item_access import (
    ItemPress,
    PressRefusal,
    author_of,
    checked_press,
    command_in_scope,
    find_item,
    may_change,
    pressed_item,
    split_first,
)
from bot.chat.replies import reply_html
from bot.context import PlanbotContext
from bot.i18n import t
from bot.views.buttons import DONE, parse_item_callback
from bot.views.item import (
    Display,
    choice_keyboard,
    done_already_line,
    note_line,
    ref_label,
    refusal_line,
)
from bot.views.render import esc, plain
from plans.itemref import parse_item_ref
from storage.item_changes import Outcome, mark_done
from storage.messages import items_for_message
from storage.models import Item, ItemStatus, PendingKind
from storage.pending import Where, get_question, put_question, take_question
from storage.rows import row_id

# More choices than this and a keyboard stops helping: ask for the number instead.
MAX_CHOICES = 30
# How long a "which one?" keeps its note; its buttons work longer, without the note.
QUESTION_LIFETIME = timedelta(days=30)


def _question(tg_chat_id: int, message_id: int) -> Where:
    """Our "which one?" question: the message that asks it names it."""
    return Where(tg_chat_id, PendingKind.DONE, str(message_id))


@dataclass(frozen=True, slots=True)
class DoneReply:
    lines: list[str]
    # For a button press: the short text of the callback answer.
    toast: str
    applied: bool = False


async def complete(context: PlanbotContext, item_id: int, user: User, note: str) -> list[str]:
    """Mark the item done for `user` if they may; the lines saying what came of it."""
    press = await pressed_item(context, (DONE, item_id))
    if isinstance(press, PressRefusal):
        return [press.text or ""]
    line = await _refusal_line(context, press, user)
    if line is not None:
        return [line]
    return (await _mark_done(context, press, user, note)).lines


async def _refusal_line(context: PlanbotContext, press: ItemPress, user: User) -> str | None:
    """Who may report on the item, for someone who may not; None for someone who may."""
    if await may_change(context, press.chat, press.item_id, user.id):
        return None
    return refusal_line(press.item, press.locale)


async def _mark_done(context: PlanbotContext, press: ItemPress, user: User, note: str) -> DoneReply:
    locale, svc = press.locale, context.services
    async with svc.db.session() as session:
        change = await mark_done(
            session, svc.planner, press.item_id, author_of(user), note, svc.now()
        )
    display = Display(locale, svc.today(), svc.config.schedule.tz)
    if change.outcome is Outcome.GONE or change.item is None:
        return DoneReply([t(locale, "items.gone")], t(locale, "items.gone"))
    if change.outcome is Outcome.UNCHANGED:
        return DoneReply([done_already_line(change.item, display)], t(locale, "done.toast_already"))
    lines = [t(locale, "done.ok", item=ref_label(change.item, locale), author=esc(user.full_name))]
    lines += note_line(note, locale)
    lines.append(t(locale, "items.undo_hint"))
    return DoneReply(lines, t(locale, "done.toast"), applied=True)


async def done_command(update: Update, context: PlanbotContext) -> None:
    command = await command_in_scope(update, context)
    if command is None:
        return
    message, user, scope, args = command.message, command.user, command.scope, command.args
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.is_bot:
        if await _done_by_reply(update, context, user, replied, args, scope.locale):
            return
    first, note = split_first(args)
    found = await find_item(update, context, scope, first, "done")
    if found is None:
        return
    await reply_html(update, await complete(context, found.item_id, user, note))


async def _done_by_reply(
    update: Update,
    context: PlanbotContext,
    user: User,
    replied: Message,
    args: str,
    locale: str,
) -> bool:
    """Handle `/done` as a reply to one of our messages about items; False if it is not one
    (or names an item of its own), so the command is read the ordinary way."""
    async with context.services.db.session() as session:
        items = await items_for_message(session, replied.chat_id, replied.message_id)
    if not items:
        return False
    first, rest = split_first(args)
    ref = parse_item_ref(first) if first else None
    if ref is not None:
        named = [i for i in items if i.seq == ref.seq and not ref.names_plan]
        if not named:
            return False
        items, note = named, rest
    else:
        note = args
    if len(items) == 1:
        await reply_html(update, await complete(context, row_id(items[0]), user, note))
        return True
    await _ask_which(update, context, user, items, note, locale)
    return True


async def _ask_which(
    update: Update,
    context: PlanbotContext,
    user: User,
    items: list[Item],
    note: str,
    locale: str,
) -> None:
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
    svc = context.services
    async with svc.db.session() as session:
        await put_question(
            session,
            _question(sent[-1].chat_id, sent[-1].message_id),
            {"note": note},
            user.id,
            svc.now(),
            QUESTION_LIFETIME,
        )


async def _pressed_done(
    context: PlanbotContext, update: Update, data: str
) -> ItemPress | PressRefusal:
    return await pressed_item(context, parse_item_callback(data, DONE), _gone)


def _gone(locale: str) -> PressRefusal:
    return PressRefusal(t(locale, "items.gone"), alert=False)


async def _may_mark(context: PlanbotContext, press: ItemPress, user: User) -> PressRefusal | None:
    line = await _refusal_line(context, press, user)
    return None if line is None else PressRefusal(plain(line)[:200])


async def done_button(update: Update, context: PlanbotContext) -> None:
    """The ✅ button: under a reminder, or under our "which one?" question."""
    pressed = await checked_press(update, context, _pressed_done, _may_mark)
    if pressed is None:
        return
    query, press = pressed
    svc = context.services
    where = (
        None
        if query.message is None
        else _question(query.message.chat.id, query.message.message_id)
    )
    asked = None
    if where is not None:
        async with svc.db.session() as session:
            asked = await get_question(session, where, svc.now())
    # The note is the asker's: someone else pressing reports without it.
    note = str(asked.payload["note"]) if asked and asked.asked_by == query.from_user.id else ""
    reply = await _mark_done(context, press, query.from_user, note)
    await query.answer(reply.toast)
    if not reply.applied:
        return
    if where is not None:
        async with svc.db.session() as session:
            answered = await take_question(session, where, svc.now())
        if answered is not None:
            # Our "which one?" is answered; a reminder's buttons stay for its other items.
            await query.edit_message_reply_markup(None)
    await reply_html(update, reply.lines)
