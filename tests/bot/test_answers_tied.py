"""In a group the bot answers a command as a reply to it, so the answer stays tied to its
question in a busy group; button answers and private chats carry no quote."""

import pytest

from bot.views.buttons import item_buttons
from tests.support.chat import bind, item_ids, office_time, post_about, press, seed
from tests.support.harness import running_bot


@pytest.fixture
async def bot(tmp_path):
    async with running_bot(tmp_path) as harness:
        await seed(harness)
        await bind(harness, "董军", harness.member)
        yield harness


def _last_command(bot, chat):
    return [m for m in bot.sandbox.history(chat) if not m.from_bot][-1]


async def test_a_command_in_a_group_is_answered_as_a_reply_to_it(bot):
    with office_time(2020, 10, 20):
        replies = await bot.say("/plan")
    asked = _last_command(bot, bot.group)
    assert replies[0].reply_to_message_id == asked.message_id


async def test_a_private_answer_and_a_buttons_answer_carry_no_quote(bot):
    private = bot.sandbox.private_chat(bot.member)
    with office_time(2020, 10, 20):
        replies = await bot.say("/mine", chat=private)
        assert replies and replies[0].reply_to_message_id is None
        (item_id,) = await item_ids(bot, 10)
        buttons = item_buttons([(item_id, 10)], "zh_CN")
        reminder = await post_about(bot, [10], reply_markup=buttons)
        sent = await press(bot, reminder, f"it:done:{item_id}", bot.member)
    assert sent and "已完成" in sent[0].text and sent[0].reply_to_message_id is None
