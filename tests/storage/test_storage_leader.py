"""One polling instance per PostgreSQL database; the next takes over when it goes."""

from sqlalchemy import text

from storage.db import Database, is_sqlite
from storage.leader import PollingLease


async def test_one_lease_at_a_time_handed_over_on_release_or_death(database_url):
    dbs = [Database.from_url(database_url) for _ in range(3)]
    first, second, third = (PollingLease(db.engine) for db in dbs)
    try:
        assert await first.try_acquire()
        if is_sqlite(database_url):
            # One SQLite file means one instance: it always leads.
            assert await second.try_acquire()
            return
        assert not await second.try_acquire()
        assert await first.still_held()
        await first.release()
        assert await second.try_acquire()
        assert not await first.try_acquire()

        # A killed process: its connection is gone, and PostgreSQL frees the lock with it.
        async with dbs[0].engine.connect() as admin:
            await admin.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_locks"
                    " WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()"
                    " AND database = (SELECT oid FROM pg_database"
                    " WHERE datname = current_database())"
                )
            )
        assert not await second.still_held()
        assert await third.try_acquire()
    finally:
        for lease in (first, second, third):
            await lease.release()
        for db in dbs:
            await db.close()
