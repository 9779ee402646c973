"""Questions waiting for a button press (storage.models.PendingQuestion).

A question is put when the bot asks it and taken when a button answers it. Taking reads and
deletes in one statement, so of two presses of one button only the first gets the question: the
second finds nothing, as it would after the question expired.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import PendingKind, PendingQuestion


@dataclass(frozen=True, slots=True)
class Question:
    """What a question's buttons need: its JSON payload and who asked."""

    token: str
    kind: PendingKind
    payload: dict[str, Any]
    asked_by: int


@dataclass(frozen=True, slots=True)
class Where:
    """Which question: a token in a Telegram chat, of one kind (a token of another kind is
    someone else's question)."""

    tg_chat_id: int
    kind: PendingKind
    token: str


def _question(row: Any) -> Question:
    """From a PendingQuestion or a row RETURNING its columns."""
    return Question(row.token, PendingKind(row.kind), dict(row.payload), row.asked_by_tg_user_id)


async def put_question(
    session: AsyncSession,
    where: Where,
    payload: dict[str, Any],
    asked_by: int,
    now: datetime,
    lifetime: timedelta,
) -> None:
    """Remember a question until `now + lifetime`; expired ones go meanwhile (there is no
    sweep: asking is frequent enough to keep the table small)."""
    await drop_expired(session, now)
    session.add(
        PendingQuestion(
            tg_chat_id=where.tg_chat_id,
            token=where.token,
            kind=where.kind.value,
            payload=payload,
            asked_by_tg_user_id=asked_by,
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    await session.flush()


def _matching(where: Where, now: datetime) -> Any:
    return (
        (col(PendingQuestion.tg_chat_id) == where.tg_chat_id)
        & (col(PendingQuestion.kind) == where.kind.value)
        & (col(PendingQuestion.token) == where.token)
        & (col(PendingQuestion.expires_at) > now)
    )


async def get_question(session: AsyncSession, where: Where, now: datetime) -> Question | None:
    """The question, if it is still waiting at `now` (a look, not an answer)."""
    row = await session.scalar(select(PendingQuestion).where(_matching(where, now)))
    return None if row is None else _question(row)


async def take_question(session: AsyncSession, where: Where, now: datetime) -> Question | None:
    """The question, deleted; None when it expired or another press took it first."""
    row = await session.execute(
        delete(PendingQuestion)
        .where(_matching(where, now))
        .returning(
            col(PendingQuestion.token),
            col(PendingQuestion.kind),
            col(PendingQuestion.payload),
            col(PendingQuestion.asked_by_tg_user_id),
        )
    )
    taken = row.one_or_none()
    return None if taken is None else _question(taken)


async def drop_question(session: AsyncSession, where: Where) -> None:
    """Forget the question, expired or not (asked anew, or answered another way)."""
    await session.execute(
        delete(PendingQuestion).where(
            (col(PendingQuestion.tg_chat_id) == where.tg_chat_id)
            & (col(PendingQuestion.kind) == where.kind.value)
            & (col(PendingQuestion.token) == where.token)
        )
    )


async def drop_expired(session: AsyncSession, now: datetime) -> int:
    """Forget the questions nobody answered in time; how many."""
    result = await session.execute(
        delete(PendingQuestion).where(col(PendingQuestion.expires_at) <= now)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
