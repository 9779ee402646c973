"""/dept: departments and their members, and a department's own group for its reminders.

    /dept                          every department with its members
    /dept 办公室                    one department
    /dept 办公室 add @user          admins: a member joins (through the name they are bound to)
    /dept 办公室 remove @user       admins: a member leaves (@user or their name)
    /dept 办公室 chat [plan id|off] admins, sent in the department's own group

Members must be bound (/iam or /bind) first: a member is a person from the plans, and an
account nobody has tied to a name would be a second, nameless copy of someone.

Which plan group `/dept 办公室 chat` means, sent in another group: the one given by id; else the
only group that has a department of that name and where the sender is bound to a name (any
such group for configured admins). The sender must be an admin of both groups.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.constants import ChatType

from bot.chat.item_access import Incoming, command_args, incoming
from bot.chat.permissions import may_in_chat
from bot.chat.plan_group import chat_for_update, group_chat
from bot.chat.replies import chat_locale, reply_html
from bot.context import PlanbotContext
from bot.handlers.people import Target, find_target, label
from bot.i18n import t
from bot.operations.policy import Action
from bot.views.people import department_line, department_lines, person_label
from bot.views.render import esc, quoted
from plans.names import normalise_name
from plans.numbers import parse_telegram_id
from storage.departments import (
    add_member,
    departments_elsewhere,
    get_department_with_members,
    list_departments,
    own_chat_titles,
    remove_member,
)
from storage.models import Department, Person
from storage.people import get_person, people_by_tg_user
from storage.rows import row_id

ADD, REMOVE, CHAT = "add", "remove", "chat"
_ACTIONS = {
    "add": ADD,
    "加入": ADD,
    "添加": ADD,
    "增加": ADD,
    "remove": REMOVE,
    "del": REMOVE,
    "移除": REMOVE,
    "移出": REMOVE,
    "删除": REMOVE,
    "chat": CHAT,
    "group": CHAT,
    "部室群": CHAT,
}
_OFF = {"off", "none", "关闭", "取消"}


@dataclass(frozen=True, slots=True)
class DeptCommand:
    name: str
    action: str | None
    rest: str
    # Words before any action: "办公室 吃饭" is a mistyped action, not a department "办公室吃饭".
    words: int = 1


def parse_dept(args: str) -> DeptCommand | None:
    """`部室 [action rest]`; the department's name is everything before the action word."""
    tokens = args.split()
    if not tokens:
        return None
    at = next((i for i, token in enumerate(tokens) if i and token.lower() in _ACTIONS), None)
    if at is None:
        return DeptCommand(normalise_name(" ".join(tokens)), None, "", len(tokens))
    return DeptCommand(
        normalise_name(" ".join(tokens[:at])),
        _ACTIONS[tokens[at].lower()],
        " ".join(tokens[at + 1 :]),
    )


async def dept(update: Update, context: PlanbotContext) -> None:
    sent = incoming(update)
    if sent is None:
        return
    locale = await chat_locale(context, sent.chat.id)
    command = parse_dept(command_args(sent.message.text))
    if command is None:
        await _list(update, context, locale)
    elif not command.name:
        # Only separators or marks (`/dept 、、、`): no name is left to look up.
        await reply_html(update, t(locale, "dept.usage"))
    elif command.action is None:
        await _show(update, context, locale, command)
    elif sent.chat.type == ChatType.PRIVATE:
        await reply_html(update, t(locale, "people.in_group"))
    elif command.action == CHAT:
        await _own_chat(update, context, sent, locale, command)
    else:
        await _membership(update, context, sent, locale, command)


async def _list(update: Update, context: PlanbotContext, locale: str) -> None:
    async with context.services.db.session() as session:
        chat = await chat_for_update(session, update)
        if chat is None or chat.id is None:
            departments, titles = None, {}
        else:
            departments = await list_departments(session, chat.id)
            titles = await own_chat_titles(session, departments)
    if departments is None:
        await reply_html(update, t(locale, "people.no_chat"))
        return
    await reply_html(update, department_lines(departments, titles, locale))


async def _unknown(session: AsyncSession, chat_id: int, name: str, locale: str) -> str:
    known = [d.name for d in await list_departments(session, chat_id)]
    return t(
        locale,
        "dept.unknown",
        name=quoted(name),
        known=esc(t(locale, "list.sep").join(known)) if known else t(locale, "none"),
    )


async def _show(update: Update, context: PlanbotContext, locale: str, command: DeptCommand) -> None:
    async with context.services.db.session() as session:
        chat = await chat_for_update(session, update)
        if chat is None or chat.id is None:
            text = t(locale, "people.no_chat")
        elif (
            department := await get_department_with_members(session, chat.id, command.name)
        ) is None:
            if command.words > 1:
                text = t(locale, "dept.usage")
            else:
                text = await _unknown(session, chat.id, command.name, locale)
        else:
            titles = await own_chat_titles(session, [department])
            text = department_line(department, locale, titles.get(department.tg_chat_id or 0))
    await reply_html(update, text)


