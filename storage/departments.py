"""Departments named in plans and who belongs to them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.models import Department, DepartmentMember
from storage.people import clean_name
from storage.unique import add_or_fetch


async def get_department(session: AsyncSession, chat_id: int, name: str) -> Department | None:
    return await session.scalar(
        select(Department).where(Department.chat_id == chat_id, Department.name == clean_name(name))
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
        .where(Department.chat_id == chat_id)
        .order_by(Department.name)
        .options(selectinload(Department.members))
    )
    return list(result)
