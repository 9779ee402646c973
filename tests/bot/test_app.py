"""End to end: the real PTB Application talks HTTP to the sandbox."""

import pytest
from telegram.constants import ParseMode
from telegram.error import RetryAfter

from bot.handlers import COMMANDS
from storage.chats import get_chat
from tests.support.harness import running_bot


@pytest.fixture
async def bot(tmp_path):
    async with running_bot(tmp_path) as harness:
        yield harness


async def test_help_in_a_group_lists_every_command_in_chinese(bot):
    replies = await bot.say("/help 全部")
    assert len(replies) == 1
    text = replies[0].text
    assert "命令" in text
    for command in COMMANDS:
        assert f"/{command.name} — " in text
    assert replies[0].parse_mode == ParseMode.HTML


async def test_every_command_help_lists_gets_an_answer(bot):
    for command in COMMANDS:
        # A group each: one group gets at most 20 messages a minute.
        chat = bot.sandbox.add_chat("supergroup", title=command.name)
        replies = await bot.say(f"/{command.name}", user=bot.admin, chat=chat)
        assert replies, f"/{command.name} went unanswered"


async def test_help_addressed_to_the_bot_by_name_is_answered(bot):
    replies = await bot.say(f"/help@{bot.sandbox.bot.username}")
    assert replies and "命令" in replies[0].text


async def test_english_default_locale_answers_in_english(tmp_path):
    async with running_bot(tmp_path, i18n={"locale": "en"}) as harness:
        replies = await harness.say("/help")
    assert "Commands" in replies[0].text and "命令" not in replies[0].text


async def test_start_in_private_explains_the_bot(bot):
    chat = bot.sandbox.private_chat(bot.member)
    replies = await bot.say("/start", chat=chat)
    assert "张三" in replies[0].text and "/help" in replies[0].text


async def test_menu_commands_are_registered_in_both_languages(bot):
    commands = bot.sandbox.commands
    zh = dict(commands[("default", "zh")])
    en = dict(commands[("default", "en")])
    assert zh.keys() == en.keys() == {c.name for c in COMMANDS if c.in_menu}
    assert zh["help"] != en["help"]
    assert dict(commands[("default", "")]) == zh


async def test_a_chat_outside_allowed_chats_is_told_once_and_nothing_more(tmp_path):
    async with running_bot(tmp_path, access={"allowed_chats": [-42]}) as harness:
        told = await harness.say("/help")
        assert [m.text for m in told] == ["本机器人只为指定的工作群服务，这里不会保存任何内容。"]
        assert await harness.say("/help") == []
        async with harness.db.session() as session:
            assert await get_chat(session, harness.group.id) is None
        other = harness.sandbox.add_chat("supergroup", title="allowed", chat_id=-42)
        assert await harness.say("/help", chat=other)


async def test_a_forum_topic_question_is_answered_in_that_topic(bot):
    forum = bot.sandbox.add_chat("supergroup", title="论坛", is_forum=True)
    replies = await bot.say("/help", chat=forum, thread_id=7)
    assert replies[0].thread_id == 7


async def test_more_messages_than_a_group_may_take_all_arrive_in_order(tmp_path):
    # Telegram's 20 per minute per group, shrunk to 3 per 0.3 s on both sides.
    limits = {"group_max_rate": 3, "group_time_period": 0.3}
    async with running_bot(
        tmp_path, sandbox_options={"group_limit": (3, 0.3)}, telegram={"rate_limits": limits}
    ) as harness:
        for n in range(1, 10):
            await harness.application.bot.send_message(harness.group.id, f"第{n}条")
        sent = harness.sandbox.sent(harness.group)
    assert [m.text for m in sent] == [f"第{n}条" for n in range(1, 10)]
    assert harness.sandbox.stats.too_many_requests == 0


async def test_without_the_throttle_the_sandbox_refuses_like_telegram(tmp_path):
    # The same burst with the bot's own limit set too high: the sandbox answers 429, proving the
    # previous test's silence comes from the throttle and not from a lenient sandbox.
    limits = {"group_max_rate": 100, "group_time_period": 0.3, "max_retries": 0}
    async with running_bot(
        tmp_path, sandbox_options={"group_limit": (3, 0.3)}, telegram={"rate_limits": limits}
    ) as harness:
        with pytest.raises(RetryAfter):
            for n in range(1, 10):
                await harness.application.bot.send_message(harness.group.id, f"第{n}条")
        assert len(harness.sandbox.sent(harness.group)) == 3
