"""The permission matrix, cell by cell, through the running bot: for every action that changes
something (bot/operations/policy.py's RULES) and every role, the role's user does it in the
chat as people do (a command, or a button press); a cell the table allows must change the
database, a cell it refuses must change nothing and be answered with one sentence.

The plan: seven items, each led by 董军 with 办公室 as its department. The roles, each a user:
the configured admin (bound to no name), a Telegram administrator of the group (bound to no
name), 董军 (the items' leader), 小王 (a member of 办公室), 李四 (bound to a name that answers
for nothing) and 张三 (bound to no name). Role number i acts on item i, or on its own name,
department or setting, so that one cell never sees another's change.

`[access] anyone_can_update = true` is run too for the actions whose rule it opens, and for
/ack and ⏰, which it must not open.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.operations.imports import import_plan, parse_for_import
from bot.operations.policy import RULES, Action, Role, allows, matrix, who
from bot.operations.who import Origin
from bot.sandbox import Chat, Message, User
from bot.views.buttons import SNOOZE, item_callback
from storage.chats import get_chat, get_or_create_chat
from storage.departments import add_member, get_or_create_department
from storage.item_changes import Author
from storage.models import Chat as ChatRow
from storage.parts import close_item, report_item_progress
from storage.people import bind_person
from tests.support.chat import SHANGHAI, database_rows, item_ids, office_time, post_about
from tests.support.harness import Harness, running_bot

ROLES = list(Role)
# Role number i (from 1) acts on item i, name i, department i.
SEQ = {role: n for n, role in enumerate(ROLES, start=1)}
NAMES = ["赵甲", "钱乙", "孙丙", "周丁", "吴戊", "郑己"]
DEPARTMENTS = ["一部", "二部", "三部", "四部", "五部", "六部"]
TASKS = ["开展调研", "召开会议", "整理档案", "报送材料", "组织培训", "检查督办", "编写简报"]
PLAN = "荆州市总工会十月份工作计划\n" + "".join(
    f"{n}、{task}\n责任领导：董军\n责任部室：办公室\n完成时限：10月31日\n"
    for n, task in enumerate(TASKS, start=1)
)
# The bookkeeping of who the bot has seen changes with any message; it is no permission's.
_SEEN = "tg_account"
# Where /calendar's links point (it answers no link without one).
PUBLIC = "https://plan.example.gov.cn"
# Actions `anyone_can_update` opens, and the responsible people's ones it must not.
OPENED_CASES = [a for a, r in RULES.items() if r.opened_by_anyone_can_update] + [
    Action.ACK,
    Action.SNOOZE,
]
CASES = [(a, False) for a in Action] + [(a, True) for a in OPENED_CASES]


@dataclass
class Office:
    bot: Harness
    users: dict[Role, User]
    own: Chat  # a department's own group, for /dept … chat
    helpers: list[User] = field(default_factory=list)
    hellos: list[Message] = field(default_factory=list)
    buttons: dict[int, Message] = field(default_factory=dict)

    async def rows(self) -> dict[str, list[tuple[object, ...]]]:
        tables = await database_rows(self.bot)
        tables.pop(_SEEN)
        return tables


@dataclass(frozen=True)
class Answer:
    """What the actor saw: the bot's messages, or the pop-up a press got."""

    texts: list[str]


async def _chat_row(bot: Harness, chat: Chat) -> ChatRow:
    async with bot.db.session() as session:
        row = await get_or_create_chat(session, chat.id, title=chat.title or "", type=chat.type)
        await session.flush()
        return row


async def _bind(bot: Harness, name: str, user: User, department: str | None = None) -> None:
    async with bot.db.session() as session:
        chat = await get_chat(session, bot.group.id)
        assert chat is not None and chat.id is not None
        person = await bind_person(session, chat.id, name, user.id)
        if department is not None:
            dept = await get_or_create_department(session, chat.id, department)
            assert dept.id is not None and person.id is not None
            await add_member(session, dept.id, person.id)


