"""/iam, /bind, /unbind, /people: which Telegram account is which name in the plans.

Bot API bots cannot look a user up by @username, so the bot remembers every account it sees
(id, @username, name) in the database (storage.accounts), where `/bind @name` finds it, also
after a restart; a username another account took over names its newest holder. Someone the bot
has never seen (nor bound with their @username) must speak once first, or be bound by a reply.
The watcher writes an account only when it is new or changed (bot.chat.seen_accounts), not on every
message. Users without a @username are named by a reply to one of their messages, by a text
mention (picking them from the member list), or by their numeric id.

An /iam for a name someone else holds waits for an admin's button in the database
(storage.pending), so a restart does not lose it.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from telegram import Chat as TgChat
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update, User
from telegram.constants import ChatMemberStatus, ChatType, MessageEntityType
from telegram.error import TelegramError

from bot.chat.acting import act, actor_of, origin_of
from bot.chat.item_access import command_args, incoming
from bot.chat.permissions import may_in_chat
from bot.chat.plan_group import chat_for_update
from bot.chat.presses import Press, on_press, take_waiting, waiting
from bot.chat.replies import chat_locale, reply_html
from bot.context import PlanbotContext
from bot.i18n import t
from bot.operations.people import (
    Account,
    Holder,
    NameTaking,
    Taking,
    Unbinding,
    bind_name,
    take_name,
    unbind_name,
)
from bot.operations.policy import Action
from bot.views.buttons import parse_token_callback
from bot.views.people import account_label, people_lines
from bot.views.render import esc, quoted
from plans.names import normalise_name
from storage.accounts import SeenAccount, find_account_by_username, get_account, remember_accounts
from storage.chats import get_chat
from storage.models import PendingKind
from storage.pending import Where, put_question
from storage.people import (
    find_person_by_username,
    leader_ids,
    list_people,
)
from storage.rows import row_id

log = logging.getLogger(__name__)

IAM_PREFIX = "iam:"
IAM_OK, IAM_NO = "ok", "no"
# How long an /iam waiting for an admin's confirmation stays pressable.
CONFIRM_SECONDS = 24 * 60 * 60
MAX_NAME = 30
_USER_ID = re.compile(r"^\d{5,}$")
_NOT_IN_CHAT = {ChatMemberStatus.LEFT, ChatMemberStatus.BANNED}


def account_of(user: User) -> Account:
    return Account(user.id, user.full_name, user.username, user.is_bot)


def label(account: Account) -> str:
    return account_label(account.id, account.username, account.full_name)


def holder_label(holder: Holder) -> str:
    """Whoever holds a name now; by their name when they have no @username."""
    return account_label(holder.tg_user_id, holder.username, holder.full_name)


@dataclass(frozen=True, slots=True)
class Target:
    """Whom a command names, what is left of its arguments, or why nobody was found."""

    account: Account | None
    rest: str
    problem: str | None = None
    detail: dict[str, object] = field(default_factory=dict)


def valid_name(name: str) -> bool:
    """Plausibly a person's name: short, one line, not a @username or an id typed by mistake."""
    return 0 < len(name) <= MAX_NAME and "\n" not in name and name[0] != "@" and not name.isdigit()


def _users_in(update: Update) -> Iterator[User]:
    if update.effective_user is not None:
        yield update.effective_user
    message = update.effective_message
    if message is None:
        return
    if message.reply_to_message is not None and message.reply_to_message.from_user is not None:
        yield message.reply_to_message.from_user
    for entity in message.entities:
        if entity.type == MessageEntityType.TEXT_MENTION and entity.user is not None:
            yield entity.user
    yield from message.new_chat_members


