"""/dept end to end: listing, members, refusals, and a department's own group."""

import pytest

from bot.handlers.departments import parse_dept
from storage.chats import get_chat
from storage.departments import get_department_with_members
from tests.support.chat import iam, import_sample, tap
from tests.support.harness import running_bot


@pytest.fixture
async def bot(tmp_path):
    async with running_bot(tmp_path) as harness:
        await import_sample(harness)
        yield harness


async def _department(bot, name, chat=None):
    async with bot.db.session() as session:
        row = await get_chat(session, (chat or bot.group).id)
        return await get_department_with_members(session, row.id, name)


async def _members(bot, name):
    return [p.name for p in (await _department(bot, name)).members]


def test_the_department_name_is_everything_before_the_action():
    assert parse_dept("办公室 add @x").name == "办公室"
    assert parse_dept("权益 保障部 移除 董军") == parse_dept("权益保障部 remove 董军")
    assert parse_dept("办公室").action is None and parse_dept("") is None


async def test_dept_lists_departments_and_members(bot):
    listing = (await bot.say("/dept"))[0].text
    assert "部室（7 个）" in listing
    assert "• 办公室：暂无成员" in listing and "• 组织部：暂无成员" in listing


async def test_an_admin_adds_and_removes_bound_members(bot):
    dong = bot.sandbox.add_user("董军", username="dongjun")
    await iam(bot, "董军", dong)
    added = await bot.say("/dept 办公室 add @dongjun", user=bot.admin)
    assert added[0].text == "✅ 已将 董军 加入「办公室」。"
    assert f"tg://user?id={dong.id}" in added[0].html
    assert await _members(bot, "办公室") == ["董军"]
    assert (
        "已经是「办公室」的成员"
        in (await bot.say("/dept 办公室 add @dongjun", user=bot.admin))[0].text
    )

    one = (await bot.say("/dept 办公室"))[0]
    assert one.text == "• 办公室：董军" and f"tg://user?id={dong.id}" in one.html

    removed = await bot.say("/dept 办公室 remove 董军", user=bot.admin)
    assert removed[0].text == "✅ 已将 董军 移出「办公室」。"
    assert await _members(bot, "办公室") == []
    again = await bot.say("/dept 办公室 remove @dongjun", user=bot.admin)
    assert again[0].text == "董军 不是「办公室」的成员。"


async def test_a_member_without_a_username_is_added_by_reply(bot):
    wang = bot.sandbox.add_user("王五")
    hello = bot.sandbox.send_text(bot.group, wang, "/iam 郭红萍")
    bot.pushed += 1
    await bot.settle()
    # A leader's name: bound once an admin confirms.
    await tap(bot, bot.sandbox.sent(bot.group)[-1], "iam:ok:", bot.admin)
    added = await bot.say("/dept 宣教网络部 add", user=bot.admin, reply_to=hello)
    assert added[0].text == "✅ 已将 郭红萍 加入「宣教网络部」。"
    assert f"tg://user?id={wang.id}" in added[0].html


async def test_refusals_change_nothing(bot):
    unbound = bot.sandbox.add_user("路人", username="passer")
    await bot.say("大家好", user=unbound)
    not_bound = await bot.say("/dept 办公室 add @passer", user=bot.admin)
    assert not_bound[0].text == (
        "@passer 还没有绑定姓名：请其先在群里发送 /iam 姓名（或由管理员 /bind）。"
    )
    unknown = await bot.say("/dept 财务部 add @passer", user=bot.admin)
    assert unknown[0].text.startswith("没有「财务部」这个部室（现有：办公室、")
    assert "例：/dept 办公室 add @dongjun" in unknown[0].text
    no_one = await bot.say("/dept 办公室 add", user=bot.admin)
    assert "请指明成员" in no_one[0].text
    refused = await bot.say("/dept 办公室 add @passer", user=bot.member)
    assert refused[0].text == "只有管理员可以调整部室成员和部室群。"
    garbage = await bot.say("/dept 办公室 吃饭")
    assert garbage[0].text.startswith("用法：/dept 部室 add @用户")
    assert await _members(bot, "办公室") == []


async def test_escaping_in_department_answers(bot):
    replies = await bot.say("/dept <i>财务</i>", user=bot.admin)
    assert replies[0].text.startswith("没有「<i>财务</i>」这个部室")


