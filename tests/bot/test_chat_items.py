"""/progress, /item, /mine, /undo and the admins' /add, /edit, /delete, /reopen end to end."""

import io

import pytest
from sqlalchemy import func, select

from bot.cli.console import run_console
from bot.config import parse_config
from storage.models import Item, ItemEvent, Reminder
from tests.support.chat import (
    bind,
    button,
    item_row,
    join,
    joined,
    office_time,
    press,
    seed,
)
from tests.support.harness import running_bot

TITLE_10 = "第 10 项「做好档案升级达标评审和工会统计年报工作」"
TITLE_3 = "第 3 项「筹备好“助力荆楚共创未来”荆州—东莞就业专场活动」"


@pytest.fixture
async def bot(tmp_path):
    async with running_bot(tmp_path) as harness:
        await seed(harness)
        await bind(harness, "董军", harness.member)
        yield harness


async def _count(bot, table, condition) -> int:
    async with bot.db.session() as session:
        return await session.scalar(select(func.count()).select_from(table).where(condition))


async def _kinds(bot) -> list[str]:
    async with bot.db.session() as session:
        return list(await session.scalars(select(ItemEvent.kind).order_by(ItemEvent.id)))


# -- /progress ----------------------------------------------------------------------------


async def test_progress_with_a_percentage_and_a_note(bot):
    replies = await bot.say("/progress 10 60% 初稿已完成")
    assert replies[0].text.splitlines() == [
        f"📈 {TITLE_10}进度 60%（张三）。",
        "备注：初稿已完成",
        "发错了？10 分钟内发送 /undo 可撤销。",
    ]
    assert (await item_row(bot, 10)).progress == 60
    await bot.say("/progress 10 75")
    assert (await item_row(bot, 10)).progress == 75


@pytest.mark.parametrize(
    ("text", "percent"),
    [("/progress 10 六成", 60), ("/progress 10 百分之五十", 50), ("/progress 10 一半", 50)],
)
async def test_progress_in_words(bot, text, percent):
    replies = await bot.say(text)
    assert f"{percent}%" in replies[0].text
    assert (await item_row(bot, 10)).progress == percent


async def test_progress_over_half_in_words_is_a_note_and_the_answer_asks_for_a_number(bot):
    replies = await bot.say("/progress 10 过半")
    assert "已记为进展说明" in replies[0].text and "/progress 10 60%" in replies[0].text
    assert (await item_row(bot, 10)).progress == 0


async def test_progress_as_a_note_only(bot):
    replies = await bot.say("/progress 10 等待局领导审批")
    assert replies[0].text.splitlines()[:2] == [
        f"📝 已记录{TITLE_10}的进展（张三）。",
        "备注：等待局领导审批",
    ]
    assert (await item_row(bot, 10)).progress == 0
    assert await _kinds(bot) == ["note"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/progress 10 150%", "进度应在 0% 到 100% 之间，收到的是 150%。"),
        ("/progress 10 -5%", "进度应在 0% 到 100% 之间，收到的是 -5%。"),
        ("/progress 10", "请写明事项编号和进度或进展。"),
        ("/progress", "请写明事项编号和进度或进展。"),
        ("/progress 99 50%", "2020年10月计划中没有第 99 项（共 10 项）。"),
    ],
)
async def test_wrong_progress_changes_nothing(bot, text, expected):
    replies = await bot.say(text)
    assert len(replies) == 1 and replies[0].text.startswith(expected)
    assert "例：/progress 3 60% 已完成初稿" in replies[0].text
    assert (await item_row(bot, 10)).progress == 0
    assert await _kinds(bot) == []


async def test_hundred_percent_is_not_done(bot):
    replies = await bot.say("/progress 10 100%")
    assert "进度已到 100%，但事项仍未完成；完成后请发送 /done 10。" in replies[0].text
    item = await item_row(bot, 10)
    assert (item.status, item.progress) == ("open", 100)


async def test_progress_of_a_done_item_or_by_a_stranger(bot):
    await bot.say("/done 10")
    replies = await bot.say("/progress 10 50%")
    assert replies[0].text.startswith(f"{TITLE_10}已完成，不能再改进度")
    assert (await item_row(bot, 10)).progress == 100
    stranger = bot.sandbox.add_user("李四")
    refused = await bot.say("/progress 1 50%", user=stranger)
    assert refused[0].text.startswith("只有第 1 项的责任领导（高启秀）")


