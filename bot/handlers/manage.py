"""The admins' item commands: /add, /edit, /delete (after a confirmation), /reopen.

Only admins reach them: the command table (`bot.handlers.COMMANDS`) refuses everyone else.

Each writes a history row and brings the item's reminders in line in the same transaction.
"""

from __future__ import annotations

import re

from telegram import Update, User

from bot.chat.item_access import (
    ItemPress,
    PressRefusal,
    author_of,
    checked_press,
    command_in_scope,
    find_item,
    may_administer,
    pressed_item,
    split_first,
)
from bot.chat.replies import reply_html
from bot.context import PlanbotContext
from bot.i18n import t
from bot.views.item import (
    DELETE_PREFIX,
    Display,
    delete_keyboard,
    item_lines,
    month_label,
    ref_label,
)
from bot.views.render import esc
from storage.item_changes import (
    EditField,
    NewItem,
    Outcome,
    add_item,
    delete_item,
    edit_item,
    reopen,
)

# Field names as admins type them, Chinese and English.
FIELDS: dict[str, EditField] = {
    "标题": EditField.TITLE,
    "名称": EditField.TITLE,
    "title": EditField.TITLE,
    "领导": EditField.LEADERS,
    "责任领导": EditField.LEADERS,
    "leader": EditField.LEADERS,
    "leaders": EditField.LEADERS,
    "部室": EditField.DEPARTMENTS,
    "责任部室": EditField.DEPARTMENTS,
    "部门": EditField.DEPARTMENTS,
    "department": EditField.DEPARTMENTS,
    "departments": EditField.DEPARTMENTS,
    "时限": EditField.DEADLINE,
    "完成时限": EditField.DEADLINE,
    "期限": EditField.DEADLINE,
    "deadline": EditField.DEADLINE,
    "内容": EditField.CONTENT,
    "content": EditField.CONTENT,
}
_SEPARATOR = re.compile(r"\s*[|｜]\s*")


def _display(context: PlanbotContext, locale: str) -> Display:
    svc = context.services
    return Display(locale, svc.today(), svc.config.schedule.tz)


def parse_new_item(text: str) -> NewItem | None:
    """`标题 | 领导 | 部室 | 时限`, the last three optional; None when it is not that."""
    parts = _SEPARATOR.split(text.strip())
    if not parts[0] or len(parts) > 4:
        return None
    return NewItem(*parts)


async def add_command(update: Update, context: PlanbotContext) -> None:
    command = await command_in_scope(update, context)
    if command is None:
        return
    user, scope, locale = command.user, command.scope, command.locale
    new = parse_new_item(command.args)
    if new is None:
        await reply_html(update, t(locale, "add.usage"))
        return
    svc = context.services
    async with svc.db.session() as session:
        change = await add_item(
            session, svc.planner, scope.chat_id, svc.today(), new, author_of(user), svc.now()
        )
    if change.outcome is Outcome.BAD_DEADLINE:
        await reply_html(update, t(locale, "add.bad_deadline", text=esc(new.deadline)))
        return
    item = change.item
    if not change.applied or item is None:
        await reply_html(update, t(locale, "add.usage"))
        return
    month = month_label(item.plan.year, item.plan.month, locale)
    lines = [t(locale, "add.ok", month=month, seq=item.seq)]
    lines += item_lines(item, _display(context, locale), False)
    await reply_html(update, lines)