async def test_a_department_gets_its_own_group(bot):
    own = bot.sandbox.add_chat("supergroup", title="办公室群")
    here = await bot.say("/dept 办公室 chat", user=bot.admin)
    assert "请在该部室自己的群里发送 /dept 办公室 chat" in here[0].text

    done = await bot.say("/dept 办公室 chat", user=bot.admin, chat=own)
    assert done[0].text == (
        "✅ 本群现在是「办公室」（荆州市总工会工作群）的部室群，该部室的提醒也会发到这里。"
    )
    assert (await _department(bot, "办公室")).tg_chat_id == own.id
    assert "• 办公室：暂无成员（部室群：办公室群）" in (await bot.say("/dept"))[0].text

    off = await bot.say("/dept 办公室 chat off", user=bot.admin)
    assert off[0].text == "✅ 「办公室」不再有自己的部室群，提醒只发到计划群。"
    assert (await _department(bot, "办公室")).tg_chat_id is None


async def test_own_group_rules_for_group_administrators(bot):
    """A group admin (not a configured one) is found through the groups they are bound in."""
    own = bot.sandbox.add_chat("supergroup", title="办公室群")
    boss = bot.sandbox.add_user("主任")
    bot.sandbox.set_admin(own, boss)
    nowhere = await bot.say("/dept 办公室 chat", user=boss, chat=own)
    assert "找不到有「办公室」部室、且您已绑定姓名的计划群" in nowhere[0].text

    await iam(bot, "董军", boss)
    not_admin = await bot.say("/dept 办公室 chat", user=boss, chat=own)
    assert not_admin[0].text == "需要您同时是本群和计划群（荆州市总工会工作群）的管理员。"
    assert (await _department(bot, "办公室")).tg_chat_id is None

    bot.sandbox.set_admin(bot.group, boss)
    assert "部室群" in (await bot.say("/dept 办公室 chat", user=boss, chat=own))[0].text
    assert (await _department(bot, "办公室")).tg_chat_id == own.id


async def test_several_plan_groups_are_told_apart_by_id(bot):
    second = bot.sandbox.add_chat("supergroup", title="第二工作群")
    await import_sample(bot, second)
    own = bot.sandbox.add_chat("supergroup", title="办公室群")
    many = await bot.say("/dept 办公室 chat", user=bot.admin, chat=own)
    assert "有多个计划群有「办公室」部室" in many[0].text
    assert f"/dept 办公室 chat {second.id}" in many[0].text
    chosen = await bot.say(f"/dept 办公室 chat {second.id}", user=bot.admin, chat=own)
    assert "（第二工作群）" in chosen[0].text
    assert (await _department(bot, "办公室", second)).tg_chat_id == own.id
    assert (await _department(bot, "办公室")).tg_chat_id is None


async def test_departments_in_english(bot):
    await bot.say("/lang en", user=bot.admin)
    listing = (await bot.say("/dept"))[0].text
    assert "Departments (7)" in listing and "• 办公室: no members yet" in listing
    refused = await bot.say("/dept 办公室 add @x", user=bot.member)
    assert refused[0].text == "Only admins can change departments' members and groups."
    unknown = await bot.say("/dept 财务部", user=bot.admin)
    assert unknown[0].text.startswith('There is no department "财务部"')


async def test_dept_in_a_forum_topic_is_answered_there(bot):
    forum = bot.sandbox.add_chat("supergroup", title="论坛", is_forum=True)
    await import_sample(bot, forum)
    replies = await bot.say("/dept", chat=forum, thread_id=5)
    assert replies[0].thread_id == 5 and "办公室" in replies[0].text


@pytest.mark.parametrize("bad", ["²", "-①", "٣", str(2**63), "-" + "9" * 30, "0", "1.5"])
async def test_a_plan_group_id_that_is_no_id_is_refused(bot, bad):
    # `/dept 办公室 chat ²` crashed (int() refused what str.isdigit() let through); a number
    # past any Telegram id reached the database (out of PostgreSQL's bigint).
    own = bot.sandbox.add_chat("supergroup", title="办公室群")
    replies = await bot.say(f"/dept 办公室 chat {bad}", user=bot.admin, chat=own)
    assert "用法：/dept 部室" in replies[0].text
    assert (await _department(bot, "办公室")).tg_chat_id is None


@pytest.mark.parametrize("args", ["、、、", "、 add @boss", "，， chat", "\u200b"])
async def test_a_department_name_of_only_separators_gets_the_usage(bot, args):
    # `/dept 、、、` crashed: the name normalised to nothing and the lookup refused it.
    replies = await bot.say(f"/dept {args}", user=bot.admin)
    assert replies[0].text.startswith("用法：/dept 部室 add @用户")