async def remember_users(update: object, context: PlanbotContext) -> None:
    """Remember everyone the bot sees, so `/bind @name` can find them (after a restart too)."""
    if not isinstance(update, Update):
        return
    svc = context.services
    now = svc.now()
    seen = [SeenAccount(u.id, u.username, u.full_name) for u in _users_in(update) if not u.is_bot]
    fresh = svc.seen.to_write(seen, now)
    if not fresh:
        return
    try:
        async with svc.db.session() as session:
            await remember_accounts(session, fresh, now)
    except SQLAlchemyError:
        # Not worth an error reply to an ordinary message; not cached, so tried again next time.
        log.warning("could not remember %d Telegram account(s)", len(fresh), exc_info=True)
        return
    svc.seen.written(fresh, now)


async def _by_username(context: PlanbotContext, username: str, tg_chat_id: int) -> Account | None:
    async with context.services.db.session() as session:
        seen = await find_account_by_username(session, username)
        if seen is not None:
            return Account(seen.tg_user_id, seen.full_name, seen.username)
        # Bound with this @username before accounts were remembered (revision 0003) and not
        # seen since. Had the bot seen the account since, it would have been found above: it
        # now goes by another username and the binding's is out of date.
        chat = await get_chat(session, tg_chat_id)
        person = (
            None if chat is None else await find_person_by_username(session, row_id(chat), username)
        )
        if person is None or person.tg_user_id is None:
            return None
        if await get_account(session, person.tg_user_id) is not None:
            return None
    return Account(person.tg_user_id, person.name, person.username)


async def _by_id(context: PlanbotContext, user_id: int, tg_chat_id: int) -> Account | None:
    """The member of the chat with this id; None when Telegram knows no such member."""
    try:
        member = await context.bot.get_chat_member(tg_chat_id, user_id)
    except TelegramError:
        return None
    if member.status in _NOT_IN_CHAT:
        return None
    return account_of(member.user)


def _without(text: str, part: str) -> str:
    return " ".join(text.replace(part, " ", 1).split())


async def find_target(
    context: PlanbotContext, message: Message, args: str, tg_chat_id: int
) -> Target:
    """Whom `args` (or the message replied to) names: a text mention, @username, id, reply.

    `tg_chat_id` is the group whose members are meant (numeric ids are checked against it).
    """
    for entity, text in message.parse_entities([MessageEntityType.TEXT_MENTION]).items():
        if entity.user is not None:
            return Target(account_of(entity.user), _without(args, text))
    for token in args.split():
        if token.startswith("@") and len(token) > 1:
            account = await _by_username(context, token[1:], tg_chat_id)
            if account is None:
                return Target(None, args, "bind.unknown_username", {"username": quoted(token)})
            # The bot remembers accounts from every chat it is in: only a member of this
            # group may be bound in it.
            if await _by_id(context, account.id, tg_chat_id) is None:
                return Target(None, args, "bind.username_not_member", {"username": quoted(token)})
            return Target(account, _without(args, token))
        if _USER_ID.match(token):
            account = await _by_id(context, int(token), tg_chat_id)
            if account is None:
                return Target(None, args, "bind.unknown_user", {"user_id": token})
            return Target(account, _without(args, token))
    reply = message.reply_to_message
    # In a forum every topic message "replies" to the topic's creation: that names nobody.
    if reply is not None and reply.forum_topic_created is None and reply.from_user is not None:
        return Target(account_of(reply.from_user), args)
    return Target(None, args)


# -- /iam ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PendingIam:
    """An /iam waiting for an admin: the name, the account asking for it, and whoever held it
    when asked (as the question showed them)."""

    name: str
    account: Account
    holder: str

    def payload(self) -> dict[str, Any]:
        return {"name": self.name, "account": asdict(self.account), "holder": self.holder}

    @classmethod
    def of(cls, payload: dict[str, Any]) -> PendingIam:
        return cls(str(payload["name"]), Account(**payload["account"]), str(payload["holder"]))


@dataclass(frozen=True, slots=True)
class _GroupCommand:
    message: Message
    user: User
    tg_chat: TgChat
    locale: str
    args: str


