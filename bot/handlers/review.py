"""Completion review (issue 16 §3) in the chat: /review on|off, the question to the reviewers
after a department's /done, its ✅ 销号 / ↩️ 退回 buttons, the reason for a return (the
presser's next message, or `/return N [部室] 理由`).

Who owes a reason is kept in the database (bot/operations/review.py: a PendingQuestion), so
after a restart the reviewer's next message is still taken for it, until it expires.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import ApplicationHandlerStop

from bot.chat.acting import act, actor_of, origin_of
from bot.chat.item_access import command_args, failure_line, incoming, items_named
from bot.chat.presses import Press, on_press
from bot.chat.reminder_edits import update_reminders
from bot.chat.replies import reply_html
from bot.context import PlanbotContext
from bot.i18n import t
from bot.operations.editing import AdminsOnly
from bot.operations.finding import ByNumber, ByRowId, NeedsAdmin, NoGroup, answer_locale
from bot.operations.reports import Changed
from bot.operations.review import (
    AskReason,
    NoReview,
    NotReviewer,
    Reviewed,
    ReviewFailed,
    ReviewSetting,
    approve,
    ask_reason,
    give_reason,
    owes_reason,
    return_with_reason,
    review_setting,
)
from bot.operations.reviewers import ReviewAsk
from bot.operations.who import Actor
from bot.views.item import names_label, ref_label
from bot.views.mentions import mention
from bot.views.render import esc, plain
from bot.views.review import (
    APPROVE,
    approved_line,
    ask_keyboard,
    ask_lines,
    parse_review_callback,
    returned_lines,
)
from storage.item_changes import Outcome
from storage.messages import record_message
from storage.models import Item

_WORDS = {"on": True, "开": True, "开启": True, "off": False, "关": False, "关闭": False}


# --- /review ----------------------------------------------------------------------------------


async def review_command(update: Update, context: PlanbotContext) -> None:
    sent = incoming(update)
    if sent is None:
        return
    origin, word = origin_of(sent.chat), command_args(sent.message.text).lower()
    actor = actor_of(context, sent.user, origin)
    deps = context.services.deps
    turn = _WORDS.get(word) if word else None
    if word and turn is None:
        await reply_html(update, t(await answer_locale(deps, origin, actor), "review.bad_arg"))
        return
    result = await act(context, actor, lambda a: review_setting(deps, origin, a, turn))
    if isinstance(result, NoGroup):
        await reply_html(update, failure_line(result, "review"))
    elif isinstance(result, AdminsOnly):
        await reply_html(update, t(result.locale, "review.admins_only"))
    elif isinstance(result, ReviewSetting):
        if turn is None:
            key = "review.state_on" if result.on else "review.state_off"
        else:
            key = "review.turned_on" if result.on else "review.turned_off"
        await reply_html(update, t(result.locale, key))


# --- asking the reviewers ---------------------------------------------------------------------


async def ask_reviewers(update: Update, context: PlanbotContext, changed: Changed) -> None:
    """After a department's claim: the question with its buttons, in the plan group (as a
    reply when the claim was made there), remembered as a message about the item."""
    ask, item = changed.review, changed.change.item
    if ask is None or item is None or not ask.parts:
        return
    await _post(update, context, ask, item, changed.locale)


async def _post(
    update: Update, context: PlanbotContext, ask: ReviewAsk, item: Item, locale: str
) -> None:
    text, markup = ask_lines(ask, item, locale), ask_keyboard(ask, locale)
    chat = update.effective_chat
    if chat is not None and chat.id == ask.tg_chat_id:
        sent: Message = (await reply_html(update, text, reply_markup=markup))[-1]
    else:
        sent = await context.bot.send_message(ask.tg_chat_id, text, reply_markup=markup)
    async with context.services.db.session() as session:
        await record_message(session, sent.chat_id, sent.message_id, [ask.item_id], kind="review")


# --- the buttons ------------------------------------------------------------------------------


async def _review_pressed(context: PlanbotContext, press: Press[tuple[str, int, int]]) -> None:
    action, item_id, department_id = press.data
    deps, origin = context.services.deps, press.origin
    target = ByRowId(item_id, press.message_id)
    result: AskReason | Reviewed | ReviewFailed
    if action == APPROVE:
        result = await act(
            context, press.actor, lambda a: approve(deps, origin, a, target, department_id)
        )
    else:
        result = await act(
            context, press.actor, lambda a: ask_reason(deps, origin, a, target, department_id)
        )
    if isinstance(result, NotReviewer):
        await press.refuse(plain(_not_reviewer(context, result.locale)))
    elif isinstance(result, AskReason):
        await press.answer(t(result.locale, "review.toast_back"))
        line = t(
            result.locale,
            "review.ask_reason",
            who=mention(press.actor.name, press.actor.tg_user_id),
            item=ref_label(result.item, result.locale),
            department=esc(result.department),
            seq=result.item.seq,
        )
        await reply_html(press.update, line)
    elif isinstance(result, Reviewed):
        change = result.change
        if change.outcome is Outcome.GONE or change.item is None:
            await press.refuse(t(result.locale, "items.gone"), clear=True)
        elif not change.applied:
            await press.refuse(t(result.locale, "review.already"))
        else:
            await press.answer(t(result.locale, "review.toast_ok"))
            line = approved_line(change.item, result.department, press.actor.name, result.locale)
            await reply_html(press.update, line)
            await update_reminders(context, result.reminders)
    # Anything else (a misplaced press, data we never made) is answered as stale.


review_button = on_press(parse_review_callback, _review_pressed)


def _not_reviewer(context: PlanbotContext, locale: str) -> str:
    names = [str(s) for s in context.services.config.reminders.supervisors]
    return t(locale, "review.not_reviewer", supervisors=names_label(names, locale))


# --- the reason -------------------------------------------------------------------------------


async def awaited_reason(update: Update, context: PlanbotContext) -> None:
    """The next message of someone who pressed ↩️ in this chat: the reason, and the return is
    recorded for them. No other handler sees that message (a plain reply would be read as a
    report); anyone else's message passes on untouched."""
    sent = incoming(update)
    if sent is None:
        return
    origin = origin_of(sent.chat)
    actor = actor_of(context, sent.user, origin)
    deps = context.services.deps
    if not await owes_reason(deps, origin, actor):
        return
    reason = " ".join((sent.message.text or "").split())
    result = await act(context, actor, lambda a: give_reason(deps, origin, a, reason))
    if result is None:
        return
    await _answer_return(update, context, actor, result)
    raise ApplicationHandlerStop


