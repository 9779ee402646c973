"""/extend N 新时限 理由, and the Approve / Reject buttons under the request.

Who may ask: the item's leaders, its departments' members, admins (anyone when
`access.anyone_can_update`). Who may decide: the item's leaders and admins. While a request
is pending a second one for the same item is refused (see storage/extensions.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Chat as TgChat
from telegram import Message, Update, User
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot.chat.item_access import PressRefusal, checked_press, command_args, incoming
from bot.chat.permissions import is_admin
from bot.chat.plan_group import chat_for_update
from bot.chat.replies import chat_locale, reply_html
from bot.context import PlanbotContext
from bot.i18n import t
from bot.views.extend import (
    APPROVE,
    EXT_PREFIX,
    extension_buttons,
    parse_extension_callback,
    request_lines,
)
from bot.views.render import esc
from plans.deadline import Deadline, DeadlineKind, read_deadline
from plans.itemref import ItemRef, parse_item_ref
from storage.extensions import (
    approve_request,
    attach_message,
    create_request,
    load_request,
    pending_request,
    reject_request,
    withdraw_request,
)
from storage.items import Missing, is_responsible, resolve_item
from storage.messages import record_message
from storage.models import ExtensionRequest, ExtensionState, ItemStatus, Person
from storage.people import find_person_by_tg_user
from storage.rows import row_id

__all__ = ["EXT_PREFIX", "extend", "extend_button"]


@dataclass(frozen=True, slots=True)
class _Asked:
    """What a refusal and the request need to know, read in one short transaction."""

    chat_tg_id: int
    chat_type: str
    chat_title: str
    seq: int
    item_id: int
    done: bool
    deadline: date | None
    year: int
    month: int
    responsible: bool
    pending: tuple[str, date] | None
    requester_name: str


async def _bound_name(session: AsyncSession, chat_id: int, user: User) -> str:
    """How the plans call this user (their bound name), else their Telegram name."""
    person = await find_person_by_tg_user(session, chat_id, user.id)
    return person.name if person is not None else user.full_name


async def _look_up(
    update: Update, context: PlanbotContext, user: User, ref: ItemRef, locale: str
) -> _Asked | str:
    """The item asked about, or the sentence saying why there is none."""
    svc = context.services
    async with svc.db.session() as session:
        chat = await chat_for_update(session, update)
        if chat is None:
            return t(locale, "extend.no_chat")
        chat_id = row_id(chat)
        resolved = await resolve_item(session, chat_id, ref, svc.today())
        if resolved.missing is Missing.NO_PLAN or resolved.plan is None:
            return t(locale, "extend.no_plan")
        plan = resolved.plan
        if resolved.item is None:
            return t(locale, "extend.no_item", year=plan.year, month=plan.month, seq=ref.seq)
        item = resolved.item
        item_id = row_id(item)
        pending = await pending_request(session, item_id)
        return _Asked(
            chat_tg_id=chat.tg_chat_id,
            chat_type=chat.type or ChatType.SUPERGROUP,
            chat_title=chat.title,
            seq=item.seq,
            item_id=item_id,
            done=item.status == ItemStatus.DONE.value,
            deadline=item.deadline,
            year=plan.year,
            month=plan.month,
            responsible=await is_responsible(session, item_id, user.id),
            pending=(pending.requester_name, pending.new_deadline) if pending else None,
            requester_name=await _bound_name(session, chat_id, user),
        )


async def extend(update: Update, context: PlanbotContext) -> None:
    """`/extend N 新时限 理由`: checks, then the request goes to the item's leaders."""
    sent = incoming(update)
    if sent is None:
        return
    locale = await chat_locale(context, sent.chat.id)
    parts = command_args(sent.message.text).split(maxsplit=2)
    ref = parse_item_ref(parts[0]) if parts else None
    if ref is None or len(parts) < 2:
        await reply_html(update, t(locale, "extend.usage"))
        return
    date_text, reason = parts[1], parts[2] if len(parts) > 2 else ""
    asked = await _look_up(update, context, sent.user, ref, locale)
    if isinstance(asked, str):
        await reply_html(update, asked)
        return
    deadline = read_deadline(date_text, year=asked.year, month=asked.month)
    refusal = await _refusal(context, sent.user, asked, deadline, date_text, locale)
    if refusal is not None or deadline.date is None:
        await reply_html(update, refusal or t(locale, "extend.bad_date", text=esc(date_text)))
        return
    await _post_request(update, context, sent.user, sent.chat, asked, deadline.date, reason, locale)


async def _refusal(
    context: PlanbotContext,
    user: User,
    asked: _Asked,
    deadline: Deadline,
    date_text: str,
    locale: str,
) -> str | None:
    """The one sentence refusing the request, or None when it may go to the leaders."""
    svc = context.services
    if asked.done:
        return t(locale, "extend.done_item", seq=asked.seq)
    if not (asked.responsible or svc.config.access.anyone_can_update) and not await is_admin(
        context, asked.chat_tg_id, asked.chat_type, user.id
    ):
        return t(locale, "extend.not_responsible", seq=asked.seq)
    new = deadline.date
    if deadline.kind is not DeadlineKind.DATE or new is None:
        return t(locale, "extend.bad_date", text=esc(date_text))
    if asked.deadline is not None and new <= asked.deadline:
        return t(locale, "extend.not_later", new=new.isoformat(), old=asked.deadline.isoformat())
    today = svc.today()
    if new < today:
        return t(locale, "extend.past", new=new.isoformat(), today=today.isoformat())
    if asked.pending is not None:
        name, day = asked.pending
        return t(locale, "extend.pending", seq=asked.seq, requester=esc(name), new=day.isoformat())
    return None


