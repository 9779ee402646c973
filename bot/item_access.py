"""Which group and item a command is about, and who may change that item.

May change an item (done, progress, notes, undo of one's own change): admins (configured or
the group's Telegram administrators), the item's leaders and the members of its departments
once bound to their names, or anyone when `[access] anyone_can_update` is set.

Telegram is asked about administrators outside any database session: on SQLite a session
holds the write lock, and a slow Bot API call must not stall every other writer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram import Update, User
from telegram.ext import ContextTypes

from bot.chat_scope import chat_for_update
from bot.i18n import t
from bot.permissions import is_admin
from bot.render import esc
from bot.replies import chat_locale, reply_html
from bot.services import services
from bot.views.item import example_line, month_label
from bot.views.plan import months_label
from plans.itemref import ItemRef, parse_item_ref
from storage.item_changes import Author
from storage.item_queries import count_items, latest_year_of_month, plan_months
from storage.items import Missing, is_responsible, resolve_item
from storage.models import Chat, Item, Plan

_COMMAND = re.compile(r"^/[A-Za-z0-9_]+(@\w+)?", re.IGNORECASE)


def command_args(text: str | None) -> str:
    """What follows `/command` (or `/command@bot`) in a message, trimmed."""
    return _COMMAND.sub("", (text or "").strip(), count=1).strip()


def split_first(text: str) -> tuple[str, str]:
    """The first word and the rest (any whitespace separates, newlines too)."""
    parts = text.strip().split(None, 1)
    return (parts[0], parts[1].strip()) if len(parts) == 2 else ((parts or [""])[0], "")


def author_of(user: User) -> Author:
    return Author(user.id, user.full_name)


def locale_of(context: ContextTypes.DEFAULT_TYPE, chat: Chat | None) -> str:
    """The group's language, also for questions about it asked in private."""
    if chat is not None and chat.locale:
        return chat.locale
    return services(context).config.i18n.locale


@dataclass(frozen=True, slots=True)
class Scope:
    """The group a command is about (our row) and the language to answer in."""

    chat: Chat
    locale: str


async def scope_for(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Scope | None:
    """The group of the update; in a private chat of someone bound nowhere, None after
    telling them how to bind."""
    async with services(context).db.session() as session:
        chat = await chat_for_update(session, update)
    if chat is None:
        tg_chat = update.effective_chat
        locale = await chat_locale(context, tg_chat.id if tg_chat else None)
        await reply_html(update, t(locale, "items.private_unbound"))
        return None
    return Scope(chat, locale_of(context, chat))


@dataclass(frozen=True, slots=True)
class Found:
    item: Item
    plan: Plan


async def find_item(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    scope: Scope,
    text: str,
    command: str,
) -> Found | None:
    """The item `text` names ("3", "三", "2020-10#3") in the scope's plans; None after
    saying what is wrong (with `command`'s example)."""
    locale = scope.locale
    example = example_line(locale, command)
    if not text.strip():
        await reply_html(update, t(locale, "items.need_ref", example=example))
        return None
    ref = parse_item_ref(text)
    if ref is None:
        await reply_html(update, t(locale, "items.not_a_ref", text=esc(text), example=example))
        return None
    svc = services(context)
    today = svc.today()
    async with svc.db.session() as session:
        if ref.month is not None and ref.year is None:
            # "oct#3" means the chat's latest October, as `/plan oct` does.
            year = await latest_year_of_month(session, scope.chat.id, ref.month)
            ref = ItemRef(ref.seq, year or today.year, ref.month)
        resolved = await resolve_item(session, scope.chat.id, ref, today)
        if resolved.item is not None and resolved.plan is not None:
            return Found(resolved.item, resolved.plan)
        months = await plan_months(session, scope.chat.id)
        count = await count_items(session, resolved.plan.id) if resolved.plan else 0
    if resolved.missing is Missing.NO_ITEM and resolved.plan is not None:
        line = t(
            locale,
            "items.no_item",
            month=month_label(resolved.plan.year, resolved.plan.month, locale),
            seq=ref.seq,
            count=count,
            example=example,
        )
    elif months and ref.month is not None:
        line = t(
            locale,
            "items.no_plan_month",
            month=month_label(ref.year or today.year, ref.month, locale),
            months=months_label(months, locale),
        )
    else:
        line = t(locale, "items.no_plans")
    await reply_html(update, line)
    return None


async def may_change(
    context: ContextTypes.DEFAULT_TYPE, chat: Chat, item_id: int, user_id: int
) -> bool:
    """Whether `user_id` may report on or change the item (see the module's docstring)."""
    svc = services(context)
    if svc.config.access.anyone_can_update:
        return True
    async with svc.db.session() as session:
        if await is_responsible(session, item_id, user_id):
            return True
    return await may_administer(context, chat, user_id)


async def may_administer(context: ContextTypes.DEFAULT_TYPE, chat: Chat, user_id: int) -> bool:
    """An admin of the group `chat` (also when asking from a private chat)."""
    return await is_admin(context, chat.tg_chat_id, chat.type, user_id)
