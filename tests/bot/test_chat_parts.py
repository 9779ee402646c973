"""Issue 16 §1 in the chat: each lead department's own part of an item. /done and /progress by a
department's member are their part's; the item is done once every lead part is; a leader or an
admin closes the whole item; /undo puts a part back; an assisting (配合) department's member is
refused; the ✅ button, a reply to a reminder and a confirmed plain reply take the same path."""

import pytest
from sqlalchemy import select

from bot.views.buttons import item_buttons
from storage.models import ItemEvent
from storage.parts import item_parts
from tests.support.chat import bind, item_ids, item_row, join, post_about, press, seed
from tests.support.harness import running_bot

FOUR = "第 4 项「筹备好工业制造业工会联合会换届工作」"
UNION = "工业制造业工会联合会"


@pytest.fixture
async def bot(tmp_path):
    """Item 4 is led by 组织部 and 工业制造业工会联合会 (leader 高启秀): 小组 is in 组织部, 小工
    in the 工联会."""
    async with running_bot(tmp_path) as harness:
        await seed(harness)
        harness.organiser = harness.sandbox.add_user("小组")
        harness.unionist = harness.sandbox.add_user("小工")
        await join(harness, "组织部", "组织员", harness.organiser)
        await join(harness, UNION, "工会员", harness.unionist)
        yield harness


async def _parts(bot, seq: int = 4) -> dict[str, tuple[str, int]]:
    (item_id,) = await item_ids(bot, seq)
    async with bot.db.session() as session:
        return {p.name: (p.status, p.progress) for p in await item_parts(session, item_id)}


async def _state(bot, seq: int = 4) -> tuple[str, int]:
    item = await item_row(bot, seq)
    return item.status, item.progress


async def _reminder(bot, seqs=(4,)):
    ids = await item_ids(bot, *seqs)
    markup = item_buttons(list(zip(ids, seqs, strict=True)), "zh_CN")
    return await post_about(bot, list(seqs), reply_markup=markup)


async def test_the_item_is_done_only_when_every_lead_department_is(bot):
    first = await bot.say("/done 4 名单已报", user=bot.organiser)
    assert first[0].text.splitlines() == [
        f"✅ {FOUR}：组织部 的部分已完成（1/2）（小组）。",
        "备注：名单已报",
        "发错了？10 分钟内发送 /undo 可撤销。",
    ]
    assert await _state(bot) == ("open", 50)
    assert await _parts(bot) == {"组织部": ("done", 100), UNION: ("open", 0)}
    again = await bot.say("/done 4", user=bot.organiser)
    assert again[0].text == f"{FOUR}：组织部 的部分已经完成了，不用再登记。"

    last = await bot.say("/done 4", user=bot.unionist)
    assert last[0].text.splitlines()[0] == (
        f"✅ {FOUR}：{UNION} 的部分已完成，各责任部室都已完成，事项已完成（小工）。"
    )
    assert await _state(bot) == ("done", 100)


async def test_a_leader_closes_the_whole_item(bot):
    await bot.say("/done 4", user=bot.organiser)
    await bind(bot, "高启秀", bot.member)
    replies = await bot.say("/done 4 换届完成")
    assert replies[0].text.splitlines()[0] == f"✅ {FOUR}已完成（张三）。"
    assert await _state(bot) == ("done", 100)
    assert await _parts(bot) == {"组织部": ("done", 100), UNION: ("done", 100)}


async def test_a_group_admin_in_a_lead_department_closes_the_whole_item(bot):
    """Whether the member administers the group decides: Telegram is asked."""
    bot.sandbox.set_admin(bot.group, bot.organiser)
    replies = await bot.say("/done 4", user=bot.organiser)
    assert replies[0].text.splitlines()[0] == f"✅ {FOUR}已完成（小组）。"
    assert await _parts(bot) == {"组织部": ("done", 100), UNION: ("done", 100)}


