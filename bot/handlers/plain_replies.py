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

A photo or file sent as such a reply is read the same way, by its caption (`media_reply`): the
same question (or, to a progress-report ask, the same direct recording), with the file kept as
the report's evidence (佐证材料) once recorded. A caption that is a command is that command's
(bot/handlers/evidence.py); a document the awaited `/import` took as the plan is the plan's. A
photo or file with no caption replying to one of our item messages is answered one sentence:
nothing is recorded, and to keep it as evidence, send it again captioned `/done N` or
`/progress N …` (there is no "keep this file as evidence?" question to ask instead). Videos,
voice messages and animations replying are left alone here.

Button data: `rp:<item id>:<token>`, the item confirmed and the waiting question's token.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Message, Update

from bot.chat.acting import act, actor_of, origin_of
from bot.chat.command_words import normalise_command
from bot.chat.confirmations import Confirmation, ask_to_confirm
from bot.chat.evidence import file_of
from bot.chat.item_access import Incoming, failure_line, incoming
from bot.chat.presses import Press, Waiting, asker_or_admin, on_press, take_waiting, waiting
from bot.chat.reminder_edits import update_reminders
from bot.chat.replies import reply_html
from bot.context import PlanbotContext
from bot.handlers.collection import answer_ask
from bot.handlers.done import done_reply
from bot.handlers.imports import took_as_plan
from bot.handlers.progress import progress_lines
from bot.handlers.review import ask_reviewers
from bot.i18n import t
from bot.operations.finding import ByRowId, NoGroup, OnMessage, Refused
from bot.operations.replied import OnItems, replied_items
from bot.operations.reports import Changed, Failed, Which, mark_done, report_progress
from bot.operations.responses import Acked, AckOutcome, acknowledge
from bot.operations.who import Actor
from bot.views.buttons import CONFIRM_PREFIX, parse_confirm_callback
from bot.views.evidence import attached_lines
from bot.views.render import esc, plain
from plans.percent import ProgressReport
from plans.reply_words import ReplyKind, read_reply
from storage.attachments import FileRef
from storage.item_changes import Outcome
from storage.models import PendingKind

__all__ = ["CONFIRM_PREFIX", "confirm_button", "media_reply", "plain_reply"]

# --- the reply --------------------------------------------------------------------------------


async def plain_reply(update: Update, context: PlanbotContext) -> None:
    """A plain text reply: answer what it means about the replied message's items, or nothing."""
    sent = incoming(update)
    if sent is None:
        return
    replied = _ours(context, sent.message)
    if replied is None:
        return
    await _answer(update, context, sent, replied, sent.message.text or "", None)


async def media_reply(update: Update, context: PlanbotContext) -> None:
    """A photo or file replying to one of our messages: its caption read as a plain reply,
    the file kept with the report; without a caption, how to send it as evidence."""
    sent = incoming(update)
    if sent is None:
        return
    replied = _ours(context, sent.message)
    if replied is None or took_as_plan(context, update):
        return
    file = file_of(sent.message)
    if not isinstance(file, FileRef):
        return  # a video, a voice message, an animation: not evidence, and no report here
    caption = sent.message.caption or ""
    if caption.strip():
        await _answer(update, context, sent, replied, caption, file)
        return
    listed = await _listed(context, sent, replied)
    if listed is not None:
        locale, items = listed[1].locale, listed[1].items
        await reply_html(update, t(locale, "evidence.caption_it", seq=items[0].seq))


def _ours(context: PlanbotContext, message: Message) -> Message | None:
    """The message `message` replies to, when it is one of this bot's."""
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.from_user.id != context.bot.id:
        return None
    return replied


async def _answer(
    update: Update,
    context: PlanbotContext,
    sent: Incoming,
    replied: Message,
    text: str,
    file: FileRef | None,
) -> None:
    """What `text`, a reply to our message `replied` (with `file`, the photo or file it was
    the caption of), means: recorded (an ask's answer), asked to confirm, or nothing."""
    if normalise_command(text) is not None:
        return
    if await answer_ask(update, context, sent, replied, text, file):
        return  # an answer to a progress-report ask (bot/handlers/collection.py)
    meaning = read_reply(text)
    if meaning is None:
        return
    listed = await _listed(context, sent, replied)
    if listed is None:
        return
    actor, on_items = listed
    on = OnMessage(replied.chat_id, replied.message_id)
    await ask_to_confirm(update, context, actor, on_items.locale, on_items.items, meaning, on, file)


async def _listed(
    context: PlanbotContext, sent: Incoming, replied: Message
) -> tuple[Actor, OnItems] | None:
    """Who replied, and the items of our message `replied`; None when it lists none."""
    origin = origin_of(sent.chat)
    actor = actor_of(context, sent.user, origin)
    on = OnMessage(replied.chat_id, replied.message_id)
    listed = await replied_items(context.services.deps, origin, actor, on)
    if isinstance(listed, NoGroup) or not listed.items:
        return None
    return actor, listed


# --- the press --------------------------------------------------------------------------------


