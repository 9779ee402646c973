"""`planbot run` processes: a stop mid-pass, and several on one PostgreSQL — exactly one polls,
another takes over, and reminders go out once when an instance dies mid-pass."""

import asyncio
import os
import re
import signal
from collections import Counter
from datetime import UTC, datetime

import pytest

from bot.sandbox import Sandbox
from storage.db import Database
from storage.migrate import upgrade_async
from storage.models import ReminderState
from storage.reminder_window import read_window
from tests.support.databases import (
    NO_POSTGRES,
    fresh_postgres_database,
    postgres_server,
    sqlite_write_lock,
    terminate_connections,
)
from tests.support.large_office import build_office
from tests.support.processes import (
    ITEMS_PER_CHAT,
    SCHEDULER_UP,
    TOKEN,
    outbox,
    reminded,
    reminder_config,
    seed_due_reminders,
    start_instance,
    stop_all,
    wait_until,
)


@pytest.mark.skipif(postgres_server() is None, reason=NO_POSTGRES)
async def test_one_instance_polls_and_another_takes_over_when_it_dies(tmp_path):
    async with (
        fresh_postgres_database(postgres_server() or "") as url,
        Sandbox(token=TOKEN) as sandbox,
    ):
        config = tmp_path / "planbot.toml"
        config.write_text(
            f'[telegram]\nbase_url = "{sandbox.base_url}"\ntakeover_seconds = 0.3\n'
            f'[database]\nurl = "{url}"\n',
            encoding="utf-8",
        )
        instances = [await start_instance(config) for _ in range(2)]
        try:
            await wait_until(lambda: any(i.leading for i in instances), instances)
            await asyncio.sleep(1.0)  # the other has had three chances to take over
            assert [i.leading for i in instances].count(True) == 1

            user = sandbox.add_user("李四")
            group = sandbox.add_chat("supergroup", title="群")
            sandbox.send_text(group, user, "/help")
            await sandbox.wait_for(1, chat=group, timeout=10)

            leader = next(i for i in instances if i.leading)
            follower = next(i for i in instances if not i.leading)
            leader.process.send_signal(signal.SIGKILL)
            await wait_until(lambda: follower.leading, instances)
            sandbox.send_text(group, user, "/start")
            await sandbox.wait_for(2, chat=group, timeout=10)
            assert len(sandbox.sent(group)) == 2, "each command answered once"
            assert sandbox.stats.statuses.get(409, 0) == 0, "never two pollers at once"
        finally:
            await stop_all(instances)


# --- a stop, or a death, in the middle of a reminder pass -------------------------------------


async def test_sigterm_mid_pass_finishes_the_message_in_flight_and_gives_back_the_rest(
    tmp_path, database_url
):
    async with Sandbox(token=TOKEN) as sandbox:
        chats = [sandbox.add_chat("supergroup", title=f"群{n}").id for n in range(8)]
        config = reminder_config(
            tmp_path / "planbot.toml", sandbox, database_url, per_second=4, lease=1800
        )
        await seed_due_reminders(config, chats)

        first = await start_instance(config)
        try:
            await sandbox.wait_until(
                lambda: len(sandbox.sent()) >= 2, timeout=60, what="the pass to begin"
            )
            first.process.send_signal(signal.SIGTERM)
        finally:
            await stop_all([first])
        assert first.process.returncode == 0
        out = len(sandbox.sent())
        assert out < len(chats), "the stop ended the pass early"
        rows, recorded = await outbox(database_url)
        # Every message that reached Telegram was recorded, so replies and buttons work.
        assert {(m.chat.id, m.message_id) for m in sandbox.sent()} == recorded
        assert Counter(r.state for r in rows) == {
            ReminderState.SENT.value: out * ITEMS_PER_CHAT,
            ReminderState.PENDING.value: (len(chats) - out) * ITEMS_PER_CHAT,
        }
        given_back = [r for r in rows if r.state == ReminderState.PENDING.value]
        assert all(r.attempts == 0 for r in given_back), "a stop costs no attempt"
        assert not any("Traceback" in line for line in first.lines), "".join(first.lines)
        if database_url.startswith("sqlite"):
            wal = database_url.split("///", 1)[1] + "-wal"
            assert not await asyncio.to_thread(os.path.exists, wal), (
                "the database was closed (SQLite removes its WAL)"
            )

        # The next start sends the rest at once (nothing waits for a lease): each item once.
        second = await start_instance(config)
        try:
            await sandbox.wait_until(
                lambda: len(sandbox.sent()) == len(chats), timeout=60, what="the rest"
            )
            await asyncio.sleep(1.0)  # a few sweeps: nothing more goes out
        finally:
            await stop_all([second])
        assert second.process.returncode == 0
        assert reminded(sandbox, chats) == Counter(
            {(c, k): 1 for c in chats for k in range(1, ITEMS_PER_CHAT + 1)}
        )
        rows, _ = await outbox(database_url)
        assert {r.state for r in rows} == {ReminderState.SENT.value}


