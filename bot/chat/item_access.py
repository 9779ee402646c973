"""Which group and item a command or button is about, and who may change that item.

May change an item (done, progress, notes, undo of one's own change): admins (configured or
the group's Telegram administrators), the item's leaders and the members of its departments
once bound to their names, or anyone when `[access] anyone_can_update` is set.

Button presses have their own path: bot/chat/presses.py.

Telegram is asked about administrators outside any database session: on SQLite a session
holds the write lock, and a slow Bot API call must not stall every other writer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram import Chat as TgChat
from telegram import Message, Update, User

from bot.chat.command_words import normalise_command
from bot.chat.permissions import is_admin
from bot.chat.plan_group import chat_for_update
from bot.chat.replies import chat_locale, reply_html
from bot.context import PlanbotContext
from bot.i18n import t
from bot.operations.finding import NoGroup, NoneNamed, NoSuchItem, Refused, answer_locale
from bot.operations.presses import Misplaced
from bot.operations.who import Actor, Origin
from bot.views.item import example_line, month_label, refusal_line
from bot.views.part_answers import assist_refusal_line
from bot.views.plan import months_label
from bot.views.render import quoted
from plans.itemref import MAX_REFS, ItemRefs, RefProblem, RefRefusal, split_item_refs
from storage.items import Missing
from storage.models import Chat
from storage.rows import row_id
from storage.text import clean_text

_COMMAND = re.compile(r"^/[A-Za-z0-9_]+(@\w+)?", re.IGNORECASE)


def command_args(text: str | None) -> str:
    """What follows `/command` (or `/command@bot`) in a message, trimmed; also when the slash or
    the word was typed with a Chinese input method (`／done 2`, `、done 1`, `/Ｄｏｎｅ 2`).

    Control characters are dropped here as they are when text is stored (storage/text.py): an
    argument is also compared in queries (`/plan 部室`, `/dept 部室`), and PostgreSQL refuses a
    NUL in a query parameter as it does in a row."""
    typed = clean_text(text or "").strip()
    return _COMMAND.sub("", normalise_command(typed) or typed, count=1).strip()


def split_first(text: str) -> tuple[str, str]:
    """The first word and the rest (any whitespace separates, newlines too)."""
    parts = text.strip().split(None, 1)
    return (parts[0], parts[1].strip()) if len(parts) == 2 else ((parts or [""])[0], "")


def locale_of(context: PlanbotContext, chat: Chat | None) -> str:
    """The group's language, also for questions about it asked in private."""
    if chat is not None and chat.locale:
        return chat.locale
    return context.services.config.i18n.locale


@dataclass(frozen=True, slots=True)
class Incoming:
    """A user's message in a chat: what a command handler reads off its update."""

    message: Message
    user: User
    chat: TgChat

    @property
    def words(self) -> str:
        """What the sender wrote: the text, or the caption of a photo or file (`/done 3` as a
        photo's caption is the same report as the text, with the photo as evidence)."""
        return self.message.text or self.message.caption or ""


def incoming(update: Update) -> Incoming | None:
    """The message of `update`, its sender and its chat; None when one is missing, and the
    handler then has nobody to answer. Commands come as messages (edited ones too), which
    always have all three, so this is the one check instead of an `assert` in every helper."""
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    if message is None or user is None or chat is None:
        return None
    return Incoming(message, user, chat)


@dataclass(frozen=True, slots=True)
class GroupScope:
    """The group a command is about (our row) and the language to answer in."""

    chat: Chat
    locale: str

    @property
    def chat_id(self) -> int:
        """The group's row id (a Chat read from the database always has one)."""
        return row_id(self.chat)


async def scope_for(update: Update, context: PlanbotContext) -> GroupScope | None:
    """The group of the update; in a private chat of someone bound nowhere, None after
    telling them how to bind."""
    async with context.services.db.session() as session:
        chat = await chat_for_update(session, update)
    if chat is None:
        tg_chat = update.effective_chat
        locale = await chat_locale(context, tg_chat.id if tg_chat else None)
        await reply_html(update, t(locale, "items.private_unbound"))
        return None
    return GroupScope(chat, locale_of(context, chat))


@dataclass(frozen=True, slots=True)
class Command:
    """A user's command about a group's plans: the message, its sender, the group and what
    follows the command word."""

    message: Message
    user: User
    scope: GroupScope
    args: str

    @property
    def locale(self) -> str:
        return self.scope.locale


