"""/done: an item is done — by number, as a reply to a message about items, or by button.

`/done 3 note` names item 3 of the chat's current plan (`/done 2020-10#3` another month's).
Sent as a reply to a reminder or a /plan answer, `/done note` means the item that message is
about; when it lists several the bot asks which with buttons, keeping the note until one is
pressed (in the database, storage.pending, so a restart keeps it too). A number in such a reply
still names an item, the message's own items first.

The ✅ button under reminders (`it:done:<item id>`) does the same as the command.

Each path is parse → one operation (bot.operations.reports.mark_done) → render.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from telegram import Update

from bot.chat.acting import act, actor_of, origin_of
from bot.chat.evidence import evidence_of
from bot.chat.item_access import command_args, failure_line, incoming, items_named
from bot.chat.presses import Press, on_press
from bot.chat.reminder_edits import update_reminders
from bot.chat.replies import reply_html
from bot.context import PlanbotContext
from bot.handlers.review import ask_reviewers
from bot.i18n import t
from bot.operations.finding import (
    ByNumber,
    ByRowId,
    NeedsAdmin,
    NoGroup,
    NoSuchItem,
    OnMessage,
    Refused,
)
from bot.operations.reports import Changed, ManyDone, Which, mark_done, mark_done_many
from bot.operations.who import Actor
from bot.views.buttons import DONE, parse_item_callback
from bot.views.evidence import attached_lines, which_line
from bot.views.item import (
    Display,
    choice_keyboard,
    done_already_line,
    names_label,
    note_line,
    ref_label,
)
from bot.views.part_answers import many_part_line, part_done_line
from bot.views.render import esc, plain
from bot.views.review import claimed_line
from storage.item_changes import Outcome
from storage.models import Item, ItemStatus, PendingKind
from storage.pending import Where, put_question

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
    # The toast says why nothing was done (the item is gone): an alert the presser must close.
    alert: bool = False


def done_reply(context: PlanbotContext, changed: Changed, actor: Actor) -> DoneReply:
    """What to answer a done report with (a confirmed plain reply too)."""
    locale, change, svc = changed.locale, changed.change, context.services
    if change.outcome is Outcome.GONE or change.item is None:
        return DoneReply([t(locale, "items.gone")], t(locale, "items.gone"), alert=True)
    item, departments = change.item, changed.departments
    if change.outcome is Outcome.UNCHANGED:
        if departments and item.status != ItemStatus.DONE.value:
            line = t(
                locale,
                "parts.done_already",
                item=ref_label(item, locale),
                departments=names_label(departments, locale),
            )
        else:
            display = Display(locale, svc.today(), svc.config.schedule.tz)
            line = done_already_line(item, display)
        return DoneReply([line], t(locale, "done.toast_already"))
    if changed.review is not None:
        lines = [claimed_line(item, departments, actor.name, locale)]
    elif departments:
        lines = [part_done_line(item, departments, actor.name, locale)]
    else:
        lines = [t(locale, "done.ok", item=ref_label(item, locale), author=esc(actor.name))]
    # The note as recorded: a "which one?" button reports the asker's note.
    lines += note_line(change.event.text if change.event else "", locale)
    lines.append(t(locale, "items.undo_hint"))
    return DoneReply(lines, t(locale, "done.toast"), applied=True)


async def done_command(update: Update, context: PlanbotContext) -> None:
    sent = incoming(update)
    if sent is None:
        return
    origin, args = origin_of(sent.chat), command_args(sent.words)
    actor = actor_of(context, sent.user, origin)
    file = evidence_of(sent.message)
    replied = sent.message.reply_to_message
    # A reply to our message: a number still names an item, else the note is all of it.
    ours = replied is not None and replied.from_user is not None and replied.from_user.is_bot
    named = await items_named(
        update, context, origin, actor, args, "done", several=True, optional=ours
    )
    if named is None:
        return
    deps = context.services.deps
    note = named.rest
    if len(named.refs) > 1:
        many = await act(
            context, actor, lambda a: mark_done_many(deps, origin, a, named.refs, note, file)
        )
        if isinstance(many, ManyDone):
            await reply_html(update, _many_lines(many, actor, note))
            await update_reminders(context, many.reminders)
            for _, each in many.each:
                if isinstance(each, Changed):
                    await ask_reviewers(update, context, each)
        elif isinstance(many, NoGroup):
            await reply_html(update, failure_line(many, "done"))
        return
    ref = named.refs[0] if named.refs else None
    target: ByNumber | OnMessage
    if replied is not None and ours:
        target = OnMessage(replied.chat_id, replied.message_id, ref)
    elif ref is not None:
        target = ByNumber(ref)
    else:
        return  # not reached: without `optional`, items_named names an item or answers
    result = await act(
        context, actor, lambda a: mark_done(deps, origin, a, target, note, evidence=file)
    )
    if isinstance(result, Changed):
        lines = done_reply(context, result, actor).lines
        await reply_html(update, lines + attached_lines(result.change, file, result.locale))
        await update_reminders(context, result.reminders)
        await ask_reviewers(update, context, result)
    elif isinstance(result, Which) and file is not None:
        await reply_html(update, which_line(result.locale, result.items, "done"))
    elif isinstance(result, Which):
        await _ask_which(update, context, actor, result, note)
    elif not isinstance(result, NeedsAdmin):
        await reply_html(update, failure_line(result, "done"))


def _many_lines(many: ManyDone, actor: Actor, note: str) -> list[str]:
    """`/done 1-3`: one line per item named, saying what happened to it."""
    locale = many.locale
    lines = [t(locale, "done.many", author=esc(actor.name))]
    for ref, each in many.each:
        if isinstance(each, Refused):
            lines.append(t(locale, "done.many.not_yours", seq=each.item.seq))
        elif isinstance(each, NoSuchItem):
            lines.append(t(locale, "done.many.no_item", seq=ref.seq))
        elif each.change.item is None or each.change.outcome is Outcome.GONE:
            lines.append(t(locale, "done.many.no_item", seq=ref.seq))
        elif each.change.outcome is Outcome.UNCHANGED:
            lines.append(t(locale, "done.many.already", item=ref_label(each.change.item, locale)))
        elif each.review is not None:
            lines.append(claimed_line(each.change.item, each.departments, actor.name, locale))
        elif each.departments:
            lines.append(many_part_line(each.change.item, each.departments, locale))
        else:
            lines.append(t(locale, "done.many.done", item=ref_label(each.change.item, locale)))
    if many.applied:
        lines += note_line(note, locale)
        lines.append(t(locale, "done.many.undo_hint"))
    return lines


async def _ask_which(
    update: Update, context: PlanbotContext, actor: Actor, which: Which, note: str
) -> None:
    locale = which.locale
    still_open: list[Item] = [i for i in which.items if i.status == ItemStatus.OPEN.value]
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
            actor.tg_user_id,
            svc.now(),
            QUESTION_LIFETIME,
        )


async def _done_pressed(context: PlanbotContext, press: Press[int]) -> None:
    """The ✅ button: under a reminder, or under our "which one?" question."""
    origin, actor = press.origin, press.actor
    where = _question(origin.tg_chat_id, press.message_id)
    deps = context.services.deps
    target = ByRowId(press.data, press.message_id)
    result = await act(context, actor, lambda a: mark_done(deps, origin, a, target, question=where))
    if isinstance(result, Refused):
        await press.refuse(plain(failure_line(result, "done")))
        return
    if not isinstance(result, Changed):
        return  # answered as a button that no longer works
    reply = done_reply(context, result, actor)
    await press.answer(reply.toast, alert=reply.alert)
    if not reply.applied:
        return
    if result.question_answered:
        # Our "which one?" is answered; a reminder's buttons stay for its other items.
        await press.clear_buttons()
    await reply_html(press.update, reply.lines)
    await update_reminders(context, result.reminders)
    await ask_reviewers(press.update, context, result)


done_button = on_press(lambda data: parse_item_callback(data, DONE), _done_pressed)