async def _confirm_pressed(context: PlanbotContext, press: Press[tuple[int, str]]) -> None:
    """✅ / 📝 / 👀 under an understood reply: record it for the presser (the one who
    replied, or an admin)."""
    item_id, token = press.data
    asked = await waiting(
        context, press, token, PendingKind.REPLY, Confirmation.of, "confirm.expired"
    )
    if asked is None:
        return
    if not await asker_or_admin(context, press, asked):
        await press.refuse(t(asked.locale, "confirm.not_yours", name=asked.pending.name))
        return
    if item_id not in asked.pending.item_ids:
        return  # answered as a button that no longer works
    kind = asked.pending.meaning.kind
    if kind is ReplyKind.ACK:
        await _confirm_ack(context, press, asked)
    elif kind is ReplyKind.DONE:
        await _confirm_done(context, press, asked, item_id)
    else:
        await _confirm_progress(context, press, asked, item_id)


confirm_button = on_press(parse_confirm_callback, _confirm_pressed)

ReportFor = Callable[[Actor], Awaitable[Changed | Which | Failed]]
Asked = Waiting[Confirmation]


async def _report(
    context: PlanbotContext, press: Press[Any], report: ReportFor, command: str
) -> Changed | None:
    """`report` run for the presser; None after answering a press it refused (or leaving one
    it found nothing for to be answered as stale)."""
    result = await act(context, press.actor, report)
    if isinstance(result, Refused):
        await press.refuse(plain(failure_line(result, command)))
        return None
    return result if isinstance(result, Changed) else None


async def _confirm_done(
    context: PlanbotContext, press: Press[Any], asked: Asked, item_id: int
) -> None:
    deps, note, origin = context.services.deps, asked.pending.meaning.note, press.origin
    target, file = ByRowId(item_id, press.message_id), asked.pending.file
    result = await _report(
        context,
        press,
        lambda a: mark_done(deps, origin, a, target, note, question=asked.where, evidence=file),
        "done",
    )
    if result is None:
        return
    reply = done_reply(context, result, press.actor)
    await press.answer(reply.toast, alert=reply.alert)
    if result.question_answered:
        await press.clear_buttons()
    if reply.applied:
        lines = reply.lines + attached_lines(result.change, file, result.locale)
        await reply_html(press.update, lines)
        await update_reminders(context, result.reminders)
        await ask_reviewers(press.update, context, result)


async def _confirm_progress(
    context: PlanbotContext, press: Press[Any], asked: Asked, item_id: int
) -> None:
    meaning, deps, origin = asked.pending.meaning, context.services.deps, press.origin
    report = ProgressReport(meaning.percent, meaning.note, meaning.vague)
    target, file, where = ByRowId(item_id, press.message_id), asked.pending.file, asked.where
    result = await _report(
        context,
        press,
        lambda a: report_progress(
            deps, origin, a, target, report.percent, report.note, question=where, evidence=file
        ),
        "progress",
    )
    if result is None:
        return
    if result.change.outcome is Outcome.GONE:
        await press.refuse(t(result.locale, "items.gone"), clear=True)
        return
    if not result.question_answered and result.change.item is not None:
        # Another press of this confirmation recorded it first.
        await press.refuse(asked.expired, clear=True)
        return
    if result.change.applied and report.percent is not None:
        await press.answer(t(result.locale, "confirm.toast.progress", percent=report.percent))
    elif result.change.applied:
        await press.answer(t(result.locale, "confirm.toast.note"))
    else:
        await press.answer()
    if result.question_answered:
        await press.clear_buttons()
    lines = progress_lines(result, press.actor, report)
    await reply_html(press.update, lines + attached_lines(result.change, file, result.locale))


async def _confirm_ack(context: PlanbotContext, press: Press[Any], asked: Asked) -> None:
    if not await take_waiting(context, press, asked):
        return
    origin, actor = press.origin, press.actor
    deps = context.services.deps
    on = OnMessage(origin.tg_chat_id, asked.pending.message_id)
    result = await act(context, actor, lambda a: acknowledge(deps, origin, a, on))
    await press.clear_buttons()
    if not isinstance(result, Acked):
        return  # answered as a button that no longer works
    locale, outcome = result.locale, result.outcome
    if outcome is AckOutcome.RECORDED:
        await press.answer(t(locale, "ack.toast"))
        names = t(locale, "list.sep").join(f"{i.seq}. {esc(i.title)}" for i in result.recorded)
        await reply_html(press.update, t(locale, "ack.ok", name=esc(actor.name), items=names))
        await update_reminders(context, result.reminders)
    elif outcome is AckOutcome.ALREADY:
        await press.answer(t(locale, "ack.already"))
    elif outcome is AckOutcome.ALREADY_DONE:
        done = t(locale, "list.sep").join(f"{i.seq}. {i.title}" for i in result.done)
        await press.answer(t(locale, "ack.already_done", items=done))
    elif outcome is AckOutcome.NOTHING:
        await press.refuse(t(locale, "ack.nothing"))
    else:
        await press.refuse(t(locale, "ack.not_responsible"))