async def command_in_scope(update: Update, context: PlanbotContext) -> Command | None:
    """The command of `update`; None when it is no user's message, or (after telling them how
    to bind) when it comes from a private chat of someone bound nowhere."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return None
    scope = await scope_for(update, context)
    if scope is None:
        return None
    return Command(message, user, scope, command_args(message.text))


def bad_ref_line(locale: str, text: str, command: str) -> str:
    """What to say when a command's item number is missing or unreadable."""
    example = example_line(locale, command)
    if not text.strip():
        return t(locale, "items.need_ref", example=example)
    return t(locale, "items.not_a_ref", text=quoted(text), example=example)


def ref_refusal_line(locale: str, refusal: RefRefusal, command: str) -> str:
    """Why the start of a command's arguments names no items (see plans/itemref.py), with an
    example."""
    text = refusal.text
    if refusal.problem is RefProblem.BACKWARDS:
        return t(locale, "items.ref_backwards", text=quoted(text), command=command)
    if refusal.problem is RefProblem.TOO_MANY:
        example = example_line(locale, command)
        return t(locale, "items.ref_too_many", text=quoted(text), max=MAX_REFS, example=example)
    return bad_ref_line(locale, text, command)


async def items_named(
    update: Update,
    context: PlanbotContext,
    origin: Origin,
    actor: Actor,
    args: str,
    command: str,
    *,
    spaced: bool = True,
    several: bool = False,
    optional: bool = False,
    usage: str | None = None,
) -> ItemRefs | None:
    """The items a command's arguments start with and the rest, however typed (`3`, `３`, `十二`,
    `第3项`, `3号`, `#3`, `3已报送`, `1,2,3`, `1、2`, `1-3`; plans/itemref.py); the one reader
    of item numbers for every command. None after answering in one sentence with an example
    why they name none, or more than one when the command takes one (`several` False).

    `spaced`: whether a number after a space is another item (`/ack 2 5`); False where the rest
    may start with a number (/progress's `60%`). `optional`: naming no item is fine (a reply to
    one of our messages means its items): then no items and all of `args` as the rest.
    `usage`: the sentence for empty arguments instead of "which item?".
    """
    parsed = split_item_refs(args, spaced=spaced)
    if isinstance(parsed, ItemRefs) and (several or len(parsed.refs) == 1):
        return parsed
    if optional and isinstance(parsed, RefRefusal) and parsed.problem is RefProblem.NO_REF:
        return ItemRefs((), args.strip())
    locale = await answer_locale(context.services.deps, origin, actor)
    if isinstance(parsed, ItemRefs):
        line = t(
            locale, "items.one_ref_only", command=command, example=example_line(locale, command)
        )
    elif usage is not None and not args.strip():
        line = t(locale, usage)
    else:
        line = ref_refusal_line(locale, parsed, command)
    await reply_html(update, line)
    return None


def not_found_line(missed: NoSuchItem, command: str) -> str:
    """Why there is no such item: no such number in the plan, no such plan, or no plans."""
    locale, ref, plan = missed.locale, missed.ref, missed.plan
    if missed.missing is Missing.NO_ITEM and plan is not None:
        return t(
            locale,
            "items.no_item",
            month=month_label(plan.year, plan.month, locale),
            seq=ref.seq,
            count=missed.count,
            example=example_line(locale, command),
        )
    if missed.months and ref.names_plan:
        return t(
            locale,
            "items.no_plan_month",
            month=month_label(missed.year, ref.month or 0, locale, ref.quarter or 0),
            months=months_label(missed.months, locale),
        )
    return t(locale, "items.no_plans")


def failure_line(
    failed: NoGroup | NoSuchItem | Refused | NoneNamed | Misplaced, command: str
) -> str:
    """The sentence answering an operation that found nothing to do its work on."""
    if isinstance(failed, Misplaced):
        return t(failed.locale, "press.stale")
    if isinstance(failed, NoGroup):
        return t(failed.locale, "items.private_unbound")
    if isinstance(failed, NoSuchItem):
        return not_found_line(failed, command)
    if isinstance(failed, Refused):
        if failed.assisting:
            return assist_refusal_line(failed.item, failed.locale)
        return refusal_line(failed.item, failed.locale)
    return bad_ref_line(failed.locale, "", command)


async def may_administer(context: PlanbotContext, chat: Chat, user_id: int) -> bool:
    """An admin of the group `chat` (also when asking from a private chat)."""
    return await is_admin(context, chat.tg_chat_id, chat.type, user_id)
