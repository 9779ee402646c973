"""/lang end to end: the chat's language, who may change it, and what it changes."""

import pytest

from bot.handlers.lang import parse_language
from storage.chats import get_chat
from tests.support.harness import running_bot


@pytest.fixture
async def bot(tmp_path):
    async with running_bot(tmp_path) as harness:
        yield harness


async def _locale(bot, chat):
    async with bot.db.session() as session:
        row = await get_chat(session, chat.id)
    return None if row is None else row.locale


def test_what_people_type_for_a_language():
    assert parse_language("EN") == parse_language("english") == parse_language("英文") == "en"
    assert parse_language("zh") == parse_language("中文") == parse_language("zh-Hans") == "zh_CN"
    assert parse_language("fr") is None and parse_language("enx") is None


async def test_lang_alone_shows_the_language_and_the_choices(bot):
    replies = await bot.say("/lang")
    assert replies[0].text == "当前语言：中文。切换：/lang zh（中文）或 /lang en（English）。"


async def test_an_admin_switches_to_english_and_help_follows(bot):
    switched = await bot.say("/lang en", user=bot.admin)
    assert switched[0].text == "OK, I will answer in English in this chat from now on."
    assert await _locale(bot, bot.group) == "en"
    help_text = (await bot.say("/help"))[0].text
    assert "Commands" in help_text and "命令" not in help_text
    assert "/iam — bind yourself" in help_text and "/extend — ask for a later deadline" in help_text
    assert (await bot.say("/lang"))[0].text.startswith("Language: English.")

    back = await bot.say("/lang 中文", user=bot.admin)
    assert back[0].text == "好的，本群以后用中文回复。"
    assert "命令" in (await bot.say("/help"))[0].text


async def test_a_member_may_not_change_the_groups_language(bot):
    refused = await bot.say("/lang english", user=bot.member)
    assert refused[0].text == "只有管理员可以更改本群的语言。"
    assert await _locale(bot, bot.group) is None
    bot.sandbox.set_admin(bot.group, bot.member)
    assert "English" in (await bot.say("/lang english", user=bot.member))[0].text


async def test_an_unknown_language_gets_an_example_and_is_escaped(bot):
    replies = await bot.say("/lang <b>klingon</b>", user=bot.admin)
    assert replies[0].text == "不支持「<b>klingon</b>」。例：/lang en 或 /lang zh"
    assert await _locale(bot, bot.group) is None


async def test_a_private_chat_has_its_own_language(bot):
    private = bot.sandbox.private_chat(bot.member)
    replies = await bot.say("/lang en", user=bot.member, chat=private)
    assert replies[0].text.startswith("OK, I will answer in English")
    assert "Commands" in (await bot.say("/help", user=bot.member, chat=private))[0].text
    assert "命令" in (await bot.say("/help"))[0].text, "the group keeps its language"


async def test_lang_in_a_forum_topic_is_answered_there(bot):
    forum = bot.sandbox.add_chat("supergroup", title="论坛", is_forum=True)
    replies = await bot.say("/lang en", user=bot.admin, chat=forum, thread_id=3)
    assert replies[0].thread_id == 3 and await _locale(bot, forum) == "en"
