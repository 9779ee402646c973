"""/extend N 新时限 理由, and the Approve / Reject buttons under the request.

`/extend 3 11月15日 等待上级批复`; the item as every command takes it (`３`, `第3项`, `#3`,
`2020-10#3`), the date glued to the reason or not (`1月15日因场地原因`), or named from today
(`下周五`, `月底`, `下月10日`, `元旦前`, `春节前`). Who may ask and who decides:
bot/operations/extensions.py (never the requester).

Each path is parse → one operation → render; the request's message, sent after the request
is stored, is remembered in a second short transaction.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.error import TelegramError

from bot.chat.acting import act, actor_of, origin_of
from bot.chat.item_access import command_args, failure_line, incoming
from bot.chat.presses import Press, on_press
from bot.chat.replies import reply_html
from bot.context import PlanbotContext
from bot.i18n import t
from bot.operations.extensions import (
    Decision,
    DecisionOutcome,
    NotRequested,
    Requested,
    RequestRefusal,
    attach_request_message,
    decide_extension,
    request_extension,
    withdraw_request_nobody_saw,
)
from bot.operations.finding import ByNumber, NeedsAdmin, answer_locale
from bot.views.extend import (
    APPROVE,
    EXT_PREFIX,
    extension_buttons,
    not_allowed_line,
    parse_extension_callback,
    request_lines,
)
from bot.views.render import esc, quoted
from plans.itemref import RefRefusal, split_item_refs
from storage.models import ExtensionRequest
from storage.rows import row_id

__all__ = ["EXT_PREFIX", "extend", "extend_button"]


async def extend(update: Update, context: PlanbotContext) -> None:
    """`/extend N 新时限 理由`: the request goes to those who decide, or one sentence why not."""
    sent = incoming(update)
    if sent is None:
        return
    origin = origin_of(sent.chat)
    actor = actor_of(context, sent.user, origin)
    deps = context.services.deps
    # The date may start with a number (`1-15`), so a number after the item is never another.
    parsed = split_item_refs(command_args(sent.message.text), spaced=False)
    if isinstance(parsed, RefRefusal) or len(parsed.refs) != 1 or not parsed.rest:
        locale = await answer_locale(deps, origin, actor)
        await reply_html(update, t(locale, "extend.usage"))
        return
    target, wanted = ByNumber(parsed.refs[0]), parsed.rest
    result = await act(context, actor, lambda a: request_extension(deps, origin, a, target, wanted))
    if isinstance(result, Requested):
        await _post_request(update, context, result)
    elif isinstance(result, NotRequested):
        await reply_html(update, _refusal_line(result))
    elif not isinstance(result, NeedsAdmin):
        await reply_html(update, failure_line(result, "extend"))


def _refusal_line(refused: NotRequested) -> str:
    locale, why = refused.locale, refused.why
    if why is RequestRefusal.DONE:
        return t(locale, "extend.done_item", seq=refused.seq)
    if why is RequestRefusal.NOT_RESPONSIBLE:
        return t(locale, "extend.not_responsible", seq=refused.seq)
    if why is RequestRefusal.BAD_DATE:
        return t(locale, "extend.bad_date", text=quoted(refused.text))
    new = refused.new.isoformat() if refused.new else ""
    if why is RequestRefusal.NOT_LATER:
        old = refused.old.isoformat() if refused.old else ""
        return t(locale, "extend.not_later", new=new, old=old)
    if why is RequestRefusal.PAST:
        today = refused.today.isoformat() if refused.today else ""
        return t(locale, "extend.past", new=new, today=today)
    return t(locale, "extend.pending", seq=refused.seq, requester=esc(refused.requester), new=new)


async def _post_request(update: Update, context: PlanbotContext, requested: Requested) -> None:
    """Show the request with its buttons in the plan group, then remember the message."""
    svc = context.services
    group = requested.group
    # The group's language: the request is for the people there, wherever it was asked from.
    lines = request_lines(
        requested.request, requested.item, requested.deciders, group.locale, svc.config.schedule.tz
    )
    buttons = extension_buttons(row_id(requested.request), group.locale)
    plan_tg_chat_id = group.chat.tg_chat_id
    try:
        if requested.in_group:
            sent: Message = (await reply_html(update, lines, reply_markup=buttons))[-1]
        else:
            sent = await context.bot.send_message(
                plan_tg_chat_id,
                "\n".join(lines),
                reply_markup=buttons,
                disable_web_page_preview=True,
            )
    except TelegramError:
        await withdraw_request_nobody_saw(svc.deps, requested)
        raise
    await attach_request_message(svc.deps, requested, plan_tg_chat_id, sent.message_id)
    if not requested.in_group:
        told = t(group.locale, "extend.sent_to_group", chat=esc(group.chat.title))
        await reply_html(update, told)


def _rejected_note(locale: str, request: ExtensionRequest, by_name: str) -> str:
    return t(
        locale,
        "extend.history.rejected",
        requester=request.requester_name,
        new=request.new_deadline.isoformat(),
        by=by_name,
    )


async def _extend_pressed(context: PlanbotContext, press: Press[tuple[str, int]]) -> None:
    """Approve / Reject: those asked or an admin, never the requester; the message then says
    who decided."""
    action, request_id = press.data
    origin, message_id = press.origin, press.message_id
    deps = context.services.deps
    result = await act(
        context,
        press.actor,
        lambda a: decide_extension(
            deps, origin, a, request_id, message_id, action == APPROVE, _rejected_note
        ),
    )
    if not isinstance(result, Decision):
        return  # answered as a button that no longer works
    locale, outcome, request = result.locale, result.outcome, result.request
    if outcome in (DecisionOutcome.APPROVED, DecisionOutcome.REJECTED) and request is not None:
        approved = outcome is DecisionOutcome.APPROVED
        await press.answer(
            t(locale, "extend.answer.approved" if approved else "extend.answer.rejected")
        )
        tz = context.services.config.schedule.tz
        lines = request_lines(request, request.item, result.deciders, locale, tz)
        await press.edit_text("\n".join(lines))
        return
    await press.refuse(_press_refusal(result))


extend_button = on_press(parse_extension_callback, _extend_pressed)


def _press_refusal(decision: Decision) -> str:
    locale, outcome = decision.locale, decision.outcome
    if outcome is DecisionOutcome.GONE:
        return t(locale, "extend.gone")
    if outcome is DecisionOutcome.DECIDED:
        return t(locale, "extend.decided")
    if outcome is DecisionOutcome.OWN:
        return t(locale, "extend.own_request")
    return not_allowed_line(decision.deciders, locale)