async def _office(bot: Harness) -> Office:
    sandbox = bot.sandbox
    parsed = parse_for_import(PLAN, today=date(2020, 10, 1))
    group = bot.group
    origin = Origin(group.id, group.title or "", group.type)
    await import_plan(bot.db, bot.application.bot_data.services.planner, origin, parsed, PLAN)
    chief = sandbox.add_user("主任")
    sandbox.set_admin(group, chief)
    users = {
        Role.CONFIGURED_ADMIN: bot.admin,
        Role.GROUP_ADMIN: chief,
        Role.LEADER: sandbox.add_user("董军"),
        Role.DEPARTMENT_MEMBER: sandbox.add_user("小王"),
        Role.MEMBER: sandbox.add_user("李四"),
        Role.UNBOUND: bot.member,
    }
    await _bind(bot, "董军", users[Role.LEADER])
    await _bind(bot, "小王", users[Role.DEPARTMENT_MEMBER], "办公室")
    await _bind(bot, "李四", users[Role.MEMBER])
    own = sandbox.add_chat("supergroup", title="办公室工作群")
    sandbox.set_admin(own, chief)
    return Office(bot, users, own)


async def _say(office: Office, text: str, user: User, **kw: object) -> Answer:
    return Answer([m.text or "" for m in await office.bot.say(text, user=user, **kw)])


async def _press(office: Office, message: Message, data: str, user: User) -> Answer:
    bot = office.bot
    answers = len(bot.sandbox.callback_answers)
    sent = len(bot.sandbox.sent(message.chat))
    bot.sandbox.press_button(message, user, data)
    bot.pushed += 1
    await bot.settle()
    popups = [a.text or "" for a in bot.sandbox.callback_answers[answers:] if a.text]
    return Answer([m.text or "" for m in bot.sandbox.sent(message.chat)[sent:]] + popups)


def _data(message: Message, prefix: str) -> str:
    return next(
        b["callback_data"] for b in message.buttons if b["callback_data"].startswith(prefix)
    )


# --- each action: what to set up once, and what role number i does ----------------------------

Prepare = Callable[[Office], Awaitable[None]]
Perform = Callable[[Office, User, int], Awaitable[Answer]]


async def _nothing(office: Office) -> None:
    return None


async def _all_done(office: Office) -> None:
    async with office.bot.db.session() as session:
        for item_id in await item_ids(office.bot, *range(1, 8)):
            await close_item(session, item_id, Author(office.bot.admin.id, "管理员"), _now())


async def _own_changes(office: Office) -> None:
    """Each role made a change of its own a minute ago (as `anyone_can_update` would let it)."""
    async with office.bot.db.session() as session:
        ids = await item_ids(office.bot, *range(1, 8))
        for role, user in office.users.items():
            author = Author(user.id, user.first_name)
            await report_item_progress(session, ids[SEQ[role] - 1], author, 30, _now())


async def _buttons(office: Office) -> None:
    """A reminder-like message per item with its ⏰ button."""
    for seq, item_id in zip(range(1, 8), await item_ids(office.bot, *range(1, 8)), strict=True):
        button = InlineKeyboardButton("⏰", callback_data=item_callback(SNOOZE, item_id))
        markup = InlineKeyboardMarkup([[button]])
        office.buttons[seq] = await post_about(office.bot, [seq], reply_markup=markup)


async def _requests(office: Office) -> None:
    """A second member of 办公室 asks for every item's extension: the leader is asked."""
    bot = office.bot
    asker = bot.sandbox.add_user("小李")
    await _bind(bot, "小李", asker, "办公室")
    for seq in range(1, 8):
        sent = await bot.say(f"/extend {seq} 11月15日 等待批复", user=asker)
        office.buttons[seq] = next(m for m in sent if m.buttons)


async def _claims(office: Office) -> None:
    """Completion review on; a second member of 办公室 reports every item done: each awaits
    review, with its ✅ 销号 / ↩️ 退回 question."""
    bot = office.bot
    await bot.say("/review on", user=bot.admin)
    claimant = bot.sandbox.add_user("小赵")
    await _bind(bot, "小赵", claimant, "办公室")
    for seq in range(1, 8):
        sent = await bot.say(f"/done {seq}", user=claimant)
        office.buttons[seq] = next(m for m in sent if m.buttons)


