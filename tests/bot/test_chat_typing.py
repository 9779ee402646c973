"""Commands as Chinese office staff type them, end to end: numbers glued to text, full-width
digits, 第3项 / 3号 / #3 in every command that names an item; several items at once; the slash
of a Chinese input method; misspelt and unknown commands; /plan 上个月."""

import pytest
from sqlalchemy import select

from storage.models import Item, ItemEvent
from tests.support.chat import bind, item_row, joined, office_time, seed
from tests.support.harness import running_bot


@pytest.fixture
async def bot(tmp_path):
    async with running_bot(tmp_path) as harness:
        await seed(harness)
        # 张三 is 董军, who leads item 10 only.
        await bind(harness, "董军", harness.member)
        yield harness


async def _notes(bot, kind: str = "done") -> dict[int, str]:
    """Item number → the note of its `kind` events."""
    async with bot.db.session() as session:
        rows = await session.execute(
            select(Item.seq, ItemEvent.text)
            .join(Item, Item.id == ItemEvent.item_id)
            .where(ItemEvent.kind == kind)
        )
        return {seq: text for seq, text in rows}


# --- a number however typed, in every command that names an item ----------------------------


@pytest.mark.parametrize(
    ("text", "seq", "note"),
    [
        ("/done 3已报送材料", 3, "已报送材料"),
        ("/done 5：已完成", 5, "已完成"),
        ("/done 1。", 1, ""),
        ("/done ４", 4, ""),
        ("/done 第6项 已办结", 6, "已办结"),
        ("/done 7号", 7, ""),
        ("/done #8", 8, ""),
        ("/done ＃２ 交了", 2, "交了"),
        ("/done 九", 9, ""),
        ("/done 3 2个单位已完成", 3, "2个单位已完成"),
    ],
)
async def test_done_reads_the_item_however_it_is_typed(bot, text, seq, note):
    replies = await bot.say(text, user=bot.admin)
    assert replies[0].text.startswith(f"✅ 第 {seq} 项「"), replies[0].text
    assert (await item_row(bot, seq)).status == "done"
    assert await _notes(bot) == {seq: note}
    assert ("备注：" in replies[0].text) == bool(note)


async def test_progress_reads_a_glued_item_and_keeps_the_percentage_apart(bot):
    replies = await bot.say("/progress 第10项 60%已完成初稿")
    assert replies[0].text.splitlines()[:2] == [
        "📈 第 10 项「做好档案升级达标评审和工会统计年报工作」进度 60%（张三）。",
        "备注：已完成初稿",
    ]
    replies = await bot.say("/progress 10号：75")
    assert "进度 75%" in replies[0].text
    assert (await item_row(bot, 10)).progress == 75


async def test_every_other_item_command_reads_the_forgiving_forms(bot):
    card = joined(await bot.say("/item 第3项"))
    assert "筹备好“助力荆楚共创未来”荆州—东莞就业专场活动" in card
    await bind(bot, "高启秀", bot.admin)  # an acknowledgement is the responsible person's
    acked = await bot.say("/ack ３号", user=bot.admin)
    assert acked[0].text.startswith("👀 管理员 已确认收到：3. "), acked[0].text
    await bot.say("/done 3", user=bot.admin)
    reopened = await bot.say("/reopen #3", user=bot.admin)
    assert reopened[0].text.startswith("↩️ 第 3 项「"), reopened[0].text
    assert (await item_row(bot, 3)).status == "open"
    edited = await bot.say("/edit 第5项 时限 11月15日", user=bot.admin)
    assert edited[0].text.startswith("✏️ 已修改第 5 项「"), edited[0].text
    asked = await bot.say("/delete 4号", user=bot.admin)
    assert "第 4 项" in asked[0].text and asked[0].reply_markup is not None


async def test_a_command_about_one_item_refuses_several_in_one_sentence(bot):
    replies = await bot.say("/item 1,2")
    assert [m.text for m in replies] == ["/item 一次只能写一项。例：/item 3"]


# --- several items at once --------------------------------------------------------------------


@pytest.mark.parametrize("text", ["/done 1,2,3 已报送", "/done 1、2、3 已报送", "/done 1-3 已报送"])
async def test_an_admin_marks_several_items_done_in_one_answer(bot, text):
    replies = await bot.say(text, user=bot.admin)
    assert len(replies) == 1
    lines = replies[0].text.splitlines()
    assert lines[0] == "✅ 管理员 登记完成："
    assert [line.split("「")[0] for line in lines[1:4]] == ["第 1 项", "第 2 项", "第 3 项"]
    assert all(line.endswith("：已完成") for line in lines[1:4])
    assert lines[4:] == ["备注：已报送", "发错了？10 分钟内每发送一次 /undo 撤销一项。"]
    assert [(await item_row(bot, n)).status for n in (1, 2, 3, 4)] == ["done"] * 3 + ["open"]