async def return_command(update: Update, context: PlanbotContext) -> None:
    sent = incoming(update)
    if sent is None:
        return
    origin, args = origin_of(sent.chat), command_args(sent.message.text)
    actor = actor_of(context, sent.user, origin)
    named = await items_named(update, context, origin, actor, args, "return")
    if named is None:
        return
    deps = context.services.deps
    if not named.rest:
        locale = await answer_locale(deps, origin, actor)
        await reply_html(update, t(locale, "review.need_reason"))
        return
    target, reason = ByNumber(named.refs[0]), named.rest
    result = await act(
        context, actor, lambda a: return_with_reason(deps, origin, a, target, None, reason)
    )
    await _answer_return(update, context, actor, result)


async def _answer_return(
    update: Update,
    context: PlanbotContext,
    actor: Actor,
    result: Reviewed | NoReview | ReviewFailed,
) -> None:
    if isinstance(result, NotReviewer):
        await reply_html(update, _not_reviewer(context, result.locale))
    elif isinstance(result, NoReview):
        locale, item = result.locale, result.item
        if result.waiting:
            line = t(
                locale,
                "review.which",
                item=ref_label(item, locale),
                names=names_label(result.waiting, locale),
                seq=item.seq,
                first=esc(result.waiting[0]),
            )
        else:
            key = "review.none_waiting" if result.review_on else "review.none_waiting_off"
            line = t(locale, key, item=ref_label(item, locale))
        await reply_html(update, line)
    elif isinstance(result, Reviewed):
        change = result.change
        if change.outcome is Outcome.GONE or change.item is None:
            await reply_html(update, t(result.locale, "items.gone"))
        elif not change.applied:
            await reply_html(update, t(result.locale, "review.already"))
        else:
            lines = returned_lines(
                change.item,
                result.department,
                actor.name,
                result.reason,
                result.responsible,
                result.locale,
            )
            await reply_html(update, lines)
            await update_reminders(context, result.reminders)
    elif not isinstance(result, NeedsAdmin):
        await reply_html(update, failure_line(result, "return"))