async def _in_group(
    update: Update, context: PlanbotContext, private_key: str
) -> _GroupCommand | None:
    """The command when it was sent in a group; None, after saying where it belongs (the
    `private_key` sentence), when it came in a private chat."""
    sent = incoming(update)
    if sent is None:
        return None
    locale = await chat_locale(context, sent.chat.id)
    if sent.chat.type == ChatType.PRIVATE:
        await reply_html(update, t(locale, private_key))
        return None
    return _GroupCommand(
        sent.message, sent.user, sent.chat, locale, command_args(sent.message.text)
    )


async def iam(update: Update, context: PlanbotContext) -> None:
    """`/iam 姓名`: the sender is this name; a name someone else holds needs an admin's yes."""
    command = await _in_group(update, context, "iam.in_group")
    if command is None:
        return
    user, locale = command.user, command.locale
    name = normalise_name(command.args)
    if not name:
        await reply_html(update, t(locale, "iam.usage"))
        return
    if not valid_name(name):
        await reply_html(update, t(locale, "iam.bad_name", name=quoted(name)))
        return
    account = account_of(user)
    origin = origin_of(command.tg_chat)
    deps = context.services.deps
    taking = await act(
        context,
        actor_of(context, user, origin),
        lambda a: take_name(deps, origin, a, account, name),
    )
    if not isinstance(taking, NameTaking):  # `act` asked once already: cannot happen
        return
    if taking.outcome is Taking.ALREADY:
        await reply_html(update, t(locale, "iam.already", name=esc(name)))
        return
    if taking.outcome is Taking.TAKEN:
        lines = [t(locale, "iam.done", name=esc(name))]
        if taking.new_name:
            lines.append(t(locale, "iam.new_name", name=esc(name)))
        # Every binding is told to the admins, by a mention in the group: a wrong one is
        # noticed and undone (/unbind) before it does harm.
        admins = await _admin_mentions(context)
        spaced = f" {admins}" if admins else ""
        lines.append(t(locale, "iam.told", admins=spaced, user=label(account), name=esc(name)))
        await reply_html(update, lines)
        return
    holder = "" if taking.holder is None else holder_label(taking.holder)
    await _ask_admins(update, context, command.tg_chat, PendingIam(name, account, holder), locale)


async def _admin_mentions(context: PlanbotContext) -> str:
    """The configured admins, each a mention (by @username or name when the bot has seen them)."""
    ids = context.services.config.access.admins
    async with context.services.db.session() as session:
        seen = [await get_account(session, admin) for admin in ids]
    return " ".join(
        account_label(admin, s.username if s else None, s.full_name if s else None)
        for admin, s in zip(ids, seen, strict=True)
    )


async def _ask_admins(
    update: Update,
    context: PlanbotContext,
    tg_chat: TgChat,
    pending: PendingIam,
    locale: str,
) -> None:
    token = secrets.token_hex(6)
    svc = context.services
    async with svc.db.session() as session:
        await put_question(
            session,
            Where(tg_chat.id, PendingKind.IAM, token),
            pending.payload(),
            pending.account.id,
            svc.now(),
            timedelta(seconds=CONFIRM_SECONDS),
        )
    buttons = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t(locale, "iam.button.confirm"), callback_data=f"{IAM_PREFIX}{IAM_OK}:{token}"
                ),
                InlineKeyboardButton(
                    t(locale, "iam.button.reject"), callback_data=f"{IAM_PREFIX}{IAM_NO}:{token}"
                ),
            ]
        ]
    )
    # Nobody holds it (it has duties) or someone does: the question says which.
    key = "iam.taken" if pending.holder else "iam.duties"
    lines = [
        t(locale, key, name=esc(pending.name), holder=pending.holder, user=label(pending.account))
    ]
    admins = await _admin_mentions(context)
    if admins:
        lines.append(t(locale, "iam.ask_admins", admins=admins))
    await reply_html(update, lines, reply_markup=buttons)


