"""/iam for a name that answers for items waits for an admin's yes (`[access] confirm_iam`), and
every binding is told to the admins in the group: nobody claims a leader's name unnoticed and
then reports for them."""

import pytest

from storage.chats import get_chat
from storage.people import get_person
from tests.support.chat import import_sample, item_row, join, tap
from tests.support.harness import running_bot


@pytest.fixture
async def bot(tmp_path):
    async with running_bot(tmp_path) as harness:
        await import_sample(harness)
        yield harness


async def holder_of(bot, name):
    async with bot.db.session() as session:
        row = await get_chat(session, bot.group.id)
        person = None if row is None else await get_person(session, row.id, name)
    return None if person is None else person.tg_user_id


def link(user) -> str:
    return f'href="tg://user?id={user.id}"'


async def test_an_unrelated_member_cannot_claim_a_leaders_name_and_mark_the_item_done(bot):
    # 董军 leads item 10; 张三 is not 董军.
    asked = await bot.say("/iam 董军", user=bot.member)
    assert len(asked) == 1
    assert asked[0].text.startswith(
        "「董军」在计划中负有责任（责任领导或部室成员），需要管理员确认"
    )
    assert link(bot.admin) in asked[0].html, "the admins are mentioned"
    assert await holder_of(bot, "董军") is None

    refused = await bot.say("/done 10", user=bot.member)
    assert "只有" in refused[0].text and (await item_row(bot, 10)).status == "open"

    _, answers = await tap(bot, asked[0], "iam:ok:", bot.member)
    assert answers[0].text == "只有管理员可以确认。" and await holder_of(bot, "董军") is None

    await tap(bot, asked[0], "iam:ok:", bot.admin)
    assert asked[0].text.startswith("✅ 管理员 管理员 已确认：「董军」现在绑定给")
    assert "原为" not in asked[0].text and asked[0].buttons == []
    assert await holder_of(bot, "董军") == bot.member.id
    await bot.say("/done 10", user=bot.member)
    assert (await item_row(bot, 10)).status == "done"


async def test_an_admin_rejects_a_claim_on_a_leaders_name(bot):
    asked = await bot.say("/iam 高启秀", user=bot.member)
    await tap(bot, asked[0], "iam:no:", bot.admin)
    assert asked[0].text.startswith("❌ 管理员 管理员 没有同意 ")
    assert asked[0].text.endswith(" 绑定为「高启秀」。") and "仍为" not in asked[0].text
    assert await holder_of(bot, "高启秀") is None


async def test_a_department_members_name_waits_too(bot):
    wang = bot.sandbox.add_user("王五")
    await join(bot, "办公室", "王五", wang)
    await bot.say("/unbind 王五", user=wang)  # the name keeps its department
    asked = await bot.say("/iam 王五", user=bot.member)
    assert "需要管理员确认" in asked[0].text and await holder_of(bot, "王五") is None


async def test_a_name_without_duties_is_bound_at_once_and_the_admins_are_told(bot):
    done = await bot.say("/iam 李四", user=bot.member)
    assert len(done) == 1 and "已将您绑定为「李四」" in done[0].text
    told = done[0].text.splitlines()[-1]
    assert told.startswith("🔔 告知管理员") and "「李四」" in told and "/unbind 李四" in told
    assert link(bot.admin) in done[0].html and link(bot.member) in done[0].html
    assert await holder_of(bot, "李四") == bot.member.id


async def test_an_admins_own_iam_is_bound_at_once(bot):
    leader = bot.sandbox.add_user("董军")
    bot.sandbox.set_admin(bot.group, leader)  # the group's Telegram administrator
    done = await bot.say("/iam 董军", user=leader)
    assert done[0].text.startswith("✅ 已将您绑定为「董军」")
    assert await holder_of(bot, "董军") == leader.id


async def test_confirm_iam_off_binds_a_leaders_name_at_once_and_tells_the_admins(tmp_path):
    async with running_bot(tmp_path, access={"confirm_iam": False}) as bot:
        await import_sample(bot)
        done = await bot.say("/iam 董军", user=bot.member)
        assert done[0].text.startswith("✅ 已将您绑定为「董军」")
        assert "🔔 告知管理员" in done[0].text and link(bot.admin) in done[0].html
        assert await holder_of(bot, "董军") == bot.member.id


async def test_in_english(bot):
    await bot.say("/lang en", user=bot.admin)
    asked = await bot.say("/iam 董军", user=bot.member)
    assert asked[0].text.startswith('"董军" answers for items in the plans')
    assert "Admins, please confirm:" in asked[0].text
    done = await bot.say("/iam 李四", user=bot.member)
    assert done[0].text.splitlines()[-1].startswith("🔔 For the admins")