async def _membership(
    update: Update,
    context: PlanbotContext,
    sent: Incoming,
    locale: str,
    command: DeptCommand,
) -> None:
    """`/dept NAME add|remove WHO`, sent in a group."""
    message, user, tg_chat = sent.message, sent.user, sent.chat
    if not await may_in_chat(context, Action.DEPT_MEMBERS, tg_chat.id, tg_chat.type, user.id):
        await reply_html(update, t(locale, "dept.admins_only"))
        return
    target = await find_target(context, message, command.rest, tg_chat.id)
    if target.problem is not None:
        await reply_html(update, t(locale, target.problem, **target.detail))
        return
    async with context.services.db.session() as session:
        chat_id = row_id(await group_chat(session, tg_chat))
        department = await get_department_with_members(session, chat_id, command.name)
        if department is None:
            text = await _unknown(session, chat_id, command.name, locale)
        else:
            text = await _change_member(session, chat_id, department, target, command, locale)
    await reply_html(update, text)


async def _candidates(
    session: AsyncSession, chat_id: int, target: Target, locale: str
) -> list[Person] | str | None:
    """The people a target names, the sentence saying why none, or None: nobody was named."""
    if target.account is not None:
        people = await people_by_tg_user(session, chat_id, target.account.id)
        return people or t(locale, "dept.not_bound", user=label(target.account))
    name = normalise_name(target.rest)
    if not name:
        return None
    person = await get_person(session, chat_id, name)
    if person is None:
        return t(locale, "dept.unknown_person", name=quoted(name))
    return [person]


async def _change_member(
    session: AsyncSession,
    chat_id: int,
    department: Department,
    target: Target,
    command: DeptCommand,
    locale: str,
) -> str:
    found = await _candidates(session, chat_id, target, locale)
    dept_name = esc(department.name)
    if found is None:
        return t(locale, "dept.no_target", dept=dept_name)
    if isinstance(found, str):
        return found
    department_id = row_id(department)
    member_ids = {p.id for p in department.members}
    if command.action == ADD:
        person = found[0]
        if person.tg_user_id is None:
            return t(locale, "dept.not_bound", user=esc(person.name))
        if person.id in member_ids:
            return t(locale, "dept.already", person=person_label(person), dept=dept_name)
        await add_member(session, department_id, row_id(person))
        return t(locale, "dept.added", person=person_label(person), dept=dept_name)
    members = [p for p in found if p.id in member_ids]
    if not members:
        return t(locale, "dept.not_member", person=person_label(found[0]), dept=dept_name)
    for person in members:
        await remove_member(session, department_id, row_id(person))
    return t(locale, "dept.removed", person=person_label(members[0]), dept=dept_name)


async def _own_chat(
    update: Update,
    context: PlanbotContext,
    sent: Incoming,
    locale: str,
    command: DeptCommand,
) -> None:
    """`/dept NAME chat [plan id|off]`, sent in the department's own group."""
    user, tg_chat = sent.user, sent.chat
    svc = context.services
    argument = command.rest.strip().lower()
    off = argument in _OFF
    # The one reader of Telegram ids: ² or a number past any id is a bad argument, not a crash.
    plan_tg_id = parse_telegram_id(argument) if argument else None
    if argument and not off and plan_tg_id is None:
        await reply_html(update, t(locale, "dept.usage"))
        return
    name = esc(command.name)
    async with svc.db.session() as session:
        here = await group_chat(session, tg_chat)
        local = await get_department_with_members(session, row_id(here), command.name)
        if local is None:
            found = await departments_elsewhere(
                session,
                command.name,
                not_in_tg_chat_id=tg_chat.id,
                # Named by id, or a configured admin: any group; else where the sender is bound.
                bound_tg_user_id=None if plan_tg_id or svc.is_admin(user.id) else user.id,
                in_tg_chat_id=plan_tg_id,
            )
    if local is not None:
        # Sent in the plan group itself: only switching the department's group off makes sense.
        if not off:
            await reply_html(update, t(locale, "dept.chat_here", dept=name))
            return
        found = [(local, here)]
    if not found:
        await reply_html(update, t(locale, "dept.chat_none", dept=name))
        return
    if len(found) > 1:
        lines = [t(locale, "dept.chat_many", dept=name)]
        lines += [
            t(
                locale,
                "dept.chat_choice",
                chat=esc(c.title or c.tg_chat_id),
                dept=name,
                chat_id=c.tg_chat_id,
            )
            for _, c in found
        ]
        await reply_html(update, lines)
        return
    department, plan_chat = found[0]
    plan_title = esc(plan_chat.title or plan_chat.tg_chat_id)
    # The table's proviso: admins of both groups.
    allowed = await may_in_chat(
        context, Action.DEPT_CHAT, tg_chat.id, tg_chat.type, user.id
    ) and await may_in_chat(
        context,
        Action.DEPT_CHAT,
        plan_chat.tg_chat_id,
        plan_chat.type or ChatType.SUPERGROUP,
        user.id,
    )
    if not allowed:
        await reply_html(update, t(locale, "dept.chat_admins_only", plan_chat=plan_title))
        return
    key = "dept.chat_off" if off else "dept.chat_set"
    async with svc.db.session() as session:
        # Read again: the checks above asked Telegram outside any transaction. Departments are
        # not deleted, but were this one gone, the answer would say so rather than "done".
        stored = await session.get(Department, row_id(department))
        if stored is None:
            text = await _unknown(session, department.chat_id, command.name, locale)
        else:
            stored.tg_chat_id = None if off else tg_chat.id
            text = t(locale, key, dept=name, plan_chat=plan_title)
    await reply_html(update, text)