# -- /item ----------------------------------------------------------------------------------


async def test_item_shows_the_whole_history_in_office_time(bot):
    with office_time(2020, 10, 20, 9, 30):
        await bot.say("/progress 10 60% 初稿")
        await bot.say("/done 10 <b>已报送</b>")
        await bot.say("/reopen 10", user=bot.admin)
        await bot.say("/edit 10 时限 11月15日", user=bot.admin)
        await bot.say("/undo", user=bot.admin)
        await bot.say("/edit 10 内容 整理2020年档案", user=bot.admin)
        replies = await bot.say("/item 10", user=bot.admin)
    lines = joined(replies).splitlines()
    assert lines[0] == "2020年10月"
    assert lines[1] == "10. 做好档案升级达标评审和工会统计年报工作"
    # Reopened: back to the 60% reported before the done.
    assert lines[2].strip() == "董军｜办公室｜2020-10-31｜进度 60%"
    assert lines[3] == "内容：整理2020年档案"
    history = lines[lines.index("记录") + 1 :]
    assert [line[:17] for line in history] == ["2020-10-20 09:30 "] * 6
    assert [line[17:] for line in history] == [
        "张三：📈 进度 60% — 初稿",
        "张三：✅ 登记完成 — <b>已报送</b>",
        "管理员：↩️ 重新打开",
        "管理员：✏️ 修改 完成时限：2020-10-31 → 2020-11-15；时限原文：十月份 → 11月15日",
        "管理员：↩️ 撤销修改",
        "管理员：✏️ 修改 内容：（无） → 整理2020年档案",
    ]


async def test_item_that_does_not_exist(bot):
    replies = await bot.say("/item 11")
    assert replies[0].text == "2020年10月计划中没有第 11 项（共 10 项）。例：/item 3"


async def _delete(bot, seq: int) -> None:
    question = (await bot.say(f"/delete {seq}", user=bot.admin))[0]
    deleted = await press(bot, question, button(question, "确认删除"), bot.admin)
    assert deleted[0].text.startswith("🗑 已删除")


async def test_a_deleted_item_says_who_deleted_it_and_keeps_its_history(bot):
    with office_time(2020, 10, 20, 9, 30):
        await bot.say("/edit 10 内容 整理2020年档案", user=bot.admin)
        await bot.say("/done 10 已报送")
        await bot.say("/reopen 10", user=bot.admin)
        await bot.say("/undo", user=bot.admin)
    item_id = (await item_row(bot, 10)).id
    assert await _count(bot, Reminder, Reminder.item_id == item_id) > 0
    with office_time(2020, 10, 21, 10, 30):
        await _delete(bot, 10)
        replies = await bot.say("/item 10")
    assert joined(replies).splitlines() == [
        "2020年10月",
        f"🗑 {TITLE_10}已于 2020-10-21 10:30 被 管理员 删除（/delete）。",
        "删除时：董军｜办公室｜2020-10-31｜2020-10-20 完成",
        "内容：整理2020年档案",
        "",
        "记录",
        "2020-10-20 09:30 管理员：✏️ 修改 内容：（无） → 整理2020年档案",
        "2020-10-20 09:30 张三：✅ 登记完成 — 已报送",
        "2020-10-20 09:30 管理员：↩️ 重新打开",
        "2020-10-20 09:30 管理员：↩️ 撤销重新打开",
    ]
    # Gone for everything else, its reminders with it.
    assert (await bot.say("/done 10"))[0].text.startswith("2020年10月计划中没有第 10 项")
    assert await _count(bot, Item, Item.id == item_id) == 0
    assert await _count(bot, Reminder, Reminder.item_id == item_id) == 0
    assert await _count(bot, ItemEvent, ItemEvent.item_id == item_id) == 0


async def test_a_number_deleted_twice_shows_the_newest_deletion(bot):
    with office_time(2020, 10, 21, 10, 30):
        await _delete(bot, 10)
        added = await bot.say("/add 职工代表大会 | 高启秀 | 办公室 | 10月28日", user=bot.admin)
        assert "第 10 项" in added[0].text
        assert "职工代表大会" in joined(await bot.say("/item 10"))
    with office_time(2020, 10, 22, 16, 5):
        await _delete(bot, 10)
        lines = joined(await bot.say("/item 10")).splitlines()
    assert lines[1] == "🗑 第 10 项「职工代表大会」已于 2020-10-22 16:05 被 管理员 删除（/delete）。"
    assert lines[2] == "删除时：高启秀｜办公室｜2020-10-28｜进度 0%"
    assert lines[-1].endswith("管理员：➕ 新增事项")


