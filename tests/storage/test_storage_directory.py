"""Chats, people and departments: get-or-create, binding Telegram accounts, membership."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.chats import get_chat, get_or_create_chat, migrate_chat
from storage.departments import (
    add_member,
    get_or_create_department,
    list_departments,
    remove_member,
)
from storage.models import Chat, Person
from storage.people import (
    bind_person,
    find_person_by_tg_user,
    get_or_create_person,
    get_person,
    list_people,
    people_by_tg_user,
)
from storage.unique import add_or_fetch


async def test_chat_is_created_once_and_kept_current(db_session: AsyncSession) -> None:
    chat = await get_or_create_chat(db_session, -100500, title="旧名", type="group")
    await db_session.commit()

    same = await get_or_create_chat(
        db_session, -100500, title="新名", type="supergroup", is_forum=True
    )
    await db_session.commit()

    assert same.id == chat.id
    assert (same.title, same.type, same.is_forum) == ("新名", "supergroup", True)
    assert await db_session.scalar(select(func.count()).select_from(Chat)) == 1


async def test_group_upgraded_to_supergroup_keeps_its_row(db_session: AsyncSession) -> None:
    chat = await get_or_create_chat(db_session, -42, title="组", type="group")
    await db_session.commit()

    moved = await migrate_chat(db_session, -42, -1_009_999_999_999)
    await db_session.commit()

    assert moved is not None and moved.id == chat.id
    assert await get_chat(db_session, -42) is None
    found = await get_chat(db_session, -1_009_999_999_999)
    assert found is not None and found.type == "supergroup"
    assert await migrate_chat(db_session, -42, -1) is None


async def test_losing_an_insert_race_returns_the_winner(
    db_session: AsyncSession, chat: Chat
) -> None:
    """What get_or_create does when another writer inserted the same name after our lookup."""
    chat_id: int = chat.id
    winner = await get_or_create_person(db_session, chat_id, "张三")
    await db_session.commit()

    result = await add_or_fetch(
        db_session,
        Person(chat_id=chat_id, name="张三"),
        lambda: get_person(db_session, chat_id, "张三"),
    )

    assert result.id == winner.id
    # Only the savepoint was rolled back: the transaction goes on (PostgreSQL would refuse
    # every further statement otherwise).
    await get_or_create_person(db_session, chat_id, "李四")
    await db_session.commit()
    assert [p.name for p in await list_people(db_session, chat_id)] == ["张三", "李四"]


async def test_people_are_matched_by_cleaned_name(db_session: AsyncSession, chat: Chat) -> None:
    chat_id: int = chat.id
    a = await get_or_create_person(db_session, chat_id, "张三")
    b = await get_or_create_person(db_session, chat_id, " 张三 ")
    assert a.id == b.id
    with pytest.raises(ValueError, match="empty"):
        await get_or_create_person(db_session, chat_id, "   ")


async def test_binding_a_telegram_account(db_session: AsyncSession, chat: Chat) -> None:
    chat_id: int = chat.id
    await get_or_create_person(db_session, chat_id, "张三")
    assert await find_person_by_tg_user(db_session, chat_id, 1001) is None

    bound = await bind_person(db_session, chat_id, "张三", 1001, "@zhangsan")
    await db_session.commit()
    assert (bound.tg_user_id, bound.username) == (1001, "zhangsan")
    found = await find_person_by_tg_user(db_session, chat_id, 1001)
    assert found is not None and found.id == bound.id

    # The same account may stand for a second name; a person not yet known is created.
    other = await bind_person(db_session, chat_id, "张主席", 1001)
    await db_session.commit()
    assert [p.name for p in await people_by_tg_user(db_session, chat_id, 1001)] == [
        "张三",
        "张主席",
    ]
    assert other.username is None
    # Telegram user ids do not fit in 32 bits any more.
    big = await bind_person(db_session, chat_id, "李四", 7_123_456_789)
    await db_session.commit()
    db_session.expunge_all()
    reloaded = await db_session.get(Person, big.id)
    assert reloaded is not None and reloaded.tg_user_id == 7_123_456_789


async def test_departments_and_members(db_session: AsyncSession, chat: Chat) -> None:
    chat_id: int = chat.id
    office = await get_or_create_department(db_session, chat_id, "办公室")
    assert (await get_or_create_department(db_session, chat_id, "办公室")).id == office.id
    zhang = await get_or_create_person(db_session, chat_id, "张三")
    li = await get_or_create_person(db_session, chat_id, "李四")

    await add_member(db_session, office.id, zhang.id)
    await add_member(db_session, office.id, li.id)
    await add_member(db_session, office.id, zhang.id)
    await db_session.commit()
    departments = await list_departments(db_session, chat_id)
    assert [(d.name, [m.name for m in d.members]) for d in departments] == [
        ("办公室", ["张三", "李四"])
    ]

    await remove_member(db_session, office.id, zhang.id)
    await db_session.commit()
    db_session.expunge_all()
    departments = await list_departments(db_session, chat_id)
    assert [m.name for m in departments[0].members] == ["李四"]
