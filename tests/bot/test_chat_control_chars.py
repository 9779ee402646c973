"""Control characters in what people type or import are dropped before anything is stored:
a NUL crashed PostgreSQL ("invalid byte sequence for encoding UTF8: 0x00")."""

from datetime import UTC, datetime

import pytest
import time_machine
from sqlalchemy import select

from plans.sample import sample_text
from storage.models import Item, ItemEvent, Plan
from tests.support.chat import bind, button, item_row, press, seed
from tests.support.harness import running_bot

GENERIC_ERROR = "抱歉，处理这条命令时出错了"


@pytest.fixture
async def bot(tmp_path):
    async with running_bot(tmp_path) as harness:
        yield harness


async def test_a_nul_in_a_done_note_is_dropped(bot):
    await seed(bot)
    await bind(bot, "董军", bot.member)
    replies = await bot.say("/done 10 年报\x00已\x07报送")
    assert GENERIC_ERROR not in replies[0].text
    assert (await item_row(bot, 10)).status == "done"
    async with bot.db.session() as session:
        notes = list(await session.scalars(select(ItemEvent.text).where(ItemEvent.kind == "done")))
    assert notes == ["年报已报送"]


async def test_add_keeps_line_breaks_and_tabs_and_drops_other_controls(bot):
    await seed(bot)
    replies = await bot.say(
        "/add 职工\x00代表\x1b大会\x7f | 高启秀 | 办公室 | 10月28日", user=bot.admin
    )
    assert GENERIC_ERROR not in replies[0].text
    async with bot.db.session() as session:
        titles = list(await session.scalars(select(Item.title).order_by(Item.id)))
    assert titles[-1] == "职工代表大会"


async def test_an_import_with_nuls_is_stored_clean(bot):
    text = sample_text().replace("召开", "召\x00开").replace("\n", "\r\n")
    assert "\x00" in text
    with time_machine.travel(datetime(2020, 10, 12, 2, 0, tzinfo=UTC), tick=True):
        bot.sandbox.send_document(
            bot.group, bot.admin, "计划.txt", text.encode(), caption="/import"
        )
        bot.pushed += 1
        await bot.settle()
        preview = bot.sandbox.sent(bot.group)[-1]
        done = await press(bot, preview, button(preview, "确认"), bot.admin)
    assert "已导入" in done[-1].text
    async with bot.db.session() as session:
        plan = await session.scalar(select(Plan))
        titles = list(await session.scalars(select(Item.title)))
    assert plan is not None and "\x00" not in plan.source_text and "\r" not in plan.source_text
    assert "召开" in plan.source_text
    assert not [title for title in titles if "\x00" in title]


@pytest.mark.parametrize(
    ("command", "answer"),
    [
        ("/plan 办\x00公室", "办公室"),
        ("/dept 办\x00公室", "办公室"),
        ("/dept \x00 2147483648", "没有「2147483648」这个部室"),
        ("/item 1\x00", "扎实开展2020年“扶贫日”活动"),
    ],
)
async def test_a_nul_in_a_command_argument_is_dropped_before_any_query(bot, command, answer):
    # PostgreSQL refused the NUL in the query's parameter ("invalid byte sequence for encoding
    # UTF8: 0x00") when an argument was looked up (/plan's department filter, /dept's name).
    await seed(bot)
    replies = await bot.say(command, user=bot.admin)
    assert GENERIC_ERROR not in replies[0].text
    assert answer in replies[0].text
