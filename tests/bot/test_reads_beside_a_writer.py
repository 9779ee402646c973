"""Commands that only read answer while another writer holds SQLite's write lock (an import
confirming a thousand items, another process): their operations read in Database.reading(),
which begins DEFERRED, instead of queueing behind the lock on busy_timeout. A command that
writes still waits, and is then told the database is busy."""

import pytest
from sqlalchemy.exc import OperationalError

from bot.i18n import t
from storage.chats import get_chat
from tests.support.chat import bind, office_time, seed
from tests.support.databases import sqlite_write_lock
from tests.support.harness import running_bot
from tests.support.transactions import counted

READS = ("/plan", "/item 10", "/mine", "/stats", "/summary", "/export docx", "/bulletin")
# In private: the group the sender is bound in (/mine: every such group).
PRIVATE_READS = ("/plan", "/item 10", "/mine", "/stats")


async def _answer(bot, text: str, user=None, chat=None) -> list[str]:
    """What the bot sends in the chat for `text`, however long it waits on the lock."""
    chat = chat or bot.group
    before = len(bot.sandbox.sent(chat))
    bot.sandbox.send_text(chat, user or bot.member, text)
    bot.pushed += 1
    await bot.settle(timeout=60)
    return [m.text or m.caption or "" for m in bot.sandbox.sent(chat)[before:]]


@pytest.mark.sqlite_only("SQLite's write lock, held by another connection (PostgreSQL has none)")
async def test_reads_answer_while_another_writer_holds_the_lock_and_a_write_is_told_busy(
    tmp_path,
):
    with office_time(2020, 10, 20):
        async with running_bot(tmp_path) as bot:
            await seed(bot)
            await bind(bot, "董军", bot.member)
            # Each asked once freely: the group's row is current and the watcher of accounts
            # has written the sender, so nothing is left that a read would have to write.
            private = bot.sandbox.private_chat(bot.member)
            free = {text: await _answer(bot, text) for text in READS}
            free_dm = {text: await _answer(bot, text, chat=private) for text in PRIVATE_READS}
            assert "共 10 项" in free["/plan"][0] and "档案升级" in free["/item 10"][0]
            assert all(free.values()) and all(free_dm.values()), (free, free_dm)
            bot.expect_errors(OperationalError)
            async with sqlite_write_lock(str(bot.db.url)):
                locked = {text: await _answer(bot, text) for text in READS}
                locked_dm = {text: await _answer(bot, text, chat=private) for text in PRIVATE_READS}
                busy = await _answer(bot, "/done 3", bot.admin)
            assert locked == free
            assert locked_dm == free_dm
            assert busy == [t("zh_CN", "error.busy")]
            # Once the lock is gone the same /done goes through.
            done = await _answer(bot, "/done 3", bot.admin)
            assert done and t("zh_CN", "error.busy") not in done, done


async def test_a_read_in_a_renamed_group_still_keeps_its_title_current(tmp_path):
    """A read writes nothing, except when the group's row is behind Telegram: then the same
    read runs in a writing unit of work that brings the title up to date (as every command
    always did), and the next read finds nothing to write."""
    with office_time(2020, 10, 20):
        async with running_bot(tmp_path) as bot:
            await seed(bot)
            await _answer(bot, "/help")  # the watcher of accounts writes the sender now
            bot.group.title = "荆州市总工会（新）"
            with counted(bot.db.engine) as renamed:
                answer = await _answer(bot, "/plan")
            async with bot.db.session() as session:
                row = await get_chat(session, bot.group.id)
                assert row is not None and row.title == "荆州市总工会（新）"
            with counted(bot.db.engine) as again:
                assert await _answer(bot, "/plan") == answer
    assert "共 10 项" in answer[0]
    # The read-only try, the writing one, and recording which items the answer lists; then
    # the read and the record only.
    assert (renamed.transactions, again.transactions) == (3, 2)