# -- /mine ----------------------------------------------------------------------------------


async def test_mine_for_a_leader_then_nothing_left(bot):
    replies = await bot.say("/mine")
    assert replies[0].text.splitlines()[:2] == [
        "你负责的未完成事项（1 项）",
        "🔴 10. 做好档案升级达标评审和工会统计年报工作",
    ]
    await bot.say("/done 10")
    replies = await bot.say("/mine")
    assert replies[0].text == "你名下没有未完成的事项（绑定为：董军）。"


async def test_mine_for_a_department_member_nearest_deadline_first(bot):
    clerk = bot.sandbox.add_user("小李")
    await join(bot, "宣教网络部", "李小", clerk)
    await bot.say("/edit 7 时限 10月10日", user=bot.admin)
    text = (await bot.say("/mine", user=clerk))[0].text
    assert text.index("7. 做好省级文明单位") < text.index("6. 继续开展职工素质大讲堂")


async def test_mine_unbound_says_how_to_bind(bot):
    stranger = bot.sandbox.add_user("李四")
    replies = await bot.say("/mine", user=stranger)
    assert replies[0].text.startswith("你还没有绑定姓名")
    assert "/iam 姓名" in replies[0].text


async def test_mine_in_private_across_groups(bot):
    other = bot.sandbox.add_chat("supergroup", title="另一个工作群")
    await seed(bot, other)
    await bind(bot, "高启秀", bot.member, chat=other)
    await bot.say("/edit 1 时限 10月9日", user=bot.admin, chat=other)
    private = bot.sandbox.private_chat(bot.member)
    text = (await bot.say("/mine", chat=private))[0].text
    assert "你负责的未完成事项（6 项）" in text
    assert text.index("2020-10#1") < text.index("2020-10#10")


async def test_console_demo_plan_and_mine_for_a_bound_leader():
    out = io.StringIO()
    config = parse_config({}, source="test", env={})
    script = "/plan november\n/as 董军\n/mine\n"
    # The demo's plan is the current month's: on 2026-11-28 its items are due in two days.
    with office_time(2026, 11, 28):
        assert await run_console(config, demo=True, stdin=io.StringIO(script), stdout=out) == 0
    text = out.getvalue()
    plan = text[text.index("> /plan november") : text.index("> /as 董军")]
    assert "（2026年11月，共 10 项）" in plan and plan.count("2026-11-30") == 10
    assert "组织部 · 工业制造业工会联合会" in plan and "🟡 1. " in plan
    mine = text[text.index("> /mine") :]
    assert "你负责的未完成事项（1 项）" in mine and "🟡 10. 做好档案升级达标评审" in mine


# -- /undo ----------------------------------------------------------------------------------


async def test_undo_a_done_and_then_the_progress_before_it(bot):
    await bot.say("/progress 10 40%")
    await bot.say("/done 10")
    replies = await bot.say("/undo")
    assert replies[0].text == f"↩️ 已撤销你对{TITLE_10}的完成登记。现在：未完成，进度 40%。"
    replies = await bot.say("/undo")
    assert replies[0].text == f"↩️ 已撤销你对{TITLE_10}的进度登记。现在：未完成，进度 0%。"
    replies = await bot.say("/undo")
    assert replies[0].text.startswith("没有可撤销的修改")
    assert (await item_row(bot, 10)).status == "open"


async def test_undo_only_within_ten_minutes(bot):
    with office_time(2020, 10, 20, 10, 0):
        await bot.say("/done 10")
    with office_time(2020, 10, 20, 10, 11):
        replies = await bot.say("/undo")
    assert replies[0].text.startswith("没有可撤销的修改：/undo 只能撤销你自己 10 分钟内的")
    assert (await item_row(bot, 10)).status == "done"


async def test_undo_is_ones_own_and_never_overwrites_a_later_change(bot):
    await bot.say("/progress 10 40%")
    assert (await bot.say("/undo", user=bot.admin))[0].text.startswith("没有可撤销的修改")
    await bot.say("/progress 10 70%", user=bot.admin)
    replies = await bot.say("/undo")
    assert replies[0].text == f"无法撤销：{TITLE_10}在你之后又被 管理员 改过（📈 进度 70%）。"
    assert (await item_row(bot, 10)).progress == 70


