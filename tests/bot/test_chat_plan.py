"""/plan end to end: months, filters, markers on pinned days, splitting, escaping, topics,
private chats, and both languages."""

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from storage.item_changes import Author, NewItem, add_item
from storage.models import Item, ReminderMessage
from tests.support.chat import bind, joined, office_time, seed
from tests.support.harness import running_bot

SAMPLE_LEADERS = ("高启秀", "郭红萍", "张征军", "董军")
NOW = datetime(2020, 10, 1, 2, tzinfo=UTC)
_HEAD = re.compile(r"^(?:(\S+) )?(\d+)\. ", re.MULTILINE)


def heads(text: str) -> dict[int, str]:
    """Item number → its marker ("" for none), from the items' first lines."""
    return {int(seq): marker or "" for marker, seq in _HEAD.findall(text)}


@pytest.fixture
async def bot(tmp_path):
    async with running_bot(tmp_path) as harness:
        yield harness


@pytest.mark.parametrize("month", ["october", "oct", "10", "十月", "10月", "十月份", "2020-10"])
async def test_every_way_of_naming_october_shows_the_ten_items(bot, month):
    await seed(bot)
    replies = await bot.say(f"/plan {month}")
    text = joined(replies)
    assert "荆州市总工会十月份工作计划（2020年10月，共 10 项）" in text
    assert "10. 做好档案升级达标评审和工会统计年报工作" in text
    for leader in SAMPLE_LEADERS:
        assert leader in text
    assert "组织部 · 工业制造业工会联合会" in text, "two lead departments: their parts"
    assert text.count("2020-10-31") == 10


async def test_markers_follow_the_day(bot):
    await seed(bot)
    with office_time(2020, 10, 20):
        assert set(heads(joined(await bot.say("/plan"))).values()) == {""}, "not near yet"
    with office_time(2020, 10, 26):
        assert set(heads(joined(await bot.say("/plan"))).values()) == {"🔵"}, "within a week"
    with office_time(2020, 10, 29):
        text = joined(await bot.say("/plan"))
    assert set(heads(text).values()) == {"🟡"} and "🟡 滞后 10" in text, "3 days, no report"
    with office_time(2020, 11, 3):
        text = joined(await bot.say("/plan october"))
    assert set(heads(text).values()) == {"🔴"} and "🔴 逾期 10" in text


async def test_a_report_and_a_done_change_the_markers(bot):
    await seed(bot)
    await bind(bot, "董军", bot.member)
    with office_time(2020, 10, 29):
        await bot.say("/progress 10 60% 初稿已完成")
        await bot.say("/done 9", user=bot.admin)
        text = joined(await bot.say("/plan"))
    markers = heads(text)
    assert markers[10] == "🔵", "60% reported: no longer behind, still near"
    assert markers[9] == "✅" and markers[8] == "🟡"
    assert "进度 60%" in text and "2020-10-29 完成" in text
    assert "✅ 完成 1　🔴 逾期 0　🟡 滞后 8　🔵 临近 1" in text


@pytest.mark.parametrize(
    ("arguments", "seqs"),
    [
        ("十月 组织部", [4]),
        ("宣教网络部", [6, 7]),
        ("董 军", [10]),
        ("郭红萍 oct", [6, 7]),
        ("未完成", list(range(1, 10))),
        ("已完成", [10]),
        ("done", [10]),
    ],
)
async def test_filters(bot, arguments, seqs):
    await seed(bot)
    await bot.say("/done 10", user=bot.admin)
    text = joined(await bot.say(f"/plan {arguments}"))
    assert sorted(heads(text)) == seqs
    assert f"：{len(seqs)} 项" in text


async def test_overdue_filter_on_a_pinned_day(bot):
    await seed(bot)
    await bot.say("/done 1", user=bot.admin)
    with office_time(2020, 11, 3):
        text = joined(await bot.say("/plan 逾期"))
    assert "筛选“逾期”：9 项" in text and "1. 扎实开展" not in text
    with office_time(2020, 10, 20):
        text = joined(await bot.say("/plan overdue"))
    assert text.endswith("2020年10月计划中没有符合“逾期”的事项。")