async def test_sigterm_does_not_wait_for_a_groups_window_to_send_the_rest(tmp_path):
    """A reminder too long for one message, in a group allowed one message a minute: the
    stop gives up the part still waiting for the window instead of waiting a minute."""
    async with Sandbox(token=TOKEN) as sandbox:
        group = sandbox.add_chat("supergroup", title="群").id
        url = f"sqlite+aiosqlite:///{tmp_path / 'planbot.db'}"
        config = reminder_config(
            tmp_path / "planbot.toml", sandbox, url, per_second=4, lease=1800, per_group=1
        )
        await seed_due_reminders(config, [group], items=40, wordy=True)
        instance = await start_instance(config)
        try:
            await sandbox.wait_until(
                lambda: len(sandbox.sent()) >= 1, timeout=60, what="the first part"
            )
            await asyncio.sleep(0.5)  # the second part is waiting for the group's window
            instance.process.send_signal(signal.SIGTERM)
            loop = asyncio.get_running_loop()
            asked = loop.time()
            await asyncio.wait_for(instance.process.wait(), 30)
            stopped_after = loop.time() - asked
        finally:
            await stop_all([instance])
        assert instance.process.returncode == 0
        assert stopped_after < 10, "the stop did not wait out the group's minute"
        assert len(sandbox.sent()) == 1
        first = {k for _, k in reminded(sandbox, [group])}
        assert 0 < len(first) < 40
        rows, recorded = await outbox(url)
        assert recorded == {(group, sandbox.sent()[0].message_id)}
        states = Counter(r.state for r in rows)
        assert states == {
            ReminderState.SENT.value: len(first),
            ReminderState.PENDING.value: 40 - len(first),
        }


@pytest.mark.skipif(postgres_server() is None, reason=NO_POSTGRES)
async def test_an_instance_killed_mid_pass_leaves_the_rest_to_another_each_sent_once(
    tmp_path,
):
    async with (
        fresh_postgres_database(postgres_server() or "") as url,
        Sandbox(token=TOKEN, hang_seconds=120) as sandbox,
    ):
        chats = [sandbox.add_chat("supergroup", title=f"群{n}").id for n in range(24)]
        # 24 messages at 3 a second: the pass lasts 8 s, shorter than the lease.
        config = reminder_config(tmp_path / "planbot.toml", sandbox, url, per_second=3, lease=10)
        await seed_due_reminders(config, chats)
        doomed = await start_instance(config)
        instances = [doomed]
        try:
            await sandbox.wait_until(
                lambda: len(sandbox.sent()) >= 6, timeout=60, what="a few messages"
            )
            # The first instance's next message hangs on its way (it waits for each to be
            # recorded before the next, so it sends nothing more): on a loaded machine it
            # would otherwise finish the whole pass before the second one is up.
            sandbox.inject_faults(1, "hang", methods=["sendMessage"])
            # The second instance starts while the first holds the rows: they are claimed,
            # so it sends none of them.
            survivor = await start_instance(config)
            instances.append(survivor)
            await wait_until(lambda: survivor.logged(SCHEDULER_UP), instances)
            at_kill = len(sandbox.sent())
            assert at_kill < len(chats), "the first instance was still sending"
            doomed.process.send_signal(signal.SIGKILL)
            await doomed.process.wait()

            # When the dead instance's lease runs out, the survivor sends what it had not.
            await sandbox.wait_until(
                lambda: {m.chat.id for m in sandbox.sent()} == set(chats),
                timeout=60,
                what="every chat reminded",
            )
            await asyncio.sleep(1.5)  # three more sweeps: nothing more goes out
            rows, recorded = await outbox(url)
        finally:
            await stop_all(instances)
        assert survivor.process.returncode == 0

        seen = reminded(sandbox, chats)
        every = {(c, k) for c in chats for k in range(1, ITEMS_PER_CHAT + 1)}
        assert set(seen) == every, "every reminder went out"
        # Twice only for a message the killed instance had on its way (sent, not yet
        # recorded). Each chat's message is recorded as soon as it is out, so that is the
        # last one or two (more if the machine is so loaded that a record waits a second),
        # not everything it had sent.
        unrecorded = [m for m in sandbox.sent() if (m.chat.id, m.message_id) not in recorded]
        twice = {key for key, count in seen.items() if count > 1}
        assert twice == {
            (m.chat.id, int(k))
            for m in unrecorded
            for k in re.findall(r"事项(\d+)号", m.text or "")
        }
        assert len(unrecorded) <= 3 < at_kill
        assert {r.state for r in rows} == {ReminderState.SENT.value}


# --- the database going away under a running instance ----------------------------------------