async def test_undo_an_admins_edit_and_reopen(bot):
    await bot.say("/done 3", user=bot.admin)
    await bot.say("/reopen 3", user=bot.admin)
    await bot.say("/edit 3 领导 郭红萍", user=bot.admin)
    assert "的修改。" in (await bot.say("/undo", user=bot.admin))[0].text
    assert "高启秀" in joined(await bot.say("/item 3"))
    replies = await bot.say("/undo", user=bot.admin)
    assert replies[0].text == f"↩️ 已撤销你对{TITLE_3}的重新打开。现在：已完成。"


# -- /add /edit /delete /reopen ---------------------------------------------------------------


@pytest.mark.parametrize("command", ["/add 新事项", "/edit 3 标题 新", "/delete 3", "/reopen 3"])
async def test_admin_commands_refuse_members(bot, command):
    replies = await bot.say(command)
    name = command.split()[0]
    assert [m.text for m in replies] == [f"只有管理员可以使用 {name}。"]
    assert await _kinds(bot) == []


async def test_add_to_the_current_plan(bot):
    replies = await bot.say(
        "/add 召开<职代会>&座谈 | 高启秀 | 办公室、组织部 | 10月28日", user=bot.admin
    )
    assert replies[0].text.splitlines()[:2] == [
        "➕ 已在2020年10月计划中新增第 11 项：",
        "🔴 11. 召开<职代会>&座谈",
    ]
    assert "&lt;职代会&gt;&amp;座谈" in replies[0].html
    assert "高启秀｜办公室 · 组织部｜2020-10-28｜进度 0%" in replies[0].text, "both lead"
    assert "共 11 项" in joined(await bot.say("/plan"))
    assert await _kinds(bot) == ["edit"]
    assert "➕ 新增事项" in joined(await bot.say("/item 11"))


async def test_add_without_a_plan_creates_this_months(tmp_path):
    async with running_bot(tmp_path) as bot:
        with office_time(2020, 12, 2):
            replies = await bot.say("/add 年终总结 | | | 月底", user=bot.admin)
            assert replies[0].text.startswith("➕ 已在2020年12月计划中新增第 1 项：")
            assert "（无）｜（无）｜2020-12-31｜进度 0%" in replies[0].text


async def test_add_with_only_a_title_warns_what_is_missing_and_how_to_fill_it_in(bot):
    replies = await bot.say("/add 职工书屋验收", user=bot.admin)
    assert replies[0].text.splitlines()[3:] == [
        "⚠️ 还没有责任领导、责任部室、完成时限。",
        "没有完成时限，这一项不会被提醒。",
        "补上：/edit 11 领导 姓名 · /edit 11 部室 部室名称 · /edit 11 时限 下周五",
    ]
    # The suggestion works as written.
    with office_time(2020, 10, 20):
        edited = await bot.say("/edit 11 时限 下周五", user=bot.admin)
    assert "（无）｜（无）｜2020-10-30｜进度 0%" in edited[0].text
    # A complete item gets no warning; one with only a deadline missing names only that.
    complete = await bot.say("/add 开会 | 高启秀 | 办公室 | 10月28日", user=bot.admin)
    assert "⚠️" not in complete[0].text and "/edit" not in complete[0].text
    partial = await bot.say("/add 开会 | 高启秀 | 办公室", user=bot.admin)
    assert partial[0].text.splitlines()[3:] == [
        "⚠️ 还没有完成时限。",
        "没有完成时限，这一项不会被提醒。",
        "补上：/edit 13 时限 下周五",
    ]