async def test_undo_puts_a_part_back(bot):
    await bot.say("/done 4", user=bot.organiser)
    await bot.say("/done 4", user=bot.unionist)
    assert await _state(bot) == ("done", 100)
    undone = await bot.say("/undo", user=bot.unionist)
    assert undone[0].text == f"↩️ 已撤销你对{FOUR}的完成登记。现在：未完成，进度 50%。"
    assert await _state(bot) == ("open", 50)
    assert await _parts(bot) == {"组织部": ("done", 100), UNION: ("open", 0)}


async def test_progress_per_part_and_the_leaders_for_every_open_part(bot):
    replies = await bot.say("/progress 4 60% 初稿", user=bot.organiser)
    assert replies[0].text.splitlines()[0] == (
        f"📈 {FOUR}：组织部 的进度 60%，事项进度 30%（小组）。"
    )
    assert await _parts(bot) == {"组织部": ("open", 60), UNION: ("open", 0)}
    await bot.say("/done 4", user=bot.unionist)
    closed = await bot.say("/progress 4 80%", user=bot.unionist)
    assert closed[0].text.startswith(f"{FOUR}：{UNION} 的部分已完成，不能再改进度")
    # An admin's percentage is the item's: every open lead part takes it.
    admin = await bot.say("/progress 4 90%", user=bot.admin)
    assert admin[0].text.startswith(f"📈 {FOUR}进度 95%")
    assert await _parts(bot) == {"组织部": ("open", 90), UNION: ("done", 100)}


async def test_an_assisting_departments_member_is_refused_politely(bot):
    edited = await bot.say(f"/edit 4 部室 组织部、{UNION} 配合：办公室", user=bot.admin)
    assert "已修改" in edited[0].text or "修改" in edited[0].text
    clerk = bot.sandbox.add_user("小王")
    await join(bot, "办公室", "王小", clerk)
    refused = await bot.say("/done 4", user=clerk)
    assert refused[0].text == (
        "办公室是第 4 项的配合部室，只需知悉，不用登记。登记完成或进度的是它的责任领导（高启秀）、"
        f"责任部室（组织部、{UNION}）的成员或管理员。"
    )
    refused = await bot.say("/progress 4 50%", user=clerk)
    assert refused[0].text.startswith("办公室是第 4 项的配合部室")
    noted = await bot.say("/progress 4 场地已备好", user=clerk)
    assert noted[0].text.startswith(f"📝 已记录{FOUR}的进展"), "a note changes nothing"
    assert await _state(bot) == ("open", 0)
    async with bot.db.session() as session:
        kinds = list(await session.scalars(select(ItemEvent.kind).order_by(ItemEvent.id)))
    assert "done" not in kinds and "progress" not in kinds


async def test_the_done_button_and_a_reply_to_a_reminder(bot):
    reminder = await _reminder(bot)
    (item_id,) = await item_ids(bot, 4)
    replies = await press(bot, reminder, f"it:done:{item_id}", bot.organiser)
    assert replies[0].text.splitlines()[0] == f"✅ {FOUR}：组织部 的部分已完成（1/2）（小组）。"
    assert bot.sandbox.callback_answers[-1].text == "已登记完成"
    assert await _state(bot) == ("open", 50)
    answer = await bot.say("/done 已办结", reply_to=reminder, user=bot.unionist)
    assert answer[0].text.splitlines()[0].endswith("事项已完成（小工）。")
    assert await _state(bot) == ("done", 100)


async def test_a_confirmed_plain_reply_marks_the_repliers_part(bot):
    reminder = await _reminder(bot)
    understood = (await bot.say("已完成", reply_to=reminder, user=bot.unionist))[0]
    await press(bot, understood, understood.buttons[0]["callback_data"], bot.unionist)
    assert await _parts(bot) == {"组织部": ("open", 0), UNION: ("done", 100)}
    understood = (await bot.say("70%", reply_to=reminder, user=bot.organiser))[0]
    await press(bot, understood, understood.buttons[0]["callback_data"], bot.organiser)
    assert await _parts(bot) == {"组织部": ("open", 70), UNION: ("done", 100)}
    assert await _state(bot) == ("open", 85)


