"""/remind, /ack and the 👀 收到 / ⏰ 明天再提醒 buttons under reminders.

`/remind` shows the chat's policy and its next ten reminders; admins change it with
`/remind at 08:30`, `days 5 2 0`, `off` / `on`, `digest off`, `escalate 3`, `overdue off`,
`monthly off` (Chinese words too; see bot/chat/remind_settings.py), after which the chat's
reminders and digests are planned anew.

`/ack 3` (or `/ack` in reply to a reminder, or 👀) confirms that the sender saw the reminder;
the reminder is edited in place to show who has confirmed and who has not. ⏰ moves an item's
next reminder to the next working day. Both only for the item's responsible people and admins.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import Bot, Update, User
from telegram.error import TelegramError

from bot.chat.item_access import (
    Context,
    GroupScope,
    ItemPress,
    PressRefusal,
    checked_press,
    command_in_scope,
    find_item,
    may_administer,
    pressed_item,
)
from bot.chat.remind_settings import BadSetting, caveats, parse_change
from bot.chat.replies import reply_html
from bot.context import PlanbotContext
from bot.delivery.notifier import edit_in_place
from bot.delivery.reminders import reminder_runtime
from bot.i18n import t
from bot.views.buttons import ACK, SNOOZE, parse_item_callback
from bot.views.reminder import day_label, policy_lines, time_label, upcoming_lines
from bot.views.render import esc
from jobs.acks import acknowledge, latest_reminder_message, message_content
from jobs.settings import change_policy, next_digest, policy_of, upcoming
from jobs.snooze import snooze
from storage.chats import chat_row
from storage.items import is_responsible
from storage.messages import items_for_message
from storage.models import Chat, Item, ItemStatus
from storage.rows import row_id

log = logging.getLogger(__name__)


# --- /remind ----------------------------------------------------------------------------------


async def remind_command(update: Update, context: PlanbotContext) -> None:
    command = await command_in_scope(update, context)
    if command is None:
        return
    user, scope, args = command.user, command.scope, command.args
    if not args:
        await reply_html(update, await _overview(context, scope))
        return
    locale = scope.locale
    if not await may_administer(context, scope.chat, user.id):
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
    lines += ["", *upcoming_lines(coming, tz, locale)]
    if digest is not None:
        lines.append(t(locale, "remind.next_digest", when=time_label(digest, tz, locale)))
    lines += ["", t(locale, "remind.admin_hint")]
    return lines


# --- acknowledgements -------------------------------------------------------------------------


async def _may_respond(context: PlanbotContext, chat: Chat, item_id: int, user: User) -> bool:
    """Only those who answer for the item, or an admin, confirm or snooze its reminder."""
    async with context.services.db.session() as session:
        if await is_responsible(session, item_id, user.id):
            return True
    return await may_administer(context, chat, user.id)


async def _refresh(context: PlanbotContext, bot: Bot, tg_chat_id: int, message_id: int) -> None:
    """Edit a reminder in place with who has confirmed now; a failure only costs the edit."""
    svc = context.services
    async with svc.db.session() as session:
        content = await message_content(
            session,
            svc.planner,
            tg_chat_id,
            message_id,
            default_locale=svc.config.i18n.locale,
            supervisors=svc.config.reminders.supervisors,
        )
    if content is None:
        return
    try:
        await edit_in_place(bot, content, message_id)
    except TelegramError as exc:
        log.warning("could not update reminder %s/%s: %s", tg_chat_id, message_id, exc)


async def _ack(context: PlanbotContext, item_id: int, user: User) -> bool:
    svc = context.services
    async with svc.db.session() as session:
        return await acknowledge(
            session, item_id, tg_user_id=user.id, name=user.full_name, now=svc.now()
        )


def _reminder_gone(locale: str) -> PressRefusal:
    return PressRefusal(t(locale, "reminder.gone"))


def _pressed(action: str) -> Callable[[Context, Update, str], Awaitable[ItemPress | PressRefusal]]:
    """The loader of `checked_press` for the `action` button under a reminder."""

    async def load(context: Context, update: Update, data: str) -> ItemPress | PressRefusal:
        return await pressed_item(context, parse_item_callback(data, action), _reminder_gone)

    return load


def _responsible_only(
    key: str,
) -> Callable[[Context, ItemPress, User], Awaitable[PressRefusal | None]]:
    """A check of `checked_press`: `key`'s refusal for whoever `_may_respond` turns away."""

    async def check(context: Context, press: ItemPress, user: User) -> PressRefusal | None:
        if await _may_respond(context, press.chat, press.item_id, user):
            return None
        return PressRefusal(t(press.locale, key))

    return check


