"""Links to read-only pages (the web board, calendar feeds): derived tokens, stored hashed.

A token is base64url(HMAC-SHA256(secret, "kind:scope:generation")), 256 bits: unguessable, and
the same every time it is derived, so `/board` can show a group its link again without the
database keeping it in plain text (a leaked backup holds only sha256 hashes, which open nothing).
A reset revokes the scope's row and inserts the next generation, whose token differs.

The secret is `[http] token_secret` when configured, else one generated on first use and kept
in the `server_secret` table, so every instance and every restart derive the same links.
Changing the secret changes every token: `link_token` re-stores the hash of what it derives,
so the old links stop working as each scope's link is next shown (and resolve nothing before,
since their hashes belong to the old secret only until then). That is a way to revoke all.

Every function works in the caller's session and does not commit.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, String, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import AccessKind, AccessToken, ServerSecret
from storage.unique import add_or_fetch

# The server_secret row holding the generated token key.
TOKEN_SECRET = "access_token"


@dataclass(frozen=True, slots=True)
class TokenScope:
    """What a live token opens: exactly one of chat_id, tg_user_id, department_id is set."""

    kind: AccessKind
    chat_id: int | None = None
    tg_user_id: int | None = None
    department_id: int | None = None

    @property
    def key(self) -> str:
        if self.chat_id is not None:
            return f"chat:{self.chat_id}"
        if self.tg_user_id is not None:
            return f"user:{self.tg_user_id}"
        return f"department:{self.department_id}"


def _scope(
    kind: AccessKind, chat_id: int | None, tg_user_id: int | None, department_id: int | None
) -> TokenScope:
    if sum(v is not None for v in (chat_id, tg_user_id, department_id)) != 1:
        raise ValueError("a token's scope is exactly one of chat, user, department")
    return TokenScope(AccessKind(kind), chat_id, tg_user_id, department_id)


def derive_token(secret: bytes, kind: AccessKind, scope: str, generation: int) -> str:
    mac = hmac.new(secret, f"{kind.value}:{scope}:{generation}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()).rstrip(b"=").decode("ascii")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


async def server_secret(session: AsyncSession, configured: str | None) -> bytes:
    """The token key: the configured one, else the stored one (generated on first use)."""
    if configured:
        return configured.encode()

    async def stored() -> ServerSecret | None:
        return await session.get(ServerSecret, TOKEN_SECRET, populate_existing=True)

    row = await stored()
    if row is None:
        fresh = ServerSecret(name=TOKEN_SECRET, value=secrets.token_bytes(32).hex())
        # Two instances starting together: the loser reads the winner's secret.
        row = await add_or_fetch(session, fresh, stored)
    return bytes.fromhex(row.value)


async def _live_row(session: AsyncSession, scope: TokenScope) -> AccessToken | None:
    query = (
        select(AccessToken)
        .where(
            col(AccessToken.kind) == scope.kind.value,
            col(AccessToken.scope) == scope.key,
            col(AccessToken.revoked_at).is_(None),
        )
        .order_by(col(AccessToken.generation).desc())
        .limit(1)
    )
    return (await session.execute(query)).scalars().first()


async def _latest_generation(session: AsyncSession, scope: TokenScope) -> int:
    query = (
        select(col(AccessToken.generation))
        .where(col(AccessToken.kind) == scope.kind.value, col(AccessToken.scope) == scope.key)
        .order_by(col(AccessToken.generation).desc())
        .limit(1)
    )
    return (await session.execute(query)).scalar() or 0


async def _issue(
    session: AsyncSession, scope: TokenScope, generation: int, secret: bytes, now: datetime
) -> str:
    token = derive_token(secret, scope.kind, scope.key, generation)
    row = AccessToken(
        kind=scope.kind.value,
        scope=scope.key,
        chat_id=scope.chat_id,
        tg_user_id=scope.tg_user_id,
        department_id=scope.department_id,
        generation=generation,
        token_hash=token_hash(token),
        created_at=now,
    )

    async def winner() -> AccessToken | None:
        return await _live_row(session, scope)

    # A concurrent /board issued this generation first: its token is the same one.
    stored = await add_or_fetch(session, row, winner)
    return derive_token(secret, scope.kind, scope.key, stored.generation)


async def link_token(
    session: AsyncSession,
    kind: AccessKind,
    *,
    secret: bytes,
    now: datetime,
    chat_id: int | None = None,
    tg_user_id: int | None = None,
    department_id: int | None = None,
) -> str:
    """The scope's live token, issuing generation 1 when it has none yet."""
    scope = _scope(kind, chat_id, tg_user_id, department_id)
    row = await _live_row(session, scope)
    if row is None:
        return await _issue(
            session, scope, await _latest_generation(session, scope) + 1, secret, now
        )
    token = derive_token(secret, scope.kind, scope.key, row.generation)
    digest = token_hash(token)
    if row.token_hash != digest:
        # The secret changed since this row was issued: the link the group has now is this one.
        row.token_hash = digest
        await session.flush()
    return token


async def reset_token(
    session: AsyncSession,
    kind: AccessKind,
    *,
    secret: bytes,
    now: datetime,
    chat_id: int | None = None,
    tg_user_id: int | None = None,
    department_id: int | None = None,
) -> str:
    """Revoke the scope's live token (its link answers 404 from now on) and issue the next."""
    scope = _scope(kind, chat_id, tg_user_id, department_id)
    row = await _live_row(session, scope)
    if row is not None:
        row.revoked_at = now
        await session.flush()
    generation = await _latest_generation(session, scope) + 1
    return await _issue(session, scope, generation, secret, now)


async def resolve_token(session: AsyncSession, kind: AccessKind, token: str) -> TokenScope | None:
    """What `token` opens, or None when it is unknown, revoked or of another kind.

    One lookup by the unique hash; the token is hostile input, so nothing else is done with it.
    """
    if not token or len(token) > 128:
        return None
    query = select(AccessToken).where(col(AccessToken.token_hash) == token_hash(token))
    row = (await session.execute(query)).scalars().first()
    if row is None or row.revoked_at is not None or row.kind != kind.value:
        return None
    return TokenScope(kind, row.chat_id, row.tg_user_id, row.department_id)


# The bound parameter of token_is_live: the token's hash (token_params gives it).
TOKEN_HASH = "token_hash"


def token_is_live(kind: AccessKind) -> ColumnElement[bool]:
    """Whether a token (its hash bound as TOKEN_HASH: `token_params`) still opens something of
    `kind`, as a column of a caller's statement: a page whose link's scope this process
    remembers (bot/operations/opened_links.py) asks it in the statement it runs anyway, so a
    link revoked by another instance stops at once."""
    return (
        select(col(AccessToken.id))
        .where(
            col(AccessToken.token_hash) == bindparam(TOKEN_HASH, type_=String()),
            col(AccessToken.kind) == kind.value,
            col(AccessToken.revoked_at).is_(None),
        )
        .exists()
    )


def token_params(token: str) -> dict[str, object]:
    return {TOKEN_HASH: token_hash(token)}
