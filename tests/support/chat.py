"""What the chat tests share: the sample plan imported the way /import stores it, people bound
to names, button presses, and "today" pinned in the office's zone."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import select
from sqlmodel import SQLModel

from bot.operations.imports import import_plan, parse_for_import
from bot.operations.who import Origin
from bot.sandbox import CallbackAnswer, Chat, Message, User
from plans.sample import sample_text
from storage.chats import get_chat, get_or_create_chat
from storage.departments import add_member, get_department, get_or_create_department
from storage.messages import record_message
from storage.models import Chat as ChatRow
from storage.models import Item, Plan
from storage.people import bind_person
from tests.support.harness import Harness

SHANGHAI = ZoneInfo("Asia/Shanghai")


@contextmanager
def office_time(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> Iterator[None]:
    """Pin the clock (ticking) to that moment in Shanghai; the bot's today follows."""
    moment = datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)
    with time_machine.travel(moment, tick=True):
        yield


async def seed(bot: Harness, chat: Chat | None = None, *, today: date | None = None) -> int:
    """The sample October 2020 plan imported into `chat` (the group) as if on `today` (the
    bot's today by default); returns our chat id."""
    chat = chat or bot.group
    text = sample_text()
    where = Origin(chat.id, chat.title or "", chat.type, chat.is_forum)
    planner = bot.application.bot_data.services.planner
    parsed = parse_for_import(text, today=today or _today())
    await import_plan(bot.db, planner, where, parsed, text)
    async with bot.db.session() as session:
        row = await get_chat(session, chat.id)
        assert row is not None and row.id is not None
        return row.id


async def import_sample(bot: Harness, chat: Chat | None = None) -> None:
    """The sample plan imported as on 2020-10-01, whatever the clock says."""
    await seed(bot, chat, today=date(2020, 10, 1))


def _today() -> date:
    return datetime.now(SHANGHAI).date()


async def bind(bot: Harness, name: str, user: User, chat: Chat | None = None) -> None:
    async with bot.db.session() as session:
        row = await get_or_create_chat(session, (chat or bot.group).id)
        await session.flush()
        assert row.id is not None
        await bind_person(session, row.id, name, user.id)


async def iam(bot: Harness, name: str, user: User, chat: Chat | None = None, **say: Any) -> None:
    """`user` sends `/iam name`; when it waits for an admin's yes (a name with duties, or one
    someone else holds), the admin presses Confirm."""
    replies = await bot.say(f"/iam {name}", user=user, chat=chat, **say)
    asked = [m for m in replies if any(b["callback_data"].startswith("iam:ok:") for b in m.buttons)]
    if asked:
        await tap(bot, asked[0], "iam:ok:", bot.admin)


async def join(bot: Harness, department: str, name: str, user: User) -> None:
    """`user`, bound as `name`, becomes a member of `department`."""
    async with bot.db.session() as session:
        row = await get_or_create_chat(session, bot.group.id)
        await session.flush()
        assert row.id is not None
        person = await bind_person(session, row.id, name, user.id)
        dept = await get_or_create_department(session, row.id, department)
        assert dept.id is not None and person.id is not None
        await add_member(session, dept.id, person.id)


async def department_group(
    bot: Harness, department: str, member: User | None = None, name: str = ""
) -> Chat:
    """A new group made `department`'s own (of bot.group's plan), where its reminders go;
    `member`, if given, bound as `name` in the plan group and a member of the department."""
    own = bot.sandbox.add_chat("supergroup", title=department)
    async with bot.db.session() as session:
        chat = await get_chat(session, bot.group.id)
        assert chat is not None and chat.id is not None
        row = await get_department(session, chat.id, department)
        assert row is not None and row.id is not None
        row.tg_chat_id = own.id
        if member is not None:
            person = await bind_person(session, chat.id, name, member.id)
            assert person.id is not None
            await add_member(session, row.id, person.id)
    return own


async def department_id(bot: Harness, name: str) -> int:
    """The row id of bot.group's department called `name`."""
    async with bot.db.session() as session:
        chat = await get_chat(session, bot.group.id)
        assert chat is not None and chat.id is not None
        department = await get_department(session, chat.id, name)
        assert department is not None and department.id is not None
        return department.id


async def item_ids(bot: Harness, *seqs: int, chat: Chat | None = None) -> list[int]:
    """The row ids of items by number: in `chat`'s plans when given, else in whichever plan
    has them (tests with one group)."""
    query = select(Item.seq, Item.id).join(Plan)
    if chat is not None:
        query = query.join(ChatRow, ChatRow.id == Plan.chat_id).where(ChatRow.tg_chat_id == chat.id)
    async with bot.db.session() as session:
        by_seq = dict((await session.execute(query)).all())
    return [by_seq[seq] for seq in seqs]


async def item_row(bot: Harness, seq: int) -> Item:
    async with bot.db.session() as session:
        item = await session.scalar(select(Item).where(Item.seq == seq))
        assert item is not None
        return item


async def post_about(bot: Harness, seqs: list[int], text: str = "提醒", **kw) -> Message:
    """A bot message about these items, recorded like a reminder, with `reply_markup` if
    given (kw go to send_message)."""
    message = await bot.application.bot.send_message(bot.group.id, text, **kw)
    async with bot.db.session() as session:
        shown = await item_ids(bot, *seqs, chat=bot.group)
        await record_message(session, bot.group.id, message.message_id, shown)
    return next(m for m in bot.sandbox.sent(bot.group) if m.message_id == message.message_id)


async def press(bot: Harness, message: Message, callback_data: str, user: User) -> list[Message]:
    """`user` presses the button; returns what the bot then sent into that chat."""
    before = len(bot.sandbox.sent(message.chat))
    bot.sandbox.press_button(message, user, callback_data)
    bot.pushed += 1
    await bot.settle()
    return bot.sandbox.sent(message.chat)[before:]


async def tap(
    bot: Harness, message: Message, data_prefix: str, user: User
) -> tuple[list[Message], list[CallbackAnswer]]:
    """`user` presses the button of `message` whose callback data starts with the prefix;
    returns what the bot then sent into that chat and the answers to the press."""
    data = next(
        b["callback_data"] for b in message.buttons if b["callback_data"].startswith(data_prefix)
    )
    answers = len(bot.sandbox.callback_answers)
    sent = await press(bot, message, data, user)
    return sent, bot.sandbox.callback_answers[answers:]


def button(message: Message, label_part: str) -> str:
    return next(b["callback_data"] for b in message.buttons if label_part in b["text"])


def joined(replies: list[Message]) -> str:
    return "\n".join(m.text or "" for m in replies)


async def database_rows(bot: Harness) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in a stable order: compare two to see that nothing changed."""
    tables: dict[str, list[tuple[object, ...]]] = {}
    async with bot.db.session() as session:
        for table in SQLModel.metadata.sorted_tables:
            rows = (await session.execute(select(table))).all()
            tables[table.name] = sorted((tuple(row) for row in rows), key=repr)
    return tables
