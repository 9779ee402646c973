"""/remind, /ack and the 👀 收到 / ⏰ 明天再提醒 buttons under reminders.

`/remind` shows the chat's policy and its next ten reminders; admins change it with
`/remind at 08:30`, `days 5 2 0`, `off` / `on`, `digest off`, `escalate 3`, `overdue off`,
`monthly off` (Chinese words too; see bot/chat/remind_settings.py), after which the chat's
reminders and digests are planned anew.

`/ack 3` (or `/ack` in reply to a reminder, or 👀) confirms that the sender saw the reminder;
the reminder is edited in place to show who has confirmed and who has not. ⏰ moves an item's
next reminder to the next working day. Who may: bot/operations/policy.py (a confirmation only
the item's responsible people, not admins; ⏰ also admins).
"""

from __future__ import annotations

from telegram import Update

from bot.chat.acting import act, actor_of, origin_of
from bot.chat.item_access import (
    GroupScope,
    command_args,
    command_in_scope,
    failure_line,
    incoming,
    items_named,
)
from bot.chat.permissions import may_in_chat
from bot.chat.presses import Press, on_press
from bot.chat.remind_settings import (
    BadSetting,
    asks_for_report_setting,
    caveats,
    parse_change,
)
from bot.chat.reminder_edits import update_reminders
from bot.chat.replies import reply_html
from bot.context import PlanbotContext
from bot.delivery.reminders import reminder_runtime
from bot.i18n import t
from bot.operations.finding import (
    ByNumbers,
    ByRowId,
    NoGroup,
    NoneNamed,
    NoSuchItem,
    OnMessage,
)
from bot.operations.policy import Action
from bot.operations.responses import Acked, AckOutcome, Snoozed, SnoozeOutcome, acknowledge, snooze
from bot.views.buttons import ACK, SNOOZE, parse_item_callback
from bot.views.collection import report_lines
from bot.views.reminder import day_label, policy_lines, time_label, upcoming_lines
from bot.views.render import esc
from jobs.collection import next_ask
from jobs.digests import next_bulletin
from jobs.settings import change_policy, next_digest, policy_of, upcoming
from storage.chats import chat_row
from storage.models import Chat

# --- /remind ----------------------------------------------------------------------------------


async def remind_command(update: Update, context: PlanbotContext) -> None:
    command = await command_in_scope(update, context)
    if command is None:
        return
    user, scope, args = command.user, command.scope, command.args
    if not args:
        await reply_html(update, await _overview(context, scope))
        return
    if asks_for_report_setting(args):
        await reply_html(update, await _report_overview(context, scope))
        return
    locale = scope.locale
    chat = scope.chat
    if not await may_in_chat(context, Action.REMIND_SETTINGS, chat.tg_chat_id, chat.type, user.id):
        await reply_html(update, t(locale, "remind.admins_only"))
        return
    try:
        change = parse_change(args, locale)
    except BadSetting as bad:
        await reply_html(update, bad.line)
        return
    svc = context.services
    now = svc.now()
    async with svc.db.session() as session:
        chat = await chat_row(session, scope.chat_id)
        policy = await change_policy(session, svc.planner, chat, change.settings, now=now)
        coming = await upcoming(session, scope.chat_id, now=now, limit=1)
    runtime = reminder_runtime(context)
    if runtime is not None:
        await runtime.rearm()
    lines = [change.line, *caveats(change, policy, locale)]
    if coming:
        when = time_label(coming[0].fire_at, svc.config.schedule.tz, locale)
        lines.append(t(locale, "remind.next", when=when))
    await reply_html(update, lines)


async def _overview(context: PlanbotContext, scope: GroupScope) -> list[str]:
    svc = context.services
    locale, tz, now = scope.locale, svc.config.schedule.tz, svc.now()
    async with svc.db.session() as session:
        chat = await session.get(Chat, scope.chat_id)
        coming = await upcoming(session, scope.chat_id, now=now)
    policy = policy_of(svc.planner, chat)
    digest = next_digest(svc.planner, chat, now=now)
    r = svc.config.reminders
    lines = policy_lines(
        policy, tz=tz, country=r.country, workdays_only=r.workdays_only, locale=locale
    )
    lines += await _report_overview(context, scope)
    lines += ["", *upcoming_lines(coming, tz, locale)]
    if digest is not None:
        lines.append(t(locale, "remind.next_digest", when=time_label(digest, tz, locale)))
    bulletin = next_bulletin(policy, svc.planner, now)
    if bulletin is not None:
        lines.append(t(locale, "remind.next_bulletin", when=time_label(bulletin, tz, locale)))
    lines += ["", t(locale, "remind.admin_hint")]
    return lines


async def _report_overview(context: PlanbotContext, scope: GroupScope) -> list[str]:
    """Progress collection's setting and its next ask (jobs/collection.py)."""
    svc = context.services
    async with svc.db.session() as session:
        chat = await session.get(Chat, scope.chat_id)
    policy = policy_of(svc.planner, chat)
    planner = svc.planner
    at = next_ask(policy, planner.calendar, planner.tz, svc.now())
    return report_lines(policy, at, planner.tz, scope.locale)


