"""A refusal quotes at most a short prefix of what it refuses: a 5,000-character argument to
any command is answered in one short message, not pages of the user's own text."""

import pytest

from bot.views.render import visible_length
from plans.sample import sample_text
from tests.support.harness import running_bot

LONG = "乱" * 5000
# Each command with a long argument where it expects a number, a date, a word or a name.
COMMANDS = [
    f"/lang {LONG}",
    f"/plan {LONG}",
    f"/summary {LONG}",
    f"/stats {LONG}",
    f"/export {LONG}",
    f"/remind time {LONG}",
    f"/remind days {LONG}",
    f"/remind digest {LONG}",
    f"/remind escalate {LONG}",
    f"/remind {LONG}",
    f"/edit 1 {LONG} 3月31日",
    f"/edit 1 完成时限 {LONG}",
    f"/extend 1 {LONG}",
    f"/done {LONG}",
    f"/ack {LONG}",
    f"/item {LONG}",
    f"/delete {LONG}",
    f"/bind @{LONG} 张三",
    f"/iam {LONG}<>",
    f"/bind @zhangsan {LONG}<>",
    f"/dept {LONG}",
    f"/import {LONG}",
]


@pytest.mark.sqlite_only("what the bot says, not how it stores it")
async def test_a_very_long_argument_gets_a_short_refusal(tmp_path):
    # More replies than Telegram lets one group have in a minute: the limits are lifted here.
    async with running_bot(
        tmp_path,
        sandbox_options={"group_limit": (1000, 60.0)},
        telegram={"rate_limits": {"group_max_rate": 1000}},
    ) as bot:
        preview = await bot.say("/import " + sample_text(), user=bot.admin)
        bot.sandbox.press_button(preview[-1], bot.admin, preview[-1].buttons[0]["callback_data"])
        bot.pushed += 1
        await bot.settle()
        too_long = {}
        for command in COMMANDS:
            answer = await bot.say(command, user=bot.admin)
            size = sum(visible_length(m.text or "") for m in answer)
            if len(answer) != 1 or size > 600:
                too_long[command.split(" ")[0] + " …"] = (len(answer), size)
        assert too_long == {}, "(messages, characters) of each answer too long"