async def test_add_with_only_a_title_warns_in_english(tmp_path):
    async with running_bot(tmp_path, i18n={"locale": "en"}) as bot:
        await seed(bot)
        replies = await bot.say("/add Book corner | | | 长期", user=bot.admin)
    assert replies[0].text.splitlines()[3:] == [
        "⚠️ It has no leaders, departments yet.",
        "Fill in: /edit 11 leaders Name · /edit 11 departments Department",
    ]


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("下周五", "2020-10-30"),
        ("月底", "2020-10-31"),
        ("元旦前", "2020-12-31"),
        ("明天", "2020-10-21"),
    ],
)
async def test_add_and_edit_take_deadlines_relative_to_today(bot, typed, day):
    with office_time(2020, 10, 20):
        added = await bot.say(f"/add 开会 | 高启秀 | 办公室 | {typed}", user=bot.admin)
        assert f"高启秀｜办公室｜{day}｜进度 0%" in added[0].text
        edited = await bot.say(f"/edit 3 时限 {typed}", user=bot.admin)
        assert f"｜{day}｜" in edited[0].text
        plan = joined(await bot.say("/plan"))
    # /plan shows the date, not a word that meant another day when it was typed.
    assert plan.count(f"｜{day}｜") >= 2 and f"（{typed}）" not in plan


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/add", "格式：/add 标题 | 责任领导 | 责任部室 | 完成时限"),
        ("/add a | b | c | d | e", "格式：/add 标题 | 责任领导 | 责任部室 | 完成时限"),
        ("/add 开会 | 高启秀 | 办公室 | 改天", "看不懂完成时限“改天”。"),
    ],
)
async def test_add_wrongly(bot, text, expected):
    replies = await bot.say(text, user=bot.admin)
    assert len(replies) == 1 and replies[0].text.startswith(expected)
    assert "例：/add" in replies[0].text
    async with bot.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(Item)) == 10


@pytest.mark.parametrize(
    ("command", "shown"),
    [
        ("/edit 3 时限 11月15日", "高启秀｜权益保障部｜2020-11-15｜进度 0%"),
        ("/edit 3 deadline 长期", "高启秀｜权益保障部｜长期｜进度 0%"),
        ("/edit 3 领导 郭红萍、董军", "郭红萍、董军｜权益保障部｜2020-10-31"),
        ("/edit 3 leaders 郭红萍", "郭红萍｜权益保障部｜2020-10-31"),
        ("/edit 3 部室 办公室，组织部", "高启秀｜办公室 · 组织部｜2020-10-31"),
        ("/edit 3 标题 筹备 <东莞> 专场", "3. 筹备 <东莞> 专场"),
        ("/edit 3 内容 联系东莞人社局", "联系东莞人社局"),
    ],
)
async def test_edit_each_field(bot, command, shown):
    replies = await bot.say(command, user=bot.admin)
    assert replies[0].text.startswith("✏️ 已修改第 3 项「")
    assert shown in replies[0].text
    assert await _kinds(bot) == ["edit"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/edit 3", "格式：/edit 编号 字段 新内容"),
        ("/edit 3 时限", "格式：/edit 编号 字段 新内容"),
        ("/edit 3 颜色 红", "没有“颜色”这个字段"),
        ("/edit 3 时限 改天", "看不懂完成时限“改天”。"),
        ("/edit 3 领导 ，", "责任领导不能为空。"),
        ("/edit 3 部室 权益保障部", f"{TITLE_3}的责任部室本来就是这样，没有变化。"),
        ("/edit 12 标题 x", "2020年10月计划中没有第 12 项（共 10 项）。例：/edit 3 时限 11月15日"),
    ],
)
async def test_edit_wrongly_changes_nothing(bot, text, expected):
    replies = await bot.say(text, user=bot.admin)
    assert len(replies) == 1 and replies[0].text.startswith(expected)
    assert await _kinds(bot) == []


async def test_delete_asks_first_and_only_an_admin_confirms(bot):
    question = (await bot.say("/delete 3", user=bot.admin))[0]
    assert question.text == (
        f"确定删除{TITLE_3}吗？它的提醒会一并取消，无法撤销；删除后 /item 仍可查看它和它的记录。"
    )
    assert await press(bot, question, button(question, "确认删除"), bot.member) == []
    assert bot.sandbox.callback_answers[-1].text == "只有管理员可以使用 /delete。"
    cancelled = await press(bot, question, button(question, "取消"), bot.admin)
    assert cancelled[0].text == f"已取消，{TITLE_3}保留。" and question.buttons == []
    assert "共 10 项" in joined(await bot.say("/plan"))

    question = (await bot.say("/delete 3", user=bot.admin))[0]
    deleted = await press(bot, question, button(question, "确认删除"), bot.admin)
    assert deleted[0].text == f"🗑 已删除{TITLE_3}。"
    assert "共 9 项" in joined(await bot.say("/plan"))
    replies = await bot.say("/done 3", user=bot.admin)
    assert replies[0].text.startswith("2020年10月计划中没有第 3 项（共 9 项）")