# --- acknowledgements -------------------------------------------------------------------------


def _done_items(acked: Acked) -> str:
    """The done items of an ALREADY_DONE answer, as plain text ("3. 标题")."""
    return t(acked.locale, "list.sep").join(f"{i.seq}. {i.title}" for i in acked.done)


async def _ack_pressed(context: PlanbotContext, press: Press[int]) -> None:
    origin = press.origin
    deps = context.services.deps
    target = ByRowId(press.data, press.message_id)
    result = await act(
        context,
        press.actor,
        lambda a: acknowledge(deps, origin, a, target, pressed_message_id=press.message_id),
    )
    if not isinstance(result, Acked):
        return  # answered as a button that no longer works
    locale = result.locale
    if result.outcome is AckOutcome.GONE:
        await press.refuse(t(locale, "reminder.gone"))
    elif result.outcome is AckOutcome.NOT_RESPONSIBLE:
        await press.refuse(t(locale, "ack.not_responsible"))
    elif result.outcome is AckOutcome.ALREADY_DONE:
        await press.answer(t(locale, "ack.already_done", items=_done_items(result)))
    elif result.outcome is AckOutcome.RECORDED:
        await press.answer(t(locale, "ack.toast"))
        await update_reminders(context, result.reminders)
    else:
        await press.answer(t(locale, "ack.already"))


ack_button = on_press(lambda data: parse_item_callback(data, ACK), _ack_pressed)


async def ack_command(update: Update, context: PlanbotContext) -> None:
    """`/ack 3`, or `/ack` in reply to a reminder (all of its items the sender answers for)."""
    sent = incoming(update)
    if sent is None:
        return
    origin, args = origin_of(sent.chat), command_args(sent.message.text)
    actor = actor_of(context, sent.user, origin)
    deps = context.services.deps
    replied = sent.message.reply_to_message
    target: ByNumbers | OnMessage
    if not args and replied is not None and replied.from_user and replied.from_user.is_bot:
        target = OnMessage(replied.chat_id, replied.message_id)
    else:
        named = await items_named(
            update, context, origin, actor, args, "ack", several=True, usage="ack.usage"
        )
        if named is None:
            return
        target = ByNumbers(named.refs)
    result = await act(context, actor, lambda a: acknowledge(deps, origin, a, target))
    if isinstance(result, NoneNamed):
        await reply_html(update, t(result.locale, "ack.usage"))
        return
    if isinstance(result, NoGroup | NoSuchItem):
        await reply_html(update, failure_line(result, "ack"))
        return
    if not isinstance(result, Acked):
        return
    locale = result.locale
    if result.outcome is AckOutcome.RECORDED:
        sep = t(locale, "list.sep")
        names = sep.join(f"{i.seq}. {esc(i.title)}" for i in result.recorded)
        await reply_html(update, t(locale, "ack.ok", name=esc(actor.name), items=names))
        await update_reminders(context, result.reminders)
    elif result.outcome is AckOutcome.ALREADY:
        await reply_html(update, t(locale, "ack.already"))
    elif result.outcome is AckOutcome.ALREADY_DONE:
        await reply_html(update, t(locale, "ack.already_done", items=esc(_done_items(result))))
    elif result.outcome is AckOutcome.NOTHING:
        nothing = "ack.none_yours" if isinstance(target, ByNumbers) else "ack.nothing"
        await reply_html(update, t(locale, nothing))
    else:
        await reply_html(update, t(locale, "ack.not_responsible"))


# --- snooze -----------------------------------------------------------------------------------


async def _snooze_pressed(context: PlanbotContext, press: Press[int]) -> None:
    origin = press.origin
    deps = context.services.deps
    target = ByRowId(press.data, press.message_id)
    result = await act(context, press.actor, lambda a: snooze(deps, origin, a, target))
    if not isinstance(result, Snoozed):
        return  # answered as a button that no longer works
    locale, seq = result.locale, result.seq
    if result.outcome is SnoozeOutcome.GONE:
        await press.refuse(t(locale, "reminder.gone"))
        return
    if result.outcome is SnoozeOutcome.DONE:
        await press.answer(t(locale, "snooze.done"))
        return
    if result.outcome is SnoozeOutcome.NOT_RESPONSIBLE:
        await press.refuse(t(locale, "snooze.not_responsible"))
        return
    runtime = reminder_runtime(context)
    if runtime is not None:
        await runtime.rearm()
    tz = context.services.config.schedule.tz
    if result.next_at is not None:
        text = t(locale, "snooze.toast", seq=seq, when=time_label(result.next_at, tz, locale))
    elif result.until is not None:
        text = t(locale, "snooze.toast_no_more", seq=seq, day=day_label(result.until, locale))
    else:
        text = t(locale, "snooze.toast_no_more", seq=seq, day="")
    await press.answer(text)
    await update_reminders(context, result.reminders)


snooze_button = on_press(lambda data: parse_item_callback(data, SNOOZE), _snooze_pressed)
