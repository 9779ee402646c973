"""Departments named in plans and who belongs to them."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlmodel import col

from plans.names import normalise_name
from storage.models import Chat, Department, DepartmentMember, Person
from storage.people import clean_name
from storage.rows import pk, related
from storage.unique import add_or_fetch


async def get_department(session: AsyncSession, chat_id: int, name: str) -> Department | None:
    return await session.scalar(
        select(Department).where(
            col(Department.chat_id) == chat_id, col(Department.name) == clean_name(name)
        )
    )


async def get_or_create_department(session: AsyncSession, chat_id: int, name: str) -> Department:
    """`chat_id` is Chat.id (ours), not the Telegram chat id."""
    name = clean_name(name)
    department = await get_department(session, chat_id, name)
    if department is not None:
        return department
    return await add_or_fetch(
        session,
        Department(chat_id=chat_id, name=name),
        lambda: get_department(session, chat_id, name),
    )


async def add_member(session: AsyncSession, department_id: int, person_id: int) -> None:
    """Idempotent: adding someone twice is not an error."""
    if await session.get(DepartmentMember, (department_id, person_id)) is None:
        await add_or_fetch(
            session,
            DepartmentMember(department_id=department_id, person_id=person_id),
            lambda: session.get(DepartmentMember, (department_id, person_id)),
        )


async def remove_member(session: AsyncSession, department_id: int, person_id: int) -> None:
    member = await session.get(DepartmentMember, (department_id, person_id))
    if member is not None:
        await session.delete(member)
        await session.flush()


async def list_departments(session: AsyncSession, chat_id: int) -> list[Department]:
    """All departments of a chat with `members` loaded."""
    result = await session.scalars(
        select(Department)
        .where(col(Department.chat_id) == chat_id)
        .order_by(col(Department.name))
        .options(selectinload(related(Department.members)))
    )
    return list(result)


async def departments_like(session: AsyncSession, chat_id: int, text: str) -> list[Department]:
    """The department a name means, as /plan's filter reads names (normalised, or part of
    one): the one of exactly that name, else every one whose name contains it."""
    name = normalise_name(text)
    if not name:
        return []
    exact = await get_department(session, chat_id, name)
    if exact is not None:
        return [exact]
    result = await session.scalars(
        select(Department)
        .where(
            col(Department.chat_id) == chat_id,
            col(Department.name).contains(name, autoescape=True),
        )
        .order_by(col(Department.name))
    )
    return list(result)


async def get_department_with_members(
    session: AsyncSession, chat_id: int, name: str
) -> Department | None:
    """One department with `members` loaded (fresh: membership may just have changed)."""
    return await session.scalar(
        select(Department)
        .where(col(Department.chat_id) == chat_id, col(Department.name) == clean_name(name))
        .options(selectinload(related(Department.members)))
        .execution_options(populate_existing=True)
    )


async def departments_elsewhere(
    session: AsyncSession,
    name: str,
    *,
    not_in_tg_chat_id: int,
    bound_tg_user_id: int | None = None,
    in_tg_chat_id: int | None = None,
) -> list[tuple[Department, Chat]]:
    """Departments called `name` in chats other than `not_in_tg_chat_id`, with their chat.

    `bound_tg_user_id` keeps only chats where that account is bound to a name; `in_tg_chat_id`
    keeps only that chat. Used to find the plan group a department's own group belongs to.
    """
    query = (
        select(Department, Chat)
        .join(Chat, pk(Chat.id) == col(Department.chat_id))
        .where(col(Department.name) == clean_name(name), col(Chat.tg_chat_id) != not_in_tg_chat_id)
        .order_by(pk(Chat.id))
    )
    if bound_tg_user_id is not None:
        query = query.where(
            exists().where(
                col(Person.chat_id) == pk(Chat.id), col(Person.tg_user_id) == bound_tg_user_id
            )
        )
    if in_tg_chat_id is not None:
        query = query.where(col(Chat.tg_chat_id) == in_tg_chat_id)
    rows = await session.execute(query)
    return [(department, chat) for department, chat in rows.all()]


async def own_chat_titles(session: AsyncSession, departments: list[Department]) -> dict[int, str]:
    """Telegram chat id → title of the departments' own groups the bot knows."""
    ids = {d.tg_chat_id for d in departments if d.tg_chat_id is not None}
    if not ids:
        return {}
    rows = await session.execute(
        select(col(Chat.tg_chat_id), col(Chat.title)).where(col(Chat.tg_chat_id).in_(ids))
    )
    return {tg_chat_id: title for tg_chat_id, title in rows.all() if title}
