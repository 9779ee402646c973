"""storage.rows: the key of a stored row, and the typed names of columns and relationships."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlmodel import col

from storage.models import Chat, Department, Person
from storage.rows import pk, related, row_id


def test_a_row_never_flushed_has_no_id() -> None:
    with pytest.raises(RuntimeError, match="Person has no id yet"):
        row_id(Person(chat_id=1, name="张三"))


async def test_a_flushed_row_has_its_key(db_session: AsyncSession, chat: Chat) -> None:
    person = Person(chat_id=row_id(chat), name="张三")
    db_session.add(person)
    await db_session.flush()
    assert row_id(person) == person.id
    assert isinstance(row_id(person), int)


async def test_pk_and_related_are_the_attributes_themselves(
    db_session: AsyncSession, chat: Chat
) -> None:
    db_session.add(Person(chat_id=row_id(chat), name="张三"))
    await db_session.flush()
    plain = select(Person.id).where(Person.chat_id == chat.id)
    typed = select(pk(Person.id)).where(col(Person.chat_id) == chat.id)
    assert str(typed) == str(plain)
    assert list(await db_session.scalars(typed)) == list(await db_session.scalars(plain))
    query = select(Department).options(selectinload(related(Department.members)))
    assert list(await db_session.scalars(query)) == []


def test_related_refuses_what_is_not_a_mapped_attribute() -> None:
    with pytest.raises(TypeError, match="not a mapped attribute"):
        related("members")