async def ack_button(update: Update, context: PlanbotContext) -> None:
    pressed = await checked_press(
        update, context, _pressed(ACK), _responsible_only("ack.not_responsible")
    )
    if pressed is None:
        return
    query, press = pressed
    if not await _ack(context, press.item_id, query.from_user):
        await query.answer(t(press.locale, "ack.already"))
        return
    await query.answer(t(press.locale, "ack.toast"))
    message = query.message
    if message is not None:
        await _refresh(context, context.bot, message.chat.id, message.message_id)


async def ack_command(update: Update, context: PlanbotContext) -> None:
    """`/ack 3`, or `/ack` in reply to a reminder (all of its items the sender answers for)."""
    command = await command_in_scope(update, context)
    if command is None:
        return
    message, user, scope, args = command.message, command.user, command.scope, command.args
    locale, svc = scope.locale, context.services
    replied = message.reply_to_message
    if not args and replied is not None and replied.from_user and replied.from_user.is_bot:
        async with svc.db.session() as session:
            items = await items_for_message(session, replied.chat_id, replied.message_id)
        if items:
            await _ack_items(
                update, context, scope, items, user, replied.chat_id, replied.message_id
            )
            return
    if not args:
        await reply_html(update, t(locale, "ack.usage"))
        return
    found = await find_item(update, context, scope, args.split()[0], "ack")
    if found is None:
        return
    async with svc.db.session() as session:
        latest = await latest_reminder_message(session, scope.chat.tg_chat_id, found.item_id)
    where = (latest.tg_chat_id, latest.message_id) if latest else None
    await _ack_items(update, context, scope, [found.item], user, *(where or (None, None)))


async def _ack_items(
    update: Update,
    context: PlanbotContext,
    scope: GroupScope,
    items: list[Item],
    user: User,
    tg_chat_id: int | None,
    message_id: int | None,
) -> None:
    locale = scope.locale
    mine = []
    for item in items:
        if item.status == ItemStatus.OPEN.value and await _may_respond(
            context, scope.chat, row_id(item), user
        ):
            mine.append(item)
    if not mine:
        key = "ack.not_responsible" if len(items) == 1 else "ack.nothing"
        await reply_html(update, t(locale, key))
        return
    recorded = [item for item in mine if await _ack(context, row_id(item), user)]
    if not recorded:
        await reply_html(update, t(locale, "ack.already"))
        return
    sep = t(locale, "list.sep")
    names = sep.join(f"{i.seq}. {esc(i.title)}" for i in recorded)
    await reply_html(update, t(locale, "ack.ok", name=esc(user.full_name), items=names))
    if tg_chat_id is not None and message_id is not None:
        await _refresh(context, context.bot, tg_chat_id, message_id)


# --- snooze -----------------------------------------------------------------------------------


async def _still_open(context: Context, press: ItemPress, user: User) -> PressRefusal | None:
    if press.item.status == ItemStatus.OPEN.value:
        return None
    return PressRefusal(t(press.locale, "snooze.done"), alert=False)


async def snooze_button(update: Update, context: PlanbotContext) -> None:
    pressed = await checked_press(
        update,
        context,
        _pressed(SNOOZE),
        _still_open,
        _responsible_only("snooze.not_responsible"),
    )
    if pressed is None:
        return
    query, press = pressed
    item_id, locale = press.item.id, press.locale
    svc = context.services
    user = query.from_user
    async with svc.db.session() as session:
        item = await session.get(Item, item_id)
        if item is None:
            await query.answer(t(locale, "reminder.gone"), show_alert=True)
            return
        result = await snooze(
            session, svc.planner, item, tg_user_id=user.id, name=user.full_name, now=svc.now()
        )
    runtime = reminder_runtime(context)
    if runtime is not None:
        await runtime.rearm()
    tz = svc.config.schedule.tz
    seq = press.item.seq
    if result.next_at is not None:
        text = t(locale, "snooze.toast", seq=seq, when=time_label(result.next_at, tz, locale))
    else:
        text = t(locale, "snooze.toast_no_more", seq=seq, day=day_label(result.until, locale))
    await query.answer(text)