async def edit_command(update: Update, context: PlanbotContext) -> None:
    command = await command_in_scope(update, context)
    if command is None:
        return
    user, scope, locale = command.user, command.scope, command.locale
    ref_text, rest = split_first(command.args)
    field_text, value = split_first(rest)
    if not ref_text or not field_text or not value:
        await reply_html(update, t(locale, "edit.usage"))
        return
    field = FIELDS.get(field_text.lower())
    if field is None:
        await reply_html(update, t(locale, "edit.unknown_field", field=esc(field_text)))
        return
    found = await find_item(update, context, scope, ref_text, "edit")
    if found is None:
        return
    svc = context.services
    async with svc.db.session() as session:
        change = await edit_item(
            session, svc.planner, found.item_id, field, value, author_of(user), svc.now()
        )
    field_name = t(locale, f"items.field.{field.value}")
    item = change.item
    if change.outcome is Outcome.GONE or item is None:
        await reply_html(update, t(locale, "items.gone"))
    elif change.outcome is Outcome.BAD_DEADLINE:
        await reply_html(update, t(locale, "edit.bad_deadline", text=esc(value)))
    elif change.outcome is Outcome.EMPTY:
        await reply_html(update, t(locale, "edit.empty", field=field_name))
    elif change.outcome is Outcome.UNCHANGED:
        await reply_html(
            update, t(locale, "edit.same", item=ref_label(item, locale), field=field_name)
        )
    else:
        lines = [t(locale, "edit.ok", item=ref_label(item, locale), field=field_name)]
        lines += item_lines(item, _display(context, locale), False)
        if field is EditField.CONTENT:
            lines.append(esc(item.content))
        lines.append(t(locale, "items.undo_hint"))
        await reply_html(update, lines)


async def reopen_command(update: Update, context: PlanbotContext) -> None:
    command = await command_in_scope(update, context)
    if command is None:
        return
    user, scope, locale = command.user, command.scope, command.locale
    ref_text, _ = split_first(command.args)
    found = await find_item(update, context, scope, ref_text, "reopen")
    if found is None:
        return
    svc = context.services
    async with svc.db.session() as session:
        change = await reopen(session, svc.planner, found.item_id, author_of(user), svc.now())
    item = change.item
    if change.outcome is Outcome.GONE or item is None:
        await reply_html(update, t(locale, "items.gone"))
    elif change.outcome is Outcome.UNCHANGED:
        await reply_html(update, t(locale, "reopen.not_done", item=ref_label(item, locale)))
    else:
        line = t(locale, "reopen.ok", item=ref_label(item, locale), percent=item.progress)
        await reply_html(update, [line, t(locale, "items.undo_hint")])


async def delete_command(update: Update, context: PlanbotContext) -> None:
    command = await command_in_scope(update, context)
    if command is None:
        return
    scope, locale = command.scope, command.locale
    ref_text, _ = split_first(command.args)
    found = await find_item(update, context, scope, ref_text, "delete")
    if found is None:
        return
    await reply_html(
        update,
        t(locale, "delete.confirm", item=ref_label(found.item, locale)),
        reply_markup=delete_keyboard(found.item_id, locale),
    )


async def _pressed_delete(
    context: PlanbotContext, update: Update, data: str
) -> ItemPress | PressRefusal:
    action, _, raw_id = data.removeprefix(DELETE_PREFIX).partition(":")
    parsed = (action, int(raw_id)) if raw_id.isdigit() else None
    return await pressed_item(context, parsed, _gone_question)


def _gone_question(locale: str) -> PressRefusal:
    return PressRefusal(t(locale, "items.gone"), clear_buttons=True)


async def _admins_only(
    context: PlanbotContext, press: ItemPress, user: User
) -> PressRefusal | None:
    if await may_administer(context, press.chat, user.id):
        return None
    return PressRefusal(t(press.locale, "items.admins_only", command="/delete"))


async def delete_button(update: Update, context: PlanbotContext) -> None:
    """Confirm or Cancel under a /delete question; only an admin's press counts."""
    pressed = await checked_press(update, context, _pressed_delete, _admins_only)
    if pressed is None:
        return
    query, press = pressed
    item, locale = press.item, press.locale
    await query.answer()
    await query.edit_message_reply_markup(None)
    if press.action != "ok":
        await reply_html(update, t(locale, "delete.cancelled", item=ref_label(item, locale)))
        return
    svc = context.services
    async with svc.db.session() as session:
        change = await delete_item(
            session, svc.planner, press.item_id, author_of(query.from_user), svc.now()
        )
    if change.outcome is Outcome.GONE:
        await reply_html(update, t(locale, "items.gone"))
        return
    await reply_html(update, t(locale, "delete.ok", item=ref_label(item, locale)))