async def test_several_items_each_say_what_happened_to_them(bot):
    await bot.say("/done 10")
    replies = await bot.say("/done 9,10,12")
    assert replies[0].text.splitlines() == [
        "✅ 张三 登记完成：",
        "第 9 项：不是你负责的，未登记",
        "第 10 项「做好档案升级达标评审和工会统计年报工作」：早已完成，不用再登记",
        "第 12 项：没有这一项",
    ]
    assert (await item_row(bot, 9)).status == "open"


async def test_ack_of_several_items_by_space(bot):
    await bind(bot, "高启秀", bot.admin)  # leads items 1 to 5
    replies = await bot.say("/ack 2 5", user=bot.admin)
    assert replies[0].text.startswith("👀 管理员 已确认收到：2. ")
    assert "、5. " in replies[0].text
    assert set(await _notes(bot, "ack")) == {2, 5}
    none = await bot.say("/ack 1-2")
    assert none[0].text == "这几项都不是您负责的，只有各项的责任领导和责任部室成员可以确认收到。"


# --- the slash of a Chinese input method ------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["／done 10", "、done 10 已报送", "/Ｄｏｎｅ 10", "、ＤＯＮＥ　１０"]
)
async def test_an_input_methods_slash_is_answered_as_the_command(bot, text):
    replies = await bot.say(text)
    assert replies[0].text.startswith("✅ 第 10 项"), text
    assert (await item_row(bot, 10)).status == "done"


async def test_an_input_methods_slash_keeps_the_commands_access_rule(bot):
    replies = await bot.say("、delete 3")
    assert [m.text for m in replies] == ["只有管理员可以使用 /delete。"]


@pytest.mark.parametrize("text", ["、好的", "、xyz 1", "、 done 1", "／ 好"])
async def test_plain_text_after_a_slash_stays_ignored(bot, text):
    assert await bot.say(text) == []


# --- misspelt and unknown commands ------------------------------------------------------------


async def test_a_misspelt_command_gets_a_suggestion_once(bot):
    replies = await bot.say("/paln")
    assert [m.text for m in replies] == ["你是不是想用 /plan？例：/plan 十月 组织部"]
    assert await bot.say("/paln") == [], "not twice for the same misspelling"
    dnoe = await bot.say("/dnoe 3")
    assert [m.text for m in dnoe] == ["你是不是想用 /done？例：/done 3 已报送材料"]
    other = await bot.say("/paln", user=bot.admin)
    assert len(other) == 1, "someone else making the same typo is answered"
    addressed = await bot.say("/porgress@planbot_bot 3 50%")
    assert addressed[0].text.startswith("你是不是想用 /progress？")


async def test_an_unknown_command_gets_the_short_help_line(bot):
    replies = await bot.say("/xyz")
    assert [m.text for m in replies] == ["没有 /xyz 这条命令。发送 /help 查看常用命令。"]


@pytest.mark.parametrize("text", ["/plan@otherbot", "/xyz@otherbot", "/paln@otherbot"])
async def test_a_command_for_another_bot_stays_ignored(bot, text):
    assert await bot.say(text) == []


async def test_the_suggestion_in_english(bot):
    await bot.say("/lang en", user=bot.admin)
    replies = await bot.say("/paln")
    assert [m.text for m in replies] == ["Did you mean /plan? e.g. /plan october 组织部"]


# --- relative periods in /plan ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "words"),
    [
        ((2020, 10, 20), "本月"),
        ((2020, 11, 5), "上个月"),
        ((2020, 11, 5), "上月"),
        ((2020, 9, 20), "下个月"),
        ((2020, 9, 20), "下月"),
    ],
)
async def test_plan_of_a_month_named_from_today(bot, day, words):
    with office_time(*day):
        text = joined(await bot.say(f"/plan {words}"))
    assert "（2020年10月，共 10 项）" in text, text


async def test_plan_of_a_relative_month_with_a_filter_and_without_a_plan(bot):
    with office_time(2020, 10, 20):
        filtered = joined(await bot.say("/plan 本月 组织部"))
        missing = await bot.say("/plan 下月")
    assert "组织部" in filtered and "（2020年10月" in filtered
    assert missing[0].text.startswith("没有2020年11月的计划。")
