"""Which scope a public link opens, remembered per process (issue 17's speed goals).

A calendar polls its feed every few minutes and a board is opened again and again: looking the
token up each time would be one statement more on a request that otherwise needs one (the
page's version, from which a 304 or a kept page follows). So a token's scope is kept once it
resolved, by the token's hash, and every request still asks whether the link is live, inside
that same version statement (storage.access_tokens.token_is_live): a link revoked here or by
another instance stops at the next request. Only tokens that resolved are kept, so guessing
cannot fill the map.
"""

from __future__ import annotations

from bot.operations.kept import Kept
from storage.access_tokens import TokenScope, resolve_token, token_hash
from storage.db import Database
from storage.models import AccessKind

# Links kept per process: far more than an office's groups, people and departments.
SIZE = 4096


class OpenedLinks(Kept[str, TokenScope]):
    def __init__(self, size: int = SIZE) -> None:
        super().__init__(size)


async def open_link(
    db: Database, kind: AccessKind, token: str, links: OpenedLinks
) -> TokenScope | None:
    """The scope `token` opens: the kept one (the caller then checks the link is live in its
    version statement), else looked up in a read of its own; None when it opens nothing of
    `kind`."""
    if not token or len(token) > 128:
        return None
    key = f"{kind.value}:{token_hash(token)}"
    kept = links.get(key)
    if kept is not None:
        return kept
    async with db.reading() as session:
        scope = await resolve_token(session, kind, token)
    if scope is not None:
        links.keep(key, scope)
    return scope


def forget_link(links: OpenedLinks, kind: AccessKind, token: str) -> None:
    """The version statement found the link revoked: ask the database again next time."""
    links.drop(f"{kind.value}:{token_hash(token)}")
