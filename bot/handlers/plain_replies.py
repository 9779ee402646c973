"""Plain replies to the bot's reminders and /plan answers: 已完成, 60%, 已完成初稿, 收到.

A reply plans/reply_words.py understands gets an answer, as a reply, saying what the bot read
and a button to confirm it (✅ 登记为完成, 📝 登记进度 60%, 📝 登记进展, 👀 确认收到). Nothing
changes until the button is pressed, and only by the one who replied or an admin; the press
then runs the same operation as /done, /progress or /ack would, for the presser. When the
message replied to lists several items the answer asks which, one button per item.

What was understood waits in the database (storage.pending, kind REPLY), so a restart keeps
it. A reply that is no reply to one of our item messages, a command typed with a Chinese slash
(answered as a command elsewhere) and chatter (好的, 谢谢) get no answer at all: a busy group
hears nothing from the bot about them.

`/progress` sent as a reply to a message listing several items asks which the same way.

Button data: `rp:<item id>:<token>`, the item confirmed and the waiting question's token.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import CallbackQuery, Update, User

from bot.chat.acting import act, actor_of, origin_of
from bot.chat.command_words import normalise_command
from bot.chat.confirmations import CONFIRM_PREFIX, Confirmation, ask_to_confirm
from bot.chat.item_access import (
    PendingPress,
    PressRefusal,
    checked_press,
    failure_line,
    incoming,
    pressed_pending,
    take_pressed,
)
from bot.chat.permissions import is_admin
from bot.chat.reminder_edits import update_reminders
from bot.chat.replies import clear_buttons, reply_html
from bot.context import PlanbotContext
from bot.handlers.done import done_reply
from bot.handlers.progress import progress_lines
from bot.i18n import t
from bot.operations.finding import ByRowId, NoGroup, OnMessage, Refused
from bot.operations.replied import replied_items
from bot.operations.reports import Changed, Failed, Which, mark_done, report_progress
from bot.operations.responses import Acked, AckOutcome, acknowledge
from bot.operations.who import Actor, Origin
from bot.views.render import esc, plain
from plans.numbers import parse_row_id
from plans.percent import ProgressReport
from plans.reply_words import ReplyKind, read_reply
from storage.models import PendingKind

# --- the reply --------------------------------------------------------------------------------


async def plain_reply(update: Update, context: PlanbotContext) -> None:
    """A plain text reply: answer what it means about the replied message's items, or nothing."""
    sent = incoming(update)
    if sent is None:
        return
    replied, text = sent.message.reply_to_message, sent.message.text or ""
    if replied is None or replied.from_user is None or replied.from_user.id != context.bot.id:
        return
    if normalise_command(text) is not None:
        return
    meaning = read_reply(text)
    if meaning is None:
        return
    origin = origin_of(sent.chat)
    actor = actor_of(context, sent.user, origin)
    on = OnMessage(replied.chat_id, replied.message_id)
    listed = await replied_items(context.services.deps, origin, actor, on)
    if isinstance(listed, NoGroup) or not listed.items:
        return
    await ask_to_confirm(update, context, actor, listed.locale, listed.items, meaning, on)


# --- the press --------------------------------------------------------------------------------


async def _pressed(
    context: PlanbotContext, update: Update, data: str
) -> PendingPress[Confirmation] | PressRefusal:
    return await pressed_pending(
        context, update, data, CONFIRM_PREFIX, PendingKind.REPLY, Confirmation.of, "confirm.expired"
    )


async def _replier_or_admin(
    context: PlanbotContext, press: PendingPress[Confirmation], user: User
) -> PressRefusal | None:
    if user.id == press.asked_by:
        return None
    if await is_admin(context, press.tg_chat.id, press.tg_chat.type, user.id):
        return None
    return PressRefusal(t(press.locale, "confirm.not_yours", name=press.pending.name))


async def confirm_button(update: Update, context: PlanbotContext) -> None:
    """✅ / 📝 / 👀 under an understood reply: record it for the presser."""
    pressed = await checked_press(update, context, _pressed, _replier_or_admin)
    if pressed is None:
        return
    query, press = pressed
    item_id = parse_row_id(press.action)
    if item_id is None or item_id not in press.pending.item_ids:
        await query.answer()
        return
    kind = press.pending.meaning.kind
    if kind is ReplyKind.ACK:
        await _confirm_ack(update, context, press)
    elif kind is ReplyKind.DONE:
        await _confirm_done(update, context, press, item_id)
    else:
        await _confirm_progress(update, context, press, item_id)


