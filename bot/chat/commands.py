"""What a chat command is (name, handler, who may run it, menu, help text) and the one place
where "who may run it" is enforced.

The table of every command is `bot.handlers.COMMANDS`; from it come the PTB handlers, /help
and Telegram's "/" menu. A command that is one action of the permission table
(bot/operations/policy.py) takes its access from there: one no role but the admins may run is
refused by `guarded` before its handler runs, so handlers do not check admin access
themselves; finer checks that depend on what the command names (an item's leaders, the person
a name is bound to) are the operations', which read the same table.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Coroutine
from contextlib import nullcontext
from dataclasses import dataclass
from functools import wraps
from typing import Any

from telegram import Update
from telegram.constants import ChatType

from bot.chat.chosen_group import in_group
from bot.chat.group_choice import choose_group
from bot.chat.item_access import locale_of, may_administer
from bot.chat.permissions import is_admin
from bot.chat.plan_group import chat_for_update
from bot.chat.replies import chat_locale, reply_html
from bot.context import PlanbotContext
from bot.i18n import t
from bot.operations.policy import RULES, Action, admins_only

Callback = Callable[[Update, PlanbotContext], Coroutine[Any, Any, None]]


class Access(enum.Enum):
    """Who may run a command."""

    ANYONE = "anyone"
    ADMINS = "admins"
    # Admins, or the person the command is about: only the handler knows who that is (it
    # depends on the name given), so this is shown by /help and checked by the handler.
    ADMINS_OR_SELF = "admins_or_self"


class AdminOf(enum.Enum):
    """Whose admins an admins-only command asks for."""

    # The chat the command was sent in (in a private chat only the configured admins).
    THIS_CHAT = "this_chat"
    # The group the command was sent in; in a private chat the handler says where it belongs.
    GROUP = "group"
    # The group whose plan the command is about, also when asked in private (`chat_for_update`);
    # in the private chat of someone bound nowhere the handler says how to bind.
    PLAN_GROUP = "plan_group"


def access_of(action: Action) -> Access:
    """What the command table enforces for a command that is `action` as a whole, from the
    permission table: admins only when no other role may; the rest is the operation's check."""
    if not admins_only(action):
        return Access.ANYONE
    return Access.ADMINS_OR_SELF if RULES[action].self_too else Access.ADMINS


@dataclass(frozen=True, slots=True)
class ChatCommand:
    name: str
    callback: Callback
    # The command changes something, and is this action as a whole: who may run it comes from
    # the permission table (bot/operations/policy.py) and `access` is set from it. Commands
    # that also only show (/remind, /lang, /dept) check the action in the handler.
    action: Action | None = None
    # Who may run it; only for a command that is no action of the permission table (/id).
    access: Access = Access.ANYONE
    # Who may run it in a private chat, when not `access`: /board is the group's admins' in a
    # group, but in private it opens the sender's own groups (a Mini App) for anyone bound.
    private_access: Access | None = None
    # In a private chat the command does another thing, described by `cmd.<name>.desc_private`.
    private_description: bool = False
    admin_of: AdminOf = AdminOf.PLAN_GROUP
    # The sentence refusing someone who may not run it; `{command}` is filled with `/name`.
    refusal: str = "items.admins_only"
    # Shown in Telegram's "/" menu; rarely used or admin commands stay out of it.
    in_menu: bool = True
    # Listed by the short /help members get: what people answering for items use every day.
    everyday: bool = False
    # Also run for an edited message; never for a command that changes something, since an
    # edit must not report twice.
    on_edit: bool = False
    # About one group's plan: in a private chat of someone bound in several groups, the group
    # is named first or asked for (bot/chat/group_choice.py). False for a command about the
    # private chat itself or about every group (/mine).
    one_group: bool = True

    def __post_init__(self) -> None:
        if self.action is not None:
            if self.access is not Access.ANYONE:
                raise ValueError(f"/{self.name}: its access comes from its action")
            # Frozen: the one assignment, from the permission table, at construction.
            object.__setattr__(self, "access", access_of(self.action))

    def access_in(self, *, private: bool) -> Access:
        """Who may run it in a private chat (`private`) or in a group."""
        if private and self.private_access is not None:
            return self.private_access
        return self.access

    def description(self, locale: str, *, private: bool = False) -> str:
        if private and self.private_description:
            return t(locale, f"cmd.{self.name}.desc_private")
        return t(locale, f"cmd.{self.name}.desc")

    def example(self, locale: str) -> str:
        return t(locale, f"cmd.{self.name}.example")

    def access_note(self, locale: str, *, private: bool = False) -> str:
        """What /help adds after the description: who may run it in that kind of chat, or
        nothing for anyone."""
        access = self.access_in(private=private)
        if access is Access.ANYONE:
            return ""
        return t(locale, f"help.{access.value}")


async def refused_locale(
    update: Update, context: PlanbotContext, command: ChatCommand
) -> str | None:
    """The language to refuse the sender in when they may not run `command`; None when they
    may (or when the handler has to say first that the command does not belong here)."""
    tg_chat, user = update.effective_chat, update.effective_user
    if tg_chat is None or user is None:
        return None
    if command.access_in(private=tg_chat.type == ChatType.PRIVATE) is not Access.ADMINS:
        return None
    if command.admin_of is AdminOf.PLAN_GROUP and tg_chat.type == ChatType.PRIVATE:
        # In private the plan's group is where the sender is bound; in a group it is the group,
        # and the check below needs no database.
        async with context.services.db.session() as session:
            chat = await chat_for_update(session, update)
        if chat is None or await may_administer(context, chat, user.id):
            return None
        return locale_of(context, chat)
    if command.admin_of is AdminOf.GROUP and tg_chat.type == ChatType.PRIVATE:
        return None
    if await is_admin(context, tg_chat.id, tg_chat.type, user.id):
        return None
    return await chat_locale(context, tg_chat.id)


def guarded(command: ChatCommand) -> Callback:
    """`command`'s handler behind its access rule: who may not run it gets the command's
    refusal sentence and nothing else happens."""
    handler = command.callback

    async def checked(update: Update, context: PlanbotContext) -> None:
        locale = await refused_locale(update, context, command)
        if locale is not None:
            await reply_html(update, t(locale, command.refusal, command=f"/{command.name}"))
            return
        await handler(update, context)

    @wraps(handler)
    async def run(update: Update, context: PlanbotContext) -> None:
        if not command.one_group:
            await checked(update, context)
            return
        proceed = await choose_group(update, context)
        if proceed is None:
            return
        with in_group(proceed.group) if proceed.group is not None else nullcontext():
            await checked(proceed.update, context)

    return run
