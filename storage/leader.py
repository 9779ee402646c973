"""Electing the one instance that polls Telegram, when several share one PostgreSQL.

Telegram allows one getUpdates consumer per bot; a second one makes both fail with 409. The
instance holding a session-level advisory lock polls; the lock lives as long as its database
connection, so when that process dies PostgreSQL releases it and another instance takes over
at its next try. SQLite means one instance: it always leads.
"""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.db import is_sqlite

log = logging.getLogger(__name__)

# Any constant will do, as long as nothing else in the database uses it: "planbot" in ASCII.
POLLING_LOCK = 0x706C616E626F74


class PollingLease:
    def __init__(self, engine: AsyncEngine, key: int = POLLING_LOCK) -> None:
        self._engine = engine
        self._key = key
        self._connection: AsyncConnection | None = None
        self._always = is_sqlite(engine.url)

    @property
    def held(self) -> bool:
        return self._always or self._connection is not None

    async def try_acquire(self) -> bool:
        if self.held:
            return True
        connection = await self._engine.connect()
        try:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            got = await connection.scalar(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": self._key}
            )
        except Exception:
            await connection.close()
            raise
        if got:
            self._connection = connection
            return True
        await connection.close()
        return False

    async def still_held(self) -> bool:
        """False once the connection carrying the lock is gone (and with it the lock)."""
        if self._always:
            return True
        if self._connection is None:
            return False
        try:
            await self._connection.scalar(text("SELECT 1"))
            return True
        except Exception:
            log.warning("lost the database connection holding the polling lock")
            await self._drop()
            return False

    async def release(self) -> None:
        if self._connection is None:
            return
        try:
            await self._connection.scalar(
                text("SELECT pg_advisory_unlock(:key)"), {"key": self._key}
            )
        except Exception as error:
            # The server ended the connection (restart, pg_terminate_backend): the lock went
            # with it, so there is nothing left to release. One line, and a clean stop.
            log.warning(
                "the polling lock's connection was already gone (%s); the lock went with it",
                type(error).__name__,
            )
        finally:
            await self._drop()

    async def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                await connection.close()
            except Exception:  # the connection may already be dead; the lock went with it
                log.debug("closing the lock connection failed", exc_info=True)
