"""Telegram accounts the bot has seen: found again by @username, whoever holds it now."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from storage.accounts import (
    SeenAccount,
    find_account_by_username,
    get_account,
    remember_accounts,
)
from storage.models import TelegramAccount

MONDAY = datetime(2024, 10, 14, 1, 0, tzinfo=UTC)
LATER = MONDAY + timedelta(days=3)
LISI = SeenAccount(100003, "LiSi", "李四")
WANG = SeenAccount(100004, None, "王五")


async def holder(session, username):
    account = await find_account_by_username(session, username)
    return None if account is None else account.tg_user_id


async def test_a_remembered_account_is_found_by_username_in_any_case(db):
    async with db.session() as session:
        await remember_accounts(session, [LISI, WANG], MONDAY)
    async with db.session() as session:
        for typed in ("lisi", "@LISI", "LiSi"):
            account = await find_account_by_username(session, typed)
            assert account is not None and account.tg_user_id == LISI.tg_user_id
        assert (account.username, account.full_name, account.last_seen) == ("LiSi", "李四", MONDAY)
        assert await holder(session, "wangwu") is None
        assert await holder(session, "@") is None and await holder(session, "") is None
        wang = await get_account(session, WANG.tg_user_id)
        assert wang is not None and wang.full_name == "王五" and wang.username is None


async def test_seeing_an_account_again_updates_its_one_row(db):
    async with db.session() as session:
        await remember_accounts(session, [LISI], MONDAY)
    renamed = SeenAccount(LISI.tg_user_id, "li_si", "李 四")
    async with db.session() as session:
        await remember_accounts(session, [renamed], LATER)
    async with db.session() as session:
        assert await session.scalar(select(func.count()).select_from(TelegramAccount)) == 1
        assert await holder(session, "lisi") is None, "the old username is gone with the rename"
        account = await find_account_by_username(session, "LI_SI")
        assert account is not None
        assert (account.full_name, account.last_seen) == ("李 四", LATER)


async def test_an_account_that_drops_its_username_is_no_longer_found_by_it(db):
    async with db.session() as session:
        await remember_accounts(session, [LISI], MONDAY)
        await remember_accounts(session, [SeenAccount(LISI.tg_user_id, None, "李四")], LATER)
    async with db.session() as session:
        assert await holder(session, "lisi") is None


async def test_a_username_taken_over_resolves_to_its_new_holder(db):
    # 李四 renames himself (the bot does not see it); 赵六 takes @lisi and speaks.
    zhao = SeenAccount(100005, "lisi", "赵六")
    async with db.session() as session:
        await remember_accounts(session, [LISI], MONDAY)
    async with db.session() as session:
        await remember_accounts(session, [zhao], LATER)
    async with db.session() as session:
        assert await holder(session, "@LiSi") == zhao.tg_user_id
        old = await get_account(session, LISI.tg_user_id)
        assert old is not None and old.username is None and old.full_name == "李四"
    # 李四 takes it back later: he is the holder again.
    async with db.session() as session:
        await remember_accounts(session, [LISI], LATER + timedelta(days=1))
    async with db.session() as session:
        assert await holder(session, "lisi") == LISI.tg_user_id


async def test_when_two_rows_still_share_a_username_the_one_seen_last_wins(db):
    # What two instances writing at the same moment can leave behind.
    async with db.session() as session:
        session.add(TelegramAccount(tg_user_id=1, username="x", username_key="x", last_seen=LATER))
        session.add(TelegramAccount(tg_user_id=2, username="X", username_key="x", last_seen=MONDAY))
    async with db.session() as session:
        assert await holder(session, "x") == 1


async def test_within_one_batch_the_first_mention_of_an_account_or_username_wins(db):
    # The sender comes first; a reply's author or a mention may carry older data.
    stale = SeenAccount(LISI.tg_user_id, "old_name", "李四（旧）")
    other = SeenAccount(100005, "LiSi", "赵六")
    async with db.session() as session:
        await remember_accounts(session, [LISI, stale, other], MONDAY)
    async with db.session() as session:
        assert await holder(session, "lisi") == LISI.tg_user_id
        assert await holder(session, "old_name") is None
        assert await session.scalar(select(func.count()).select_from(TelegramAccount)) == 2