async def test_reopen(bot):
    replies = await bot.say("/reopen 10", user=bot.admin)
    assert replies[0].text == f"{TITLE_10}还没有完成，不需要重新打开。"
    await bot.say("/done 10")
    replies = await bot.say("/reopen 10", user=bot.admin)
    # Nothing was reported before the done: an open item does not read 进度 100%.
    assert replies[0].text.startswith(f"↩️ {TITLE_10}已重新打开，进度回到 0%。")
    item = await item_row(bot, 10)
    assert (item.status, item.done_at, item.progress) == ("open", None, 0)
    mine = joined(await bot.say("/mine"))
    assert "🔴 10. " in mine and "进度 100%" not in mine


async def test_reopen_goes_back_to_the_last_progress_below_done_and_undo_restores_done(bot):
    await bot.say("/progress 10 40%")
    await bot.say("/progress 10 70%")
    await bot.say("/progress 10 30%", user=bot.admin)
    # Taken back: 30% was never where the item stood before it was done.
    await bot.say("/undo", user=bot.admin)
    await bot.say("/progress 10 100% 基本完成")
    await bot.say("/done 10")
    replies = await bot.say("/reopen 10", user=bot.admin)
    assert replies[0].text.splitlines()[0] == (
        f"↩️ {TITLE_10}已重新打开，进度回到完成前最后登记的 70%。"
    )
    assert (await item_row(bot, 10)).progress == 70
    assert "｜进度 70%" in joined(await bot.say("/plan"))
    replies = await bot.say("/undo", user=bot.admin)
    assert replies[0].text == f"↩️ 已撤销你对{TITLE_10}的重新打开。现在：已完成。"
    item = await item_row(bot, 10)
    assert (item.status, item.progress) == ("done", 100) and item.done_at is not None


async def test_reopen_in_english_says_where_progress_went(tmp_path):
    async with running_bot(tmp_path, i18n={"locale": "en"}) as bot:
        await seed(bot)
        await bot.say("/progress 10 60%", user=bot.admin)
        await bot.say("/done 10", user=bot.admin)
        replies = await bot.say("/reopen 10", user=bot.admin)
    assert replies[0].text.splitlines()[0] == (
        "↩️ item 10 “做好档案升级达标评审和工会统计年报工作” is open again; "
        "progress is back to 60%, the last reported before it was done."
    )


async def test_english(tmp_path):
    async with running_bot(tmp_path, i18n={"locale": "en"}) as bot:
        await seed(bot)
        await bind(bot, "董军", bot.member)
        replies = await bot.say("/progress 10 60% draft")
        assert replies[0].text.startswith(
            "📈 item 10 “做好档案升级达标评审和工会统计年报工作”: 60%"
        )
        bad = await bot.say("/progress 10 150%")
        assert bad[0].text.startswith("Progress must be between 0% and 100%, not 150%.")
        assert (await bot.say("/undo"))[0].text.startswith("↩️ Took back your progress report")
        assert (await bot.say("/mine"))[0].text.startswith("Your open items (1)")
        added = await bot.say("/add Staff congress | 高启秀 | 办公室 | 2020-10-28", user=bot.admin)
        assert added[0].text.startswith("➕ Added item 11 to the 2020-10 plan:")
        edited = await bot.say("/edit 11 deadline 2020-10-30", user=bot.admin)
        assert edited[0].text.startswith("✏️ Changed the deadline of item 11 “Staff congress”:")
        history = joined(await bot.say("/item 11"))
        assert "管理员: ✏️ edited deadline: 2020-10-28 → 2020-10-30" in history
        question = (await bot.say("/delete 11", user=bot.admin))[0]
        assert [b["text"] for b in question.buttons] == ["🗑 Delete", "Cancel"]
        assert (await bot.say("/reopen 11", user=bot.admin))[0].text.endswith(
            "is not done; there is nothing to reopen."
        )
        refused = await bot.say("/add x")
        assert refused[0].text == "Only admins can use /add."
        with office_time(2020, 10, 21, 10, 30):
            await press(bot, question, button(question, "Delete"), bot.admin)
            lines = joined(await bot.say("/item 11")).splitlines()
        assert lines[:3] == [
            "2020-10",
            "🗑 item 11 “Staff congress” was deleted on 2020-10-21 10:30 by 管理员 (/delete).",
            "When deleted: 高启秀 | 办公室 | 2020-10-30 | 0% done",
        ]
        assert "管理员: ✏️ edited deadline: 2020-10-28 → 2020-10-30" in lines[-1]