async def _helpers(office: Office) -> None:
    """Someone to bind or add per role: each has written in the group, each bound to name i."""
    bot = office.bot
    for n, name in enumerate(NAMES, start=1):
        helper = bot.sandbox.add_user(f"帮手{n}")
        office.helpers.append(helper)
        hello = bot.sandbox.send_text(bot.group, helper, "大家好")
        bot.pushed += 1
        await bot.settle()
        office.hellos.append(hello)
        await _bind(bot, name, helper)


async def _departments(office: Office) -> None:
    async with office.bot.db.session() as session:
        chat = await get_chat(session, office.bot.group.id)
        assert chat is not None and chat.id is not None
        for name in DEPARTMENTS:
            await get_or_create_department(session, chat.id, name)


async def _lang(office: Office, user: User, i: int) -> Answer:
    async with office.bot.db.session() as session:
        chat = await get_chat(session, office.bot.group.id)
        current = chat.locale if chat is not None else None
    return await _say(office, "/lang zh" if current == "en" else "/lang en", user)


async def _delete(office: Office, user: User, i: int) -> Answer:
    asked = await office.bot.say(f"/delete {i}", user=user)
    if asked and asked[-1].buttons:  # the question only; the same person confirms
        return await _press(office, asked[-1], _data(asked[-1], "itdel:ok:"), user)
    return Answer([m.text or "" for m in asked])


def _now() -> datetime:
    return datetime.now(SHANGHAI)


PLAYS: dict[Action, tuple[Prepare, Perform]] = {
    Action.DONE: (_nothing, lambda o, u, i: _say(o, f"/done {i}", u)),
    Action.PROGRESS: (_nothing, lambda o, u, i: _say(o, f"/progress {i} 60%", u)),
    Action.UNDO: (_own_changes, lambda o, u, i: _say(o, "/undo", u)),
    Action.REOPEN: (_all_done, lambda o, u, i: _say(o, f"/reopen {i}", u)),
    Action.ADD: (
        _nothing,
        lambda o, u, i: _say(o, f"/add 新事项{i} | 董军 | 办公室 | 10月31日", u),
    ),
    Action.EDIT: (_nothing, lambda o, u, i: _say(o, f"/edit {i} 时限 10月2{i}日", u)),
    Action.DELETE: (_nothing, _delete),
    Action.ACK: (_nothing, lambda o, u, i: _say(o, f"/ack {i}", u)),
    Action.SNOOZE: (
        _buttons,
        lambda o, u, i: _press(
            o, o.buttons[i], _data(o.buttons[i], item_callback(SNOOZE, 0)[:-1]), u
        ),
    ),
    Action.EXTEND_REQUEST: (_nothing, lambda o, u, i: _say(o, f"/extend {i} 11月15日 来不及", u)),
    Action.EXTEND_DECISION: (
        _requests,
        lambda o, u, i: _press(o, o.buttons[i], _data(o.buttons[i], "ext:ok:"), u),
    ),
    Action.REVIEW: (
        _claims,
        lambda o, u, i: _press(o, o.buttons[i], _data(o.buttons[i], "rv:ok:"), u),
    ),
    Action.IAM: (_nothing, lambda o, u, i: _say(o, f"/iam {NAMES[i - 1]}", u)),
    Action.BIND: (
        _helpers,
        lambda o, u, i: _say(o, f"/bind 新名{i}", u, reply_to=o.hellos[i - 1]),
    ),
    Action.UNBIND: (_helpers, lambda o, u, i: _say(o, f"/unbind {NAMES[i - 1]}", u)),
    Action.DEPT_MEMBERS: (
        _helpers,
        lambda o, u, i: _say(o, "/dept 办公室 add", u, reply_to=o.hellos[i - 1]),
    ),
    Action.DEPT_CHAT: (
        _departments,
        lambda o, u, i: _say(o, f"/dept {DEPARTMENTS[i - 1]} chat {o.bot.group.id}", u, chat=o.own),
    ),
    Action.IMPORT: (_nothing, lambda o, u, i: _say(o, "/import " + PLAN, u)),
    Action.REMIND_SETTINGS: (_nothing, lambda o, u, i: _say(o, f"/remind at 08:1{i}", u)),
    Action.LANG: (_nothing, _lang),
    # A group's calendar link (the same Action as /board reset, whose command the guard keeps
    # to admins: tests/bot/test_board.py).
    Action.LINK_RESET: (_nothing, lambda o, u, i: _say(o, "/calendar reset", u)),
}