ReportFor = Callable[[Origin, Actor], Awaitable[Changed | Which | Failed]]


async def _report(
    update: Update,
    context: PlanbotContext,
    press: PendingPress[Confirmation],
    report: ReportFor,
    command: str,
) -> tuple[CallbackQuery, Actor, Changed] | None:
    """`report` run for the presser; None after answering a press it refused or found
    nothing for."""
    query = update.callback_query
    assert query is not None
    origin = origin_of(press.tg_chat)
    actor = actor_of(context, query.from_user, origin)
    result = await act(context, actor, lambda a: report(origin, a))
    if isinstance(result, Refused):
        await query.answer(plain(failure_line(result, command))[:200], show_alert=True)
        return None
    if not isinstance(result, Changed):
        await query.answer()
        return None
    return query, actor, result


async def _confirm_done(
    update: Update, context: PlanbotContext, press: PendingPress[Confirmation], item_id: int
) -> None:
    deps, note = context.services.deps, press.pending.meaning.note
    reported = await _report(
        update,
        context,
        press,
        lambda origin, a: mark_done(deps, origin, a, ByRowId(item_id), note, question=press.where),
        "done",
    )
    if reported is None:
        return
    query, actor, result = reported
    reply = done_reply(context, result, actor)
    await query.answer(reply.toast)
    if result.question_answered:
        await clear_buttons(query)
    if reply.applied:
        await reply_html(update, reply.lines)
        await update_reminders(context, result.reminders)


async def _confirm_progress(
    update: Update, context: PlanbotContext, press: PendingPress[Confirmation], item_id: int
) -> None:
    meaning, deps = press.pending.meaning, context.services.deps
    report = ProgressReport(meaning.percent, meaning.note, meaning.vague)
    reported = await _report(
        update,
        context,
        press,
        lambda origin, a: report_progress(
            deps, origin, a, ByRowId(item_id), report.percent, report.note, question=press.where
        ),
        "progress",
    )
    if reported is None:
        return
    query, actor, result = reported
    if not result.question_answered and result.change.item is not None:
        # Another press of this confirmation recorded it first.
        await query.answer(press.expired.text, show_alert=True)
        await clear_buttons(query)
        return
    if result.change.applied and report.percent is not None:
        await query.answer(t(result.locale, "confirm.toast.progress", percent=report.percent))
    elif result.change.applied:
        await query.answer(t(result.locale, "confirm.toast.note"))
    else:
        await query.answer()
    if result.question_answered:
        await clear_buttons(query)
    await reply_html(update, progress_lines(result, actor, report))


async def _confirm_ack(
    update: Update, context: PlanbotContext, press: PendingPress[Confirmation]
) -> None:
    query = update.callback_query
    assert query is not None
    if not await take_pressed(context, query, press):
        return
    origin = origin_of(press.tg_chat)
    actor = actor_of(context, query.from_user, origin)
    deps = context.services.deps
    on = OnMessage(origin.tg_chat_id, press.pending.message_id)
    result = await act(context, actor, lambda a: acknowledge(deps, origin, a, on))
    await clear_buttons(query)
    if not isinstance(result, Acked):
        await query.answer()
        return
    locale, outcome = result.locale, result.outcome
    if outcome is AckOutcome.RECORDED:
        await query.answer(t(locale, "ack.toast"))
        names = t(locale, "list.sep").join(f"{i.seq}. {esc(i.title)}" for i in result.recorded)
        await reply_html(update, t(locale, "ack.ok", name=esc(actor.name), items=names))
        await update_reminders(context, result.reminders)
    elif outcome is AckOutcome.ALREADY:
        await query.answer(t(locale, "ack.already"))
    elif outcome is AckOutcome.ALREADY_DONE:
        done = t(locale, "list.sep").join(f"{i.seq}. {i.title}" for i in result.done)
        await query.answer(t(locale, "ack.already_done", items=done)[:200])
    elif outcome is AckOutcome.NOTHING:
        await query.answer(t(locale, "ack.nothing"), show_alert=True)
    else:
        await query.answer(t(locale, "ack.not_responsible"), show_alert=True)