async def _iam_pressed(context: PlanbotContext, press: Press[tuple[str, str]]) -> None:
    """An admin confirms or rejects an /iam for a name someone else holds or that has duties."""
    action, token = press.data
    asked = await waiting(context, press, token, PendingKind.IAM, PendingIam.of, "iam.expired")
    if asked is None:
        return
    # Confirming an /iam binds someone else's account: /bind's rule.
    if not await may_in_chat(
        context, Action.BIND, press.tg_chat.id, press.tg_chat.type, press.user.id
    ):
        await press.refuse(t(asked.locale, "iam.admins_only"))
        return
    if not await take_waiting(context, press, asked):
        return
    pending, locale = asked.pending, asked.locale
    values = {
        "admin": esc(press.user.full_name),
        "name": esc(pending.name),
        "user": label(pending.account),
        "holder": pending.holder,
    }
    if action == IAM_OK:
        # The question was asked in the group (/iam runs only there), under this button.
        deps = context.services.deps
        await bind_name(deps, press.origin, press.actor, pending.account, pending.name)
    await press.answer()
    key = "iam.confirmed" if action == IAM_OK else "iam.rejected"
    if not pending.holder:  # the name was free (it has duties): nobody held it before
        key += "_free"
    await press.edit_text(t(locale, key, **values))


iam_button = on_press(
    lambda data: parse_token_callback(data, IAM_PREFIX, (IAM_OK, IAM_NO)), _iam_pressed
)


# -- /bind, /unbind ------------------------------------------------------------------------


async def bind(update: Update, context: PlanbotContext) -> None:
    """`/bind @user 姓名`, `/bind <id> 姓名`, `/bind 姓名` replying to the person: admins only
    (the command table refuses everyone else)."""
    command = await _in_group(update, context, "people.in_group")
    if command is None:
        return
    message, tg_chat, locale = command.message, command.tg_chat, command.locale
    target = await find_target(context, message, command.args, tg_chat.id)
    if target.problem is not None:
        await reply_html(update, t(locale, target.problem, **target.detail))
        return
    name = normalise_name(target.rest)
    if target.account is None or not name:
        await reply_html(update, t(locale, "bind.usage"))
        return
    if not valid_name(name):
        await reply_html(update, t(locale, "bind.bad_name", name=quoted(name)))
        return
    account = target.account
    if account.is_bot:
        await reply_html(update, t(locale, "bind.bot"))
        return
    origin = origin_of(tg_chat)
    actor = actor_of(context, command.user, origin)
    replaced = await bind_name(context.services.deps, origin, actor, account, name)
    holder = None if replaced is None else holder_label(replaced)
    key = "bind.done" if holder is None else "bind.done_replaced"
    await reply_html(update, t(locale, key, name=esc(name), user=label(account), holder=holder))


async def unbind(update: Update, context: PlanbotContext) -> None:
    """`/unbind 姓名`: admins, or the person bound to that name."""
    command = await _in_group(update, context, "people.in_group")
    if command is None:
        return
    user, tg_chat, locale = command.user, command.tg_chat, command.locale
    name = normalise_name(command.args)
    if not name:
        await reply_html(update, t(locale, "unbind.usage"))
        return
    origin = origin_of(tg_chat)
    deps = context.services.deps
    outcome = await act(
        context, actor_of(context, user, origin), lambda a: unbind_name(deps, origin, a, name)
    )
    key = f"unbind.{outcome.value}" if isinstance(outcome, Unbinding) else "unbind.admins_only"
    await reply_html(update, t(locale, key, name=esc(name)))


# -- /people -------------------------------------------------------------------------------


async def people(update: Update, context: PlanbotContext) -> None:
    """`/people`: everyone the plans name and everyone bound, with who is who."""
    tg_chat = update.effective_chat
    if tg_chat is None:
        return
    locale = await chat_locale(context, tg_chat.id)
    async with context.services.db.session() as session:
        chat = await chat_for_update(session, update)
        if chat is None or chat.id is None:
            everyone, leaders = None, set()
        else:
            everyone, leaders = (
                await list_people(session, chat.id),
                await leader_ids(session, chat.id),
            )
    if everyone is None:
        await reply_html(update, t(locale, "people.no_chat"))
        return
    await reply_html(update, people_lines(everyone, leaders, locale))