async def _post_request(
    update: Update,
    context: PlanbotContext,
    user: User,
    tg_chat: TgChat,
    asked: _Asked,
    new_deadline: date,
    reason: str,
    locale: str,
) -> None:
    """Store the request, show it with its buttons in the plan group, remember the message."""
    svc = context.services
    plan_tg_chat_id = asked.chat_tg_id
    async with svc.db.session() as session:
        request, created = await create_request(
            session,
            asked.item_id,
            requester_tg_user_id=user.id,
            requester_name=asked.requester_name,
            new_deadline=new_deadline,
            reason=reason,
        )
        if created:
            # Read back with the item and its leaders, which the message shows. It was flushed
            # in this very transaction, so it is found (the `or` only satisfies the type).
            request = await load_request(session, row_id(request)) or request
    if not created:
        await reply_html(
            update,
            t(
                locale,
                "extend.pending",
                seq=asked.seq,
                requester=esc(request.requester_name),
                new=request.new_deadline.isoformat(),
            ),
        )
        return
    request_id = row_id(request)
    # The group's language: the request is for the leaders there, wherever it was asked from.
    group_locale = await chat_locale(context, plan_tg_chat_id)
    lines = request_lines(
        request, request.item, request.item.leaders, group_locale, svc.config.schedule.tz
    )
    buttons = extension_buttons(request_id, group_locale)
    try:
        if tg_chat.id == plan_tg_chat_id:
            sent: Message = (await reply_html(update, lines, reply_markup=buttons))[-1]
        else:
            sent = await context.bot.send_message(
                plan_tg_chat_id,
                "\n".join(lines),
                reply_markup=buttons,
                disable_web_page_preview=True,
            )
    except TelegramError:
        async with svc.db.session() as session:
            await withdraw_request(session, request_id)
        raise
    async with svc.db.session() as session:
        await attach_message(session, request_id, plan_tg_chat_id, sent.message_id)
        await record_message(
            session, plan_tg_chat_id, sent.message_id, [asked.item_id], kind="extension"
        )
    if tg_chat.id != plan_tg_chat_id:
        await reply_html(update, t(locale, "extend.sent_to_group", chat=esc(asked.chat_title)))


def _leader_ids(leaders: list[Person]) -> set[int]:
    return {p.tg_user_id for p in leaders if p.tg_user_id is not None}


@dataclass(frozen=True, slots=True)
class _DecisionPress:
    """A press of Approve or Reject under the request this very message carries."""

    action: str
    request: ExtensionRequest
    tg_chat: TgChat
    locale: str


async def _pressed_decision(
    context: PlanbotContext, update: Update, data: str
) -> _DecisionPress | PressRefusal:
    query, tg_chat = update.callback_query, update.effective_chat
    parsed = parse_extension_callback(data)
    if query is None or tg_chat is None or parsed is None:
        return PressRefusal()
    action, request_id = parsed
    locale = await chat_locale(context, tg_chat.id)
    async with context.services.db.session() as session:
        request = await load_request(session, request_id)
    # The request must be the one this very message carries (callback data can be forged).
    if (
        request is None
        or request.tg_chat_id != tg_chat.id
        or query.message is None
        or request.message_id != query.message.message_id
    ):
        return PressRefusal(t(locale, "extend.gone"))
    return _DecisionPress(action, request, tg_chat, locale)


async def _undecided(
    context: PlanbotContext, press: _DecisionPress, user: User
) -> PressRefusal | None:
    if press.request.state == ExtensionState.PENDING.value:
        return None
    return PressRefusal(t(press.locale, "extend.decided"))


async def _leader_or_admin(
    context: PlanbotContext, press: _DecisionPress, user: User
) -> PressRefusal | None:
    leaders = press.request.item.leaders
    if user.id in _leader_ids(leaders) or await is_admin(
        context, press.tg_chat.id, press.tg_chat.type, user.id
    ):
        return None
    names = t(press.locale, "list.sep").join(p.name for p in leaders)
    key = "extend.not_allowed" if leaders else "extend.not_allowed_admins"
    return PressRefusal(t(press.locale, key, leaders=names))


async def extend_button(update: Update, context: PlanbotContext) -> None:
    """Approve / Reject: only the item's leaders or an admin; the message then says who did."""
    pressed = await checked_press(update, context, _pressed_decision, _undecided, _leader_or_admin)
    if pressed is None:
        return
    query, press = pressed
    action, request_id, locale = press.action, row_id(press.request), press.locale
    leaders = press.request.item.leaders
    presser = query.from_user
    svc = context.services
    async with svc.db.session() as session:
        request = await load_request(session, request_id, for_update=True)
        if request is None or request.state != ExtensionState.PENDING.value:
            decided = True
        else:
            decided = False
            by_name = await _bound_name(session, request.item.plan.chat_id, presser)
            if action == APPROVE:
                await approve_request(
                    session, request, by_tg_user_id=presser.id, by_name=by_name, now=svc.now()
                )
                await svc.planner.replan(session, [request.item_id], now=svc.now())
            else:
                note = t(
                    locale,
                    "extend.history.rejected",
                    requester=request.requester_name,
                    new=request.new_deadline.isoformat(),
                    by=by_name,
                )
                await reject_request(
                    session,
                    request,
                    by_tg_user_id=presser.id,
                    by_name=by_name,
                    now=svc.now(),
                    note=note,
                )
    if decided or request is None:
        await query.answer(t(locale, "extend.decided"), show_alert=True)
        return
    await query.answer(
        t(locale, "extend.answer.approved" if action == APPROVE else "extend.answer.rejected")
    )
    lines = request_lines(request, request.item, leaders, locale, svc.config.schedule.tz)
    await query.edit_message_text("\n".join(lines))