async def test_month_without_a_plan_lists_the_months_that_have_one(bot):
    await seed(bot)
    with office_time(2020, 11, 3):
        replies = await bot.say("/plan 十一月")
    assert [m.text for m in replies] == ["没有2020年11月的计划。已有计划：2020年10月。"]


async def test_no_plan_at_all(bot):
    replies = await bot.say("/plan")
    assert replies[0].text == "本群还没有工作计划，管理员可以用 /import 导入。"


@pytest.mark.parametrize("arguments", ["13", "人事处", "<b>x</b>"])
async def test_garbage_gets_one_line_with_an_example(bot, arguments):
    await seed(bot)
    replies = await bot.say(f"/plan {arguments}")
    assert len(replies) == 1
    assert replies[0].text.startswith(f"看不懂“{arguments}”")
    assert "例：/plan 十月 组织部" in replies[0].text


async def test_escaping_and_splitting_a_long_plan(bot):
    chat_id = await seed(bot)
    long_title = "<b>职工&家属</b> " + "很长的事项标题" * 30
    async with bot.db.session() as session:
        for _ in range(20):  # by hand, not by /add: 20 answers would hit the group flood limit
            new = NewItem(long_title, "董军", "办公室", "10月20日")
            author = Author(bot.admin.id, "管理员")
            await add_item(session, chat_id, date(2020, 10, 1), new, author, NOW)
    replies = await bot.say("/plan")
    assert len(replies) > 1, "30 long items do not fit one message"
    assert all(len(m.text) <= 4096 for m in replies)
    text = joined(replies)
    assert "11. <b>职工&家属</b>" in text and "30. <b>职工&家属</b>" in text
    assert "&lt;b&gt;职工&amp;家属&lt;/b&gt;" in replies[-1].html
    async with bot.db.session() as session:
        recorded = (await session.scalars(select(ReminderMessage))).all()
    assert [m.kind for m in recorded] == ["plan"] * len(replies)


async def test_answers_in_the_forum_topic_asked_in(bot):
    forum = bot.sandbox.add_chat("supergroup", title="论坛", is_forum=True)
    await seed(bot, forum)
    replies = await bot.say("/plan", chat=forum, thread_id=42)
    assert replies and all(m.thread_id == 42 for m in replies)
    assert "共 10 项" in replies[0].text


async def test_private_chat_shows_the_plan_of_the_group_the_sender_is_bound_in(bot):
    await seed(bot)
    private = bot.sandbox.private_chat(bot.member)
    refused = await bot.say("/plan", chat=private)
    assert "/iam 姓名" in refused[0].text
    await bind(bot, "董军", bot.member)
    replies = await bot.say("/plan", chat=private)
    assert "共 10 项" in replies[0].text


async def test_english(tmp_path):
    async with running_bot(tmp_path, i18n={"locale": "en"}) as bot:
        await seed(bot)
        with office_time(2020, 10, 29):
            text = joined(await bot.say("/plan october open"))
            missing = await bot.say("/plan nov")
        assert "(2020-10, 10 items)" in text and "Filter “open”: 10 items" in text
        assert "高启秀 | 权益保障部 | 2020-10-31 | 0% done" in text
        assert "🟡 behind 10" in text
        assert missing[0].text == "There is no plan for 2020-11. Plans: 2020-10."
        bad = await bot.say("/plan whenever")
        assert bad[0].text.startswith("I don't understand “whenever”")


async def test_the_plan_message_is_recorded_for_replies(bot):
    await seed(bot)
    replies = await bot.say("/plan 董军")
    async with bot.db.session() as session:
        rows = (
            await session.execute(
                select(ReminderMessage.tg_message_id, ReminderMessage.kind, Item.seq)
                .join(ReminderMessage.item_links)
                .join(Item)
            )
        ).all()
    assert rows == [(replies[0].message_id, "plan", 10)]
