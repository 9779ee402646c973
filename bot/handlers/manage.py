"""The admins' item commands: /add, /edit, /delete (after a confirmation), /reopen.

Only admins reach them: the command table (`bot.handlers.COMMANDS`) refuses everyone else.

Each writes a history row and brings the item's reminders in line in the same transaction.
"""

from __future__ import annotations

import re

from telegram import Update

from bot.chat.acting import act, actor_of, origin_of
from bot.chat.item_access import command_args, failure_line, incoming, items_named, split_first
from bot.chat.presses import Press, on_press
from bot.chat.reminder_edits import update_reminders
from bot.chat.replies import reply_html
from bot.context import PlanbotContext
from bot.i18n import t
from bot.operations.editing import (
    AdminsOnly,
    ToDelete,
    add_item,
    delete_item,
    edit_item,
    item_to_delete,
)
from bot.operations.finding import (
    ByNumber,
    ByRowId,
    NeedsAdmin,
    NoGroup,
    NoneNamed,
    NoSuchItem,
    Refused,
    answer_locale,
)
from bot.operations.presses import Misplaced
from bot.operations.reports import Changed, Which, reopen
from bot.operations.who import Actor, Origin
from bot.views.buttons import parse_id_callback
from bot.views.item import (
    DELETE_CANCEL,
    DELETE_OK,
    DELETE_PREFIX,
    Display,
    delete_keyboard,
    item_lines,
    month_label,
    ref_label,
)
from bot.views.part_answers import lead_names
from bot.views.render import esc, quoted
from plans.itemref import ItemRef
from plans.names import normalise_name
from storage.item_changes import EditField, NewItem, Outcome
from storage.models import Item
from storage.part_states import lead_links
from storage.rows import row_id

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
    sent = incoming(update)
    if sent is None:
        return
    origin = origin_of(sent.chat)
    actor = actor_of(context, sent.user, origin)
    deps = context.services.deps
    new = parse_new_item(command_args(sent.message.text))
    if new is None:
        locale = await answer_locale(deps, origin, actor)
        await reply_html(update, t(locale, "add.usage"))
        return
    result = await act(context, actor, lambda a: add_item(deps, origin, a, new))
    if not isinstance(result, Changed):
        await _refuse(update, result, "add")
        return
    locale, change = result.locale, result.change
    if change.outcome is Outcome.BAD_DEADLINE:
        await reply_html(update, t(locale, "add.bad_deadline", text=quoted(new.deadline)))
        return
    item = change.item
    if not change.applied or item is None:
        await reply_html(update, t(locale, "add.usage"))
        return
    month = month_label(item.plan.year, item.plan.month, locale)
    lines = [t(locale, "add.ok", month=month, seq=item.seq)]
    lines += item_lines(item, _display(context, locale), False)
    lines += missing_lines(item, locale)
    await reply_html(update, lines)


def missing_lines(item: Item, locale: str) -> list[str]:
    """What a new item still lacks (leaders, departments, a deadline), that without a deadline
    it is never reminded, and the /edit commands that fill them in; nothing when complete."""
    missing = [
        name
        for name, absent in (
            ("leaders", not item.leaders),
            # A partner (配合) alone is no responsible department.
            ("departments", not lead_links(item)),
            ("deadline", item.deadline is None and not item.recurring),
        )
        if absent
    ]
    if not missing:
        return []
    fields = t(locale, "list.sep").join(t(locale, f"items.field.{name}") for name in missing)
    lines = [t(locale, "add.missing", fields=fields)]
    if "deadline" in missing:
        lines.append(t(locale, "add.never_reminded"))
    commands = " · ".join(esc(t(locale, f"add.fill.{name}", seq=item.seq)) for name in missing)
    lines.append(t(locale, "add.fill_in", commands=commands))
    return lines


async def _refuse(
    update: Update,
    result: NoGroup
    | NoSuchItem
    | NeedsAdmin
    | AdminsOnly
    | Refused
    | NoneNamed
    | Which
    | Misplaced,
    command: str,
) -> None:
    """Answer an operation that did nothing for lack of a group, an item or the right."""
    if isinstance(result, AdminsOnly):
        await reply_html(update, t(result.locale, "items.admins_only", command=f"/{command}"))
    elif not isinstance(result, NeedsAdmin | Which):
        await reply_html(update, failure_line(result, command))


async def _item_command(
    update: Update, context: PlanbotContext, command: str
) -> tuple[Origin, Actor, ItemRef, str] | None:
    """The origin, actor, item number and the rest of an admin's item command; None after
    saying the number is missing or unreadable."""
    sent = incoming(update)
    if sent is None:
        return None
    origin = origin_of(sent.chat)
    actor = actor_of(context, sent.user, origin)
    usage = "edit.usage" if command == "edit" else None
    args = command_args(sent.message.text)
    named = await items_named(update, context, origin, actor, args, command, usage=usage)
    if named is None:
        return None
    return origin, actor, named.refs[0], named.rest