@pytest.mark.skipif(postgres_server() is None, reason=NO_POSTGRES)
async def test_sigterm_after_the_server_ended_our_connections_exits_cleanly(tmp_path):
    """PostgreSQL ends every connection planbot holds (a restart, pg_terminate_backend), the
    polling lock's among them; a SIGTERM before the next takeover check still exits 0, with the
    lost lock one line in the log and no traceback."""
    server = postgres_server() or ""
    async with fresh_postgres_database(server) as url, Sandbox(token=TOKEN) as sandbox:
        config = tmp_path / "planbot.toml"
        # A takeover check every 15 s: the lock's connection is still believed alive at the stop.
        config.write_text(
            f'[telegram]\nbase_url = "{sandbox.base_url}"\ntakeover_seconds = 15\n'
            f'[database]\nurl = "{url}"\n',
            encoding="utf-8",
        )
        instance = await start_instance(config)
        try:
            await wait_until(lambda: instance.leading and instance.logged(SCHEDULER_UP), [instance])
            ended = await terminate_connections(server, url)
            assert ended >= 1, "planbot had connections to end"
            await asyncio.sleep(1.0)
            instance.process.send_signal(signal.SIGTERM)
        finally:
            await stop_all([instance])
        log = "".join(instance.lines)
        assert instance.process.returncode == 0, log
        assert "Traceback" not in log, log
        assert instance.logged("the polling lock's connection was already gone")


async def test_killed_while_the_database_is_locked_it_has_at_most_one_message_unrecorded(
    tmp_path,
):
    """Another writer holds SQLite's write lock for seconds in the middle of a pass and the
    instance is killed then: it stopped sending as soon as it could not record what it sent, so
    at most one message went out unrecorded — and only that one goes out twice."""
    async with Sandbox(token=TOKEN) as sandbox:
        chats = [sandbox.add_chat("supergroup", title=f"群{n}").id for n in range(40)]
        url = f"sqlite+aiosqlite:///{tmp_path / 'planbot.db'}"
        # 40 messages at 5 a second: the pass lasts 8 s, the claims are released after 4.
        config = reminder_config(tmp_path / "planbot.toml", sandbox, url, per_second=5, lease=4)
        await seed_due_reminders(config, chats)
        doomed = await start_instance(config)
        try:
            await sandbox.wait_until(
                lambda: len(sandbox.sent()) >= 2, timeout=60, what="the pass to begin"
            )
            async with sqlite_write_lock(url):
                # Two seconds of a locked database: ten messages' worth at this pace.
                await asyncio.sleep(2.0)
                at_kill = len(sandbox.sent())
                doomed.process.send_signal(signal.SIGKILL)
                await doomed.process.wait()
        finally:
            await stop_all([doomed])
        assert at_kill < len(chats), "the instance was still sending"
        _, recorded = await outbox(url)
        unrecorded = [m for m in sandbox.sent() if (m.chat.id, m.message_id) not in recorded]
        assert len(unrecorded) <= 1, f"{len(unrecorded)} of {at_kill} sent were not recorded"

        # Another start sends what the dead one had claimed and not sent, once its lease is out.
        survivor = await start_instance(config)
        try:
            await sandbox.wait_until(
                lambda: {m.chat.id for m in sandbox.sent()} == set(chats),
                timeout=60,
                what="every chat reminded",
            )
        finally:
            await stop_all([survivor])
        seen = reminded(sandbox, chats)
        assert set(seen) == {(c, k) for c in chats for k in range(1, ITEMS_PER_CHAT + 1)}
        twice = {key for key, count in seen.items() if count > 1}
        assert twice == {
            (m.chat.id, int(k))
            for m in unrecorded
            for k in re.findall(r"事项(\d+)号", m.text or "")
        }


async def test_sigterm_during_the_start_up_rebuild_of_a_large_database_stops_it_half_way(
    tmp_path,
):
    """10,000 items whose reminders were planned before the 14-day window existed: the start
    re-plans them all in the background (seconds of chunks). A SIGTERM then ends the process
    at once and cleanly, with the window not recorded as rolled (the next start does it again),
    instead of finishing the rebuild first."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'planbot.db'}"
    await upgrade_async(url)
    db = Database.from_url(url)
    try:
        await build_office(db, 10_000, datetime.now(UTC))
    finally:
        await db.close()
    async with Sandbox(token=TOKEN) as sandbox:
        config = tmp_path / "planbot.toml"
        config.write_text(
            f'[telegram]\nbase_url = "{sandbox.base_url}"\n[database]\nurl = "{url}"\n',
            encoding="utf-8",
        )
        instance = await start_instance(config)
        try:
            await wait_until(
                lambda: sandbox.stats.requests["getUpdates"] > 0 and instance.logged(SCHEDULER_UP),
                [instance],
            )
            await asyncio.sleep(0.5)  # the rebuild's first chunks
            instance.process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(instance.process.wait(), 30)
        finally:
            await stop_all([instance])
    assert instance.process.returncode == 0, "".join(instance.lines[-15:])
    assert not any("Traceback" in line for line in instance.lines), "".join(instance.lines)
    db = Database.from_url(url)
    try:
        async with db.session() as session:
            assert await read_window(session) is None, "the rebuild ran to its end first"
    finally:
        await db.close()
