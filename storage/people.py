"""People named in plans, and their Telegram accounts once known."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import DepartmentMember, ItemLeader, Person
from storage.rows import pk
from storage.unique import add_or_fetch


def clean_name(name: str) -> str:
    """Whitespace-trimmed name; the real normalisation happens in plans before this."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValueError("a person's name must not be empty")
    return cleaned


async def get_person(session: AsyncSession, chat_id: int, name: str) -> Person | None:
    return await session.scalar(
        select(Person).where(col(Person.chat_id) == chat_id, col(Person.name) == clean_name(name))
    )


async def get_or_create_person(session: AsyncSession, chat_id: int, name: str) -> Person:
    """`chat_id` is Chat.id (ours), not the Telegram chat id."""
    name = clean_name(name)
    person = await get_person(session, chat_id, name)
    if person is not None:
        return person
    return await add_or_fetch(
        session, Person(chat_id=chat_id, name=name), lambda: get_person(session, chat_id, name)
    )


async def bind_person(
    session: AsyncSession,
    chat_id: int,
    name: str,
    tg_user_id: int,
    username: str | None = None,
) -> Person:
    """Record that the person called `name` in this chat is Telegram user `tg_user_id`.

    One Telegram account may be bound to several names (a leader written two ways, a secretary
    acting for two leaders), so other people bound to the same account are left alone.
    """
    person = await get_or_create_person(session, chat_id, name)
    person.tg_user_id = tg_user_id
    if username is not None:
        person.username = username.removeprefix("@") or None
    await session.flush()
    return person


async def people_by_tg_user(session: AsyncSession, chat_id: int, tg_user_id: int) -> list[Person]:
    result = await session.scalars(
        select(Person)
        .where(col(Person.chat_id) == chat_id, col(Person.tg_user_id) == tg_user_id)
        .order_by(pk(Person.id))
    )
    return list(result)


async def find_person_by_tg_user(
    session: AsyncSession, chat_id: int, tg_user_id: int
) -> Person | None:
    """The first person bound to this account (see people_by_tg_user for all of them)."""
    people = await people_by_tg_user(session, chat_id, tg_user_id)
    return people[0] if people else None


async def list_people(session: AsyncSession, chat_id: int) -> list[Person]:
    result = await session.scalars(
        select(Person).where(col(Person.chat_id) == chat_id).order_by(col(Person.name))
    )
    return list(result)


async def find_person_by_username(
    session: AsyncSession, chat_id: int, username: str
) -> Person | None:
    """A person bound to this @username (Telegram usernames are case-insensitive)."""
    wanted = username.removeprefix("@").lower()
    if not wanted:
        return None
    return await session.scalar(
        select(Person)
        .where(
            col(Person.chat_id) == chat_id,
            col(Person.tg_user_id).is_not(None),
            func.lower(col(Person.username)) == wanted,
        )
        .order_by(pk(Person.id))
        .limit(1)
    )


async def unbind_person(session: AsyncSession, chat_id: int, name: str) -> Person | None:
    """Forget which account `name` is; the person stays (plans still name them). None: unknown."""
    person = await get_person(session, chat_id, name)
    if person is not None:
        person.tg_user_id = None
        person.username = None
        await session.flush()
    return person


async def leader_ids(session: AsyncSession, chat_id: int) -> set[int]:
    """Ids of the chat's people who lead at least one plan item."""
    rows = await session.scalars(
        select(pk(ItemLeader.person_id))
        .join(Person, pk(Person.id) == pk(ItemLeader.person_id))
        .where(col(Person.chat_id) == chat_id)
        .distinct()
    )
    return {person_id for person_id in rows if person_id is not None}


async def has_duties(session: AsyncSession, person_id: int) -> bool:
    """Whether whoever is bound to this person answers for items: the person leads an item of
    any of the group's plans, or is a member of one of its departments."""
    leads = select(pk(ItemLeader.person_id)).where(pk(ItemLeader.person_id) == person_id)
    member = select(col(DepartmentMember.person_id)).where(
        col(DepartmentMember.person_id) == person_id
    )
    return (await session.scalar(leads.union_all(member).limit(1))) is not None