async def edit_command(update: Update, context: PlanbotContext) -> None:
    read = await _item_command(update, context, "edit")
    if read is None:
        return
    origin, actor, ref, rest = read
    deps = context.services.deps
    field_text, value = split_first(rest)
    field = FIELDS.get(field_text.lower())
    if not field_text or not value or field is None:
        locale = await answer_locale(deps, origin, actor)
        if not field_text or not value:
            await reply_html(update, t(locale, "edit.usage"))
        else:
            await reply_html(update, t(locale, "edit.unknown_field", field=quoted(field_text)))
        return
    result = await act(
        context, actor, lambda a: edit_item(deps, origin, a, ByNumber(ref), field, value)
    )
    if not isinstance(result, Changed):
        await _refuse(update, result, "edit")
        return
    locale, change = result.locale, result.change
    field_name = t(locale, f"items.field.{field.value}")
    item = change.item
    if change.outcome is Outcome.GONE or item is None:
        await reply_html(update, t(locale, "items.gone"))
    elif change.outcome is Outcome.BAD_DEADLINE:
        await reply_html(update, t(locale, "edit.bad_deadline", text=quoted(value)))
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
        if change.item_status_changed:
            lines.append(t(locale, "edit.reopened"))
        lines.append(t(locale, "items.undo_hint"))
        await reply_html(update, lines)


async def reopen_command(update: Update, context: PlanbotContext) -> None:
    """`/reopen N` opens the whole item again; `/reopen N 组织部` only that department's part."""
    read = await _item_command(update, context, "reopen")
    if read is None:
        return
    origin, actor, ref, rest = read
    deps = context.services.deps
    department = normalise_name(rest)
    result = await act(context, actor, lambda a: reopen(deps, origin, a, ByNumber(ref), department))
    if not isinstance(result, Changed):
        await _refuse(update, result, "reopen")
        return
    locale, change = result.locale, result.change
    item = change.item
    if change.outcome is Outcome.GONE or item is None:
        await reply_html(update, t(locale, "items.gone"))
    elif change.outcome is Outcome.NOT_A_PART:
        leads = lead_names(item, locale)
        line = t(
            locale,
            "reopen.not_a_part",
            item=ref_label(item, locale),
            department=esc(department),
            leads=leads,
            seq=item.seq,
        )
        await reply_html(update, line)
    elif change.outcome is Outcome.UNCHANGED:
        if result.departments:
            line = t(
                locale,
                "reopen.part_not_done",
                item=ref_label(item, locale),
                department=esc(result.departments[0]),
            )
        else:
            line = t(locale, "reopen.not_done", item=ref_label(item, locale))
        await reply_html(update, line)
    else:
        if result.departments:
            name = result.departments[0]
            part = next(link for link in item.department_links if link.department.name == name)
            line = t(
                locale,
                "reopen.part_ok",
                item=ref_label(item, locale),
                department=esc(name),
                percent=part.progress,
                total=item.progress,
            )
        else:
            key = "reopen.ok" if item.progress else "reopen.ok_zero"
            line = t(locale, key, item=ref_label(item, locale), percent=item.progress)
        await reply_html(update, [line, t(locale, "items.undo_hint")])
        await update_reminders(context, result.reminders)


async def delete_command(update: Update, context: PlanbotContext) -> None:
    read = await _item_command(update, context, "delete")
    if read is None:
        return
    origin, actor, ref, _ = read
    deps = context.services.deps
    result = await act(context, actor, lambda a: item_to_delete(deps, origin, a, ByNumber(ref)))
    if isinstance(result, Changed):
        await reply_html(update, t(result.locale, "items.gone"))
        return
    if not isinstance(result, ToDelete):
        await _refuse(update, result, "delete")
        return
    locale, item = result.locale, result.item
    await reply_html(
        update,
        t(locale, "delete.confirm", item=ref_label(item, locale)),
        reply_markup=delete_keyboard(row_id(item), locale),
    )


async def _delete_pressed(context: PlanbotContext, press: Press[tuple[str, int]]) -> None:
    """Confirm or Cancel under a /delete question; only an admin's press counts."""
    action, item_id = press.data
    origin = press.origin
    deps = context.services.deps
    target = ByRowId(item_id, press.message_id)
    result: Changed | ToDelete | NoGroup | NoSuchItem | NeedsAdmin | AdminsOnly | Misplaced
    if action == DELETE_OK:
        result = await act(context, press.actor, lambda a: delete_item(deps, origin, a, target))
    else:
        # Cancel only looks: who may not confirm may not cancel either.
        result = await act(context, press.actor, lambda a: item_to_delete(deps, origin, a, target))
    if isinstance(result, AdminsOnly):
        await press.refuse(t(result.locale, "items.admins_only", command="/delete"))
        return
    if isinstance(result, Changed) and result.change.outcome is Outcome.GONE:
        await press.refuse(t(result.locale, "items.gone"), clear=True)
        return
    if not isinstance(result, Changed | ToDelete):
        return  # answered as a button that no longer works
    locale = result.locale
    item = result.item if isinstance(result, ToDelete) else result.change.item
    await press.answer()
    await press.clear_buttons()
    if item is None:
        return
    key = "delete.cancelled" if isinstance(result, ToDelete) else "delete.ok"
    await reply_html(press.update, t(locale, key, item=ref_label(item, locale)))


delete_button = on_press(
    lambda data: parse_id_callback(data, DELETE_PREFIX, (DELETE_OK, DELETE_CANCEL)),
    _delete_pressed,
)
