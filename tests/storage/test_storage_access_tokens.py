"""Access tokens: a scope's link is stable until reset, a reset kills the old link, the secret is
generated once and shared, and revision 0016 upgrades a database holding data."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, text

from storage.access_tokens import (
    TokenScope,
    link_token,
    reset_token,
    resolve_token,
    server_secret,
    token_hash,
)
from storage.db import Database
from storage.departments import get_or_create_department
from storage.migrate import downgrade_async, upgrade_async
from storage.models import AccessKind, AccessToken
from tests.support.old_schema import insert_march_meeting
from tests.support.storage import NOW

BOARD, ICS = AccessKind.BOARD, AccessKind.ICS


async def test_a_groups_link_is_the_same_until_reset_and_then_the_old_one_opens_nothing(
    db_session, chat
):
    secret = await server_secret(db_session, None)
    first = await link_token(db_session, BOARD, secret=secret, now=NOW, chat_id=chat.id)
    again = await link_token(db_session, BOARD, secret=secret, now=NOW, chat_id=chat.id)
    await db_session.commit()
    assert first == again
    assert len(first) >= 22, "at least 128 bits in base64url"
    assert await resolve_token(db_session, BOARD, first) == TokenScope(BOARD, chat_id=chat.id)

    later = NOW + timedelta(days=1)
    fresh = await reset_token(db_session, BOARD, secret=secret, now=later, chat_id=chat.id)
    await db_session.commit()
    assert fresh != first
    assert await resolve_token(db_session, BOARD, first) is None
    assert await resolve_token(db_session, BOARD, fresh) == TokenScope(BOARD, chat_id=chat.id)
    assert await link_token(db_session, BOARD, secret=secret, now=later, chat_id=chat.id) == fresh

    rows = (await db_session.execute(select(AccessToken))).scalars().all()
    assert sorted((r.generation, r.revoked_at is not None) for r in rows) == [(1, True), (2, False)]
    assert all(first not in r.token_hash and fresh not in r.token_hash for r in rows)
    assert {r.token_hash for r in rows} == {token_hash(first), token_hash(fresh)}


async def test_tokens_of_other_kinds_scopes_and_garbage_open_nothing(db_session, chat):
    secret = await server_secret(db_session, None)
    department = await get_or_create_department(db_session, chat.id, "办公室")
    board = await link_token(db_session, BOARD, secret=secret, now=NOW, chat_id=chat.id)
    feed = await link_token(db_session, ICS, secret=secret, now=NOW, chat_id=chat.id)
    mine = await link_token(db_session, ICS, secret=secret, now=NOW, tg_user_id=2**40)
    office = await link_token(db_session, ICS, secret=secret, now=NOW, department_id=department.id)
    await db_session.commit()
    assert len({board, feed, mine, office}) == 4
    assert await resolve_token(db_session, ICS, board) is None, "a board link is no feed"
    assert await resolve_token(db_session, BOARD, feed) is None
    assert await resolve_token(db_session, ICS, mine) == TokenScope(ICS, tg_user_id=2**40)
    assert await resolve_token(db_session, ICS, office) == TokenScope(
        ICS, department_id=department.id
    )
    for hostile in ("", "x", board[:-1], board + "A", "' OR 1=1 --", "\udcff", "a" * 5000):
        assert await resolve_token(db_session, BOARD, hostile) is None


async def test_the_generated_secret_is_kept_and_a_configured_one_wins(db, db_session):
    generated = await server_secret(db_session, None)
    await db_session.commit()
    async with db.session() as other:
        assert await server_secret(other, None) == generated, "every instance derives the same"
    assert len(generated) == 32
    assert await server_secret(db_session, "configured") == b"configured"


async def test_a_new_secret_replaces_every_link_as_it_is_shown(db_session, chat):
    old_secret = await server_secret(db_session, None)
    old = await link_token(db_session, BOARD, secret=old_secret, now=NOW, chat_id=chat.id)
    new = await link_token(db_session, BOARD, secret=b"rotated", now=NOW, chat_id=chat.id)
    await db_session.commit()
    assert new != old
    assert await resolve_token(db_session, BOARD, old) is None
    assert await resolve_token(db_session, BOARD, new) == TokenScope(BOARD, chat_id=chat.id)


async def test_revision_0016_upgrades_a_database_with_data_and_goes_back(database_url):
    await upgrade_async(database_url, "0013")
    old = Database.from_url(database_url)
    async with old.engine.begin() as connection:
        await insert_march_meeting(connection, NOW, quarter=0, archived=False)
    await old.close()

    await upgrade_async(database_url, "0016")
    db = Database.from_url(database_url)
    try:
        async with db.session() as session:
            secret = await server_secret(session, None)
            token = await link_token(session, BOARD, secret=secret, now=NOW, chat_id=1)
            await session.commit()
            assert await resolve_token(session, BOARD, token) == TokenScope(BOARD, chat_id=1)
    finally:
        await db.close()

    await downgrade_async(database_url, "0013")
    check = Database.from_url(database_url)
    try:
        async with check.engine.connect() as connection:
            assert await connection.scalar(text("SELECT count(*) FROM item")) == 1
    finally:
        await check.close()