async def test_done_many_and_which_one(bot):
    replies = await bot.say("/done 3-4", user=bot.organiser)
    lines = replies[0].text.splitlines()
    assert "第 3 项：不是你负责的，未登记" in lines
    assert f"{FOUR}：组织部 的部分已完成（1/2）" in lines
    listing = await bot.say("/plan", user=bot.admin)
    question = await bot.say("/done", reply_to=listing[0], user=bot.unionist)
    choice = next(b for b in question[0].buttons if b["text"].startswith("✅ 4. "))
    await press(bot, question[0], choice["callback_data"], bot.unionist)
    assert await _state(bot) == ("done", 100)


async def test_reopen_one_part_or_the_whole_item(bot):
    await bot.say("/done 4", user=bot.admin)
    missing = await bot.say("/reopen 4 办公室", user=bot.admin)
    assert missing[0].text == (
        f"{FOUR}的责任部室中没有“办公室”（责任部室：组织部、{UNION}）。例：/reopen 4 组织部"
    )
    part = await bot.say("/reopen 4 组织部", user=bot.admin)
    assert part[0].text.splitlines()[0] == (
        f"↩️ {FOUR}：组织部 的部分已重新打开，进度 0%；事项现在未完成，进度 50%。"
    )
    assert await _parts(bot) == {"组织部": ("open", 0), UNION: ("done", 100)}
    await bot.say("/done 4", user=bot.organiser)
    whole = await bot.say("/reopen 4", user=bot.admin)
    assert whole[0].text.startswith(f"↩️ {FOUR}已重新打开")
    assert await _parts(bot) == {"组织部": ("open", 0), UNION: ("open", 0)}


async def test_a_new_lead_department_reopens_a_done_item(bot):
    await bot.say("/done 1", user=bot.admin)
    edited = await bot.say("/edit 1 部室 权益保障部、组织部", user=bot.admin)
    assert "新的责任部室还没有完成它的部分，事项重新变为未完成。" in edited[0].text
    assert await _parts(bot, 1) == {"权益保障部": ("done", 100), "组织部": ("open", 0)}
    assert await _state(bot, 1) == ("open", 50)
    await bot.say("/undo", user=bot.admin)
    assert await _state(bot, 1) == ("done", 100)
    assert await _parts(bot, 1) == {"权益保障部": ("done", 100)}


async def test_english(tmp_path):
    async with running_bot(tmp_path, i18n={"locale": "en"}) as bot:
        await seed(bot)
        organiser = bot.sandbox.add_user("Org")
        unionist = bot.sandbox.add_user("Uni")
        clerk = bot.sandbox.add_user("Clerk")
        await join(bot, "组织部", "组织员", organiser)
        await join(bot, UNION, "工会员", unionist)
        await join(bot, "办公室", "王小", clerk)
        item = "item 4 “筹备好工业制造业工会联合会换届工作”"
        first = await bot.say("/done 4", user=organiser)
        assert first[0].text.splitlines()[0] == f"✅ {item}: 组织部's part is done (1/2) (Org)."
        progress = await bot.say("/progress 4 40%", user=unionist)
        assert progress[0].text.splitlines()[0] == (
            f"📈 {item}: {UNION} at 40%, the item at 70% (Uni)."
        )
        last = await bot.say("/done 4", user=unionist)
        assert "every responsible department is done, so the item is done" in last[0].text
        undone = await bot.say("/undo", user=unionist)
        assert undone[0].text.startswith("↩️ Took back your done report of item 4")
        await bot.say(f"/edit 4 departments 组织部, {UNION}; partners: 办公室", user=bot.admin)
        refused = await bot.say("/done 4", user=clerk)
        assert refused[0].text.startswith("办公室 only assists with item 4 (配合)")