def test_every_action_of_the_table_is_played():
    assert set(PLAYS) == set(Action) == set(RULES)
    assert len(CASES) * len(ROLES) == 156, "the README's figure of matrix cells"


@pytest.mark.parametrize(
    ("action", "anyone_can_update"),
    CASES,
    ids=[f"{a.value.replace(' ', '_')}{'-anyone' if o else ''}" for a, o in CASES],
)
async def test_each_cell_of_the_matrix(tmp_path: Path, action: Action, anyone_can_update: bool):
    access = {"anyone_can_update": anyone_can_update}
    with office_time(2020, 10, 20):
        async with running_bot(tmp_path, access=access, http={"public_url": PUBLIC}) as bot:
            office = await _office(bot)
            prepare, perform = PLAYS[action]
            await prepare(office)
            wrong: dict[str, str] = {}
            for role, user in office.users.items():
                allowed = allows(action, {role}, anyone_can_update=anyone_can_update)
                before = await office.rows()
                answer = await perform(office, user, SEQ[role])
                changed = await office.rows() != before
                said = " / ".join(answer.texts)
                if allowed and not changed:
                    wrong[role.value] = f"allowed, but nothing changed: {said!r}"
                elif not allowed and changed:
                    wrong[role.value] = f"refused by the table, but it changed: {said!r}"
                elif not allowed and (len(answer.texts) != 1 or "\n" in answer.texts[0]):
                    wrong[role.value] = f"refused with other than one sentence: {said!r}"
            assert wrong == {}


# --- the README says the same -----------------------------------------------------------------

README = Path(__file__).resolve().parents[2] / "README.md"
# A command table row of the README → the action its "who" column is about; `view` rows show
# something to anyone and change it only for the table's roles.
README_ROWS: dict[str, tuple[Action, bool]] = {
    "`/done N [note]`": (Action.DONE, False),
    "`/progress N 60% [note]`": (Action.PROGRESS, False),
    "`/undo`": (Action.UNDO, False),
    "`/ack N`": (Action.ACK, False),
    "`/extend N 11月15日 理由`": (Action.EXTEND_REQUEST, False),
    "`/iam 姓名`": (Action.IAM, False),
    "`/lang`": (Action.LANG, True),
    "`/remind`": (Action.REMIND_SETTINGS, True),
    "`/review`": (Action.REMIND_SETTINGS, True),
    "`/return N 理由`": (Action.REVIEW, False),
    "`/import` + plan text": (Action.IMPORT, False),
    "`/add 标题": (Action.ADD, False),
    "`/edit N 字段 值`": (Action.EDIT, False),
    "`/delete N`": (Action.DELETE, False),
    "`/reopen N`": (Action.REOPEN, False),
    "`/bind @用户 姓名`": (Action.BIND, False),
    "`/unbind 姓名`": (Action.UNBIND, False),
    "`/dept 部室 add @用户`": (Action.DEPT_MEMBERS, False),
    "`/dept 部室 chat": (Action.DEPT_CHAT, False),
}


def _who_column(readme: str, row_start: str) -> str:
    rows = [line for line in readme.splitlines() if line.startswith(f"| {row_start}")]
    assert len(rows) == 1, f"one README command row starts with {row_start!r}"
    cells = [c.strip() for c in re.split(r"(?<!\\)\|", rows[0])]
    return cells[2]


def test_the_readme_command_table_says_who_as_the_permission_table_does():
    readme = README.read_text(encoding="utf-8")
    wrong = {}
    for row, (action, view) in README_ROWS.items():
        expected = f"anyone to view; {who(action)} to change" if view else who(action)
        if _who_column(readme, row) != expected:
            wrong[row] = (_who_column(readme, row), expected)
    assert wrong == {}, "(README, the table's words)"


def test_the_readme_permission_matrix_is_the_tables():
    readme = README.read_text(encoding="utf-8")
    assert "\n".join(matrix()) in readme, "regenerate with: python -m bot.operations.policy"
