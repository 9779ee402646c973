"""Issue 16 §3 in the chat: completion review. With /review on, a department's /done is a claim
(🟣 待审核) the supervisors and admins approve (✅ 销号: the part done at the approval) or return
(↩️ 退回 with a reason: the part open again, its department told why); a leader's or an admin's
/done closes the item directly; reminders stop while every part is done or in review; /undo
takes a decision back; forged button data changes nothing."""

from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from bot.operations.imports import import_plan, parse_for_import
from bot.operations.who import Origin
from storage.models import ItemEvent, PendingQuestion, Reminder, ReminderState
from storage.parts import item_parts
from tests.support.chat import bind, database_rows, item_ids, item_row, join, press, seed
from tests.support.harness import running_bot

FOUR = "第 4 项「筹备好工业制造业工会联合会换届工作」"
UNION = "工业制造业工会联合会"


@pytest.fixture
async def bot(tmp_path):
    """Item 4 is led by 组织部 (小组) and the 工联会 (小工); 官庆军 supervises (bound to 官)."""
    async with running_bot(tmp_path, reminders={"supervisors": ["官庆军"]}) as harness:
        await seed(harness)
        harness.organiser = harness.sandbox.add_user("小组")
        harness.unionist = harness.sandbox.add_user("小工")
        harness.supervisor = harness.sandbox.add_user("官")
        await join(harness, "组织部", "组织员", harness.organiser)
        await join(harness, UNION, "工会员", harness.unionist)
        await bind(harness, "官庆军", harness.supervisor)
        turned = await harness.say("/review on", user=harness.admin)
        assert turned[0].text.startswith("✅ 已开启办结审核")
        yield harness


async def _parts(bot, seq: int = 4) -> dict[str, str]:
    (item_id,) = await item_ids(bot, seq)
    async with bot.db.session() as session:
        return {p.name: p.status for p in await item_parts(session, item_id)}


async def _pending(bot, seq: int = 4) -> int:
    (item_id,) = await item_ids(bot, seq)
    async with bot.db.session() as session:
        return await session.scalar(
            select(func.count()).where(
                Reminder.item_id == item_id, Reminder.state == ReminderState.PENDING.value
            )
        )


async def _rows(bot) -> dict:
    """Every row but the bookkeeping of who the bot has seen (no permission's)."""
    rows = await database_rows(bot)
    rows.pop("tg_account")
    return rows


def _data(message, label: str) -> str:
    return next(b["callback_data"] for b in message.buttons if b["text"] == label)


async def _claim(bot, user):
    """`user` sends /done 4: the answer, and the question to the reviewers."""
    replies = await bot.say("/done 4", user=user)
    question = next(m for m in replies if m.buttons)
    return replies[0], question


async def test_a_claim_awaits_approval_and_the_item_is_done_on_the_day_approved(bot):
    async with bot.db.session() as session:
        planner = bot.application.bot_data.services.planner
        await planner.replan(session, await item_ids(bot, 4), now=datetime.now(UTC))
    assert await _pending(bot) > 0
    answer, question = await _claim(bot, bot.organiser)
    assert answer.text.splitlines()[0] == f"🟣 {FOUR}：组织部 已报完成，待审核（小组）。"
    assert question.text.splitlines() == [
        f"🟣 待审核 · {FOUR}",
        "组织部 报告已完成，请 官庆军、管理员 审核。",
    ]
    assert f'<a href="tg://user?id={bot.supervisor.id}">官庆军</a>' in question.html
    assert [b["text"] for b in question.buttons] == ["✅ 销号 组织部", "↩️ 退回 组织部"]
    assert await _parts(bot) == {"组织部": "review", UNION: "open"}
    assert (await item_row(bot, 4)).status == "open"
    assert await _pending(bot) > 0, "the 工联会's part is still owed"

    claimed, second = await _claim(bot, bot.unionist)
    assert claimed.text.splitlines()[0] == (
        f"🟣 {FOUR}：{UNION} 已报完成，待审核（小工）。"
        "各责任部室都已报完成，事项🟣待审核，审核前不再提醒。"
    )
    assert await _pending(bot) == 0, "every part done or in review: nothing is owed"

    approved = await press(bot, question, _data(question, "✅ 销号 组织部"), bot.supervisor)
    assert approved[0].text == f"✅ {FOUR}：组织部 的部分已销号（官）（1/2）。"
    assert bot.sandbox.callback_answers[-1].text == "已销号"
    assert await _parts(bot) == {"组织部": "done", UNION: "review"}
    again = await press(bot, question, _data(question, "✅ 销号 组织部"), bot.supervisor)
    assert again == [] and bot.sandbox.callback_answers[-1].text == "这一部分已经审核过了"

    last = await press(bot, second, _data(second, f"✅ 销号 {UNION}"), bot.admin)
    assert last[0].text.endswith("各责任部室都已完成，事项已完成。")
    item = await item_row(bot, 4)
    assert item.status == "done" and item.done_at is not None
    async with bot.db.session() as session:
        approval = await session.scalar(
            select(ItemEvent).where(ItemEvent.kind == "done").order_by(ItemEvent.id.desc())
        )
    assert approval.data["review"] == "approved" and item.done_at == approval.created_at


async def test_a_return_asks_the_reason_and_reopens_the_part(bot):
    _, question = await _claim(bot, bot.unionist)
    asked = await press(bot, question, _data(question, f"↩️ 退回 {UNION}"), bot.supervisor)
    assert asked[0].text == (
        f"↩️ 请 官 直接发送退回{FOUR}（{UNION}）的理由，或发送 /return 4 {UNION} 理由。"
    )
    assert await _parts(bot) == {"组织部": "open", UNION: "review"}, "nothing before the reason"
    returned = await bot.say("换届材料不全", user=bot.supervisor)
    assert [m.text for m in returned] == [
        f"↩️ {FOUR}：{UNION} 的部分已退回（官），请重新办理。理由：换届材料不全\n请 工会员 知悉。"
    ]
    assert f'<a href="tg://user?id={bot.unionist.id}">工会员</a>' in returned[0].html
    assert await _parts(bot) == {"组织部": "open", UNION: "open"}
    async with bot.db.session() as session:
        kinds = [
            (e.kind, e.text, (e.data or {}).get("review"))
            for e in await session.scalars(select(ItemEvent).order_by(ItemEvent.id))
        ]
    assert kinds == [("done", "", "claimed"), ("reopen", "换届材料不全", "returned")]
    # The reason taken, the next message is ordinary chat again.
    assert await bot.say("好的", user=bot.supervisor) == []
    # ↩️ then /return: the command gives the reason, the next message is chat again.
    _, question = await _claim(bot, bot.unionist)
    await press(bot, question, _data(question, f"↩️ 退回 {UNION}"), bot.supervisor)
    await bot.say("/return 4 名单缺页", user=bot.supervisor)
    assert await bot.say("收到", user=bot.supervisor) == []
    async with bot.db.session() as session:
        texts = list(
            await session.scalars(select(ItemEvent.text).where(ItemEvent.kind == "reopen"))
        )
    assert texts == ["换届材料不全", "名单缺页"]


async def test_return_by_command_and_undo(bot):
    await _claim(bot, bot.organiser)
    await _claim(bot, bot.unionist)
    which = await bot.say("/return 4 材料不全", user=bot.supervisor)
    assert which[0].text == (
        f"{FOUR}有几个部分待审核（组织部、{UNION}），请写明部室，例：/return 4 组织部 材料不全"
    )
    done = await bot.say("/return 4 组织部 名单有误", user=bot.supervisor)
    assert done[0].text.startswith(f"↩️ {FOUR}：组织部 的部分已退回（官）")
    assert done[0].text.splitlines()[0].endswith("理由：名单有误")
    assert await _parts(bot) == {"组织部": "open", UNION: "review"}
    undone = await bot.say("/undo", user=bot.supervisor)
    assert undone[0].text.startswith("↩️ 已撤销你对")
    assert await _parts(bot) == {"组织部": "review", UNION: "review"}
    nothing = await bot.say("/return 5 理由", user=bot.supervisor)
    assert nothing[0].text == (
        "第 5 项「做好工会信访维稳工作」没有待审核的部分：责任部室发送 /done 报完成后，才进入审核。"
    )
    need = await bot.say("/return 4", user=bot.supervisor)
    assert need[0].text == "请写明退回理由。例：/return 4 材料不全"


async def _owed(bot) -> list[tuple[str, dict]]:
    """The reasons owed after ↩️, as kept in the database: (token, payload)."""
    async with bot.db.session() as session:
        rows = await session.scalars(
            select(PendingQuestion).where(PendingQuestion.kind == "return reason")
        )
        return [(row.token, row.payload) for row in rows]


async def test_a_reason_owed_outlives_a_restart(bot):
    """↩️ pressed, the bot restarted (a deploy): the reviewer's next message is still the
    reason; other people's messages meanwhile are ordinary chat."""
    _, question = await _claim(bot, bot.unionist)
    await press(bot, question, _data(question, f"↩️ 退回 {UNION}"), bot.supervisor)
    assert [token for token, _ in await _owed(bot)] == [f"reason:{bot.supervisor.id}"]
    await bot.restart()
    assert await bot.say("收到", user=bot.member) == [], "someone else's message is chat"
    returned = await bot.say("换届材料不全", user=bot.supervisor)
    assert [m.text for m in returned] == [
        f"↩️ {FOUR}：{UNION} 的部分已退回（官），请重新办理。理由：换届材料不全\n请 工会员 知悉。"
    ]
    assert await _parts(bot) == {"组织部": "open", UNION: "open"}
    assert await _owed(bot) == []
    assert await bot.say("好的", user=bot.supervisor) == []


async def test_a_press_or_the_command_replaces_the_reason_owed(bot):
    """One reason owed per reviewer and chat: ↩️ twice owes the last one; ✅ or /return
    after ↩️ owes none."""
    await _claim(bot, bot.organiser)
    _, question = await _claim(bot, bot.unionist)
    first = next(m for m in bot.sandbox.sent(bot.group) if m.buttons and "组织部" in str(m.buttons))
    await press(bot, first, _data(first, "↩️ 退回 组织部"), bot.supervisor)
    await press(bot, question, _data(question, f"↩️ 退回 {UNION}"), bot.supervisor)
    ((_, payload),) = await _owed(bot)
    assert payload["message"] == question.message_id
    await press(bot, question, _data(question, f"✅ 销号 {UNION}"), bot.supervisor)
    assert await _owed(bot) == []
    assert await bot.say("好的", user=bot.supervisor) == []
    assert await _parts(bot) == {"组织部": "review", UNION: "done"}


@asynccontextmanager
async def _claimed_on_a_clock(tmp_path, locale: str):
    """A reviewing group in `locale` on a clock the test moves, and 组织部's claim of item 4
    (by 小组): the bot, the clock, the claimant and the question to the reviewers."""
    config = {"i18n": {"locale": locale}, "supervision": {"review": True}}
    with time_machine.travel(datetime(2020, 10, 12, 1, 0, tzinfo=UTC), tick=True) as clock:
        async with running_bot(tmp_path, **config) as bot:
            await seed(bot)
            organiser = bot.sandbox.add_user("小组")
            await join(bot, "组织部", "组织员", organiser)
            _, question = await _claim(bot, organiser)
            yield bot, clock, organiser, question


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
async def test_a_reason_that_never_comes_expires(tmp_path, locale):
    """Ten minutes after ↩️ the reviewer's message is ordinary chat again, and nothing
    changed; /return still takes the reason."""
    async with _claimed_on_a_clock(tmp_path, locale) as (bot, clock, _, question):
        back = "↩️ 退回 组织部" if locale == "zh_CN" else "↩️ Return 组织部"
        await press(bot, question, _data(question, back), bot.admin)
        clock.shift(timedelta(minutes=9))
        before = await _rows(bot)
        clock.shift(timedelta(minutes=2))
        assert await bot.say("材料不全", user=bot.admin) == []
        assert await _rows(bot) == before
        assert await _parts(bot) == {"组织部": "review", UNION: "open"}
        returned = await bot.say("/return 4 材料不全", user=bot.admin)
        assert returned[0].text.startswith("↩️ 第 4 项" if locale == "zh_CN" else "↩️ item 4")
        assert await _parts(bot) == {"组织部": "open", UNION: "open"}


async def test_only_supervisors_and_admins_decide(bot):
    _, question = await _claim(bot, bot.organiser)
    before = await _rows(bot)
    for user in (bot.organiser, bot.unionist, bot.member):
        assert await press(bot, question, _data(question, "✅ 销号 组织部"), user) == []
        refusal = bot.sandbox.callback_answers[-1]
        assert refusal.show_alert and refusal.text == "只有督办人（官庆军）或管理员可以销号或退回。"
    refused = await bot.say("/return 4 不行", user=bot.organiser)
    assert refused[0].text == "只有督办人（官庆军）或管理员可以销号或退回。"
    assert await _rows(bot) == before
    switched = await bot.say("/review off", user=bot.organiser)
    assert switched[0].text == "只有管理员可以开关办结审核。"
    shown = await bot.say("/review", user=bot.organiser)
    assert shown[0].text.startswith("本群的办结审核：开启")
    bad = await bot.say("/review maybe", user=bot.admin)
    assert bad[0].text == "请写 on 或 off。例：/review on"


async def test_a_leader_or_admin_closes_directly(bot):
    await _claim(bot, bot.organiser)
    await bind(bot, "高启秀", bot.member)
    replies = await bot.say("/done 4")
    assert replies[0].text.splitlines()[0] == f"✅ {FOUR}已完成（张三）。"
    assert not any(m.buttons for m in replies), "no question: the leader reviews"
    assert await _parts(bot) == {"组织部": "done", UNION: "done"}


@pytest.mark.parametrize(
    "forged",
    [
        "rv:ok:{item}:999999",  # a department that is no part of the item
        "rv:ok:{other}:{department}",  # an item the message does not show
        "rv:ok:{item}",
        "rv:ok:{item}:{department}:1",
        "rv:xx:{item}:{department}",
        "rv:ok:-1:{department}",
        "rv:ok: {item}:{department}",
        "rv:ok:99999999999999999999:{department}",
    ],
)
async def test_forged_buttons_change_nothing(bot, forged):
    _, question = await _claim(bot, bot.organiser)
    four, other = await item_ids(bot, 4, 5)
    department = _data(question, "✅ 销号 组织部").rsplit(":", 1)[1]
    before = await _rows(bot)
    data = forged.format(item=four, other=other, department=department)
    answers = len(bot.sandbox.callback_answers)
    bot.sandbox.press_forged(bot.supervisor, message=question, data=data)
    bot.pushed += 1
    await bot.settle()
    (answer,) = bot.sandbox.callback_answers[answers:]
    assert answer.show_alert and answer.text == "这个按钮已失效。"
    assert await _rows(bot) == before


async def test_review_off_by_config_default_and_in_another_plan(tmp_path):
    """Off by default: a department's /done is done at once."""
    async with running_bot(tmp_path) as bot:
        await seed(bot)
        organiser = bot.sandbox.add_user("小组")
        await join(bot, "组织部", "组织员", organiser)
        assert (await bot.say("/review", user=organiser))[0].text.startswith("本群的办结审核：关闭")
        replies = await bot.say("/done 4", user=organiser)
        assert "的部分已完成（1/2）" in replies[0].text and not replies[0].buttons


async def test_english(tmp_path):
    config = {"i18n": {"locale": "en"}, "supervision": {"review": True}}
    async with running_bot(tmp_path, **config) as bot:
        await seed(bot)
        organiser = bot.sandbox.add_user("Org")
        await join(bot, "组织部", "组织员", organiser)
        item = "item 4 “筹备好工业制造业工会联合会换届工作”"
        replies = await bot.say("/done 4", user=organiser)
        first = replies[0].text.splitlines()[0]
        assert first == f"🟣 {item}: 组织部 reports it done; awaiting review (Org)."
        question = next(m for m in replies if m.buttons)
        assert [b["text"] for b in question.buttons] == ["✅ Approve 组织部", "↩️ Return 组织部"]
        asked = await press(bot, question, _data(question, "↩️ Return 组织部"), bot.admin)
        assert asked[0].text.startswith("↩️ 管理员, send the reason for returning")
        returned = await bot.say("list incomplete", user=bot.admin)
        assert returned[0].text.startswith(f"↩️ {item}: 组织部's part was returned (管理员)")
        await bot.say("/done 4", user=organiser)
        question = next(
            m for m in bot.sandbox.sent(bot.group) if m.buttons and "Approve" in str(m.buttons)
        )
        approved = await press(bot, question, _data(question, "✅ Approve 组织部"), bot.admin)
        assert approved[0].text == f"✅ {item}: 组织部's part approved (管理员) (1/2)."
        assert (await bot.say("/review", user=organiser))[0].text.startswith(
            "Completion review in this group: on."
        )


async def test_a_claim_made_in_private_is_asked_in_the_group(bot):
    private = bot.sandbox.private_chat(bot.organiser)
    replies = await bot.say("/done 4", chat=private, user=bot.organiser)
    assert replies[0].text.splitlines()[0].endswith("待审核（小组）。")
    question = bot.sandbox.sent(bot.group)[-1]
    assert question.text.startswith("🟣 待审核") and question.buttons
    approved = await press(bot, question, _data(question, "✅ 销号 组织部"), bot.supervisor)
    assert approved[0].text.startswith(f"✅ {FOUR}：组织部 的部分已销号")


async def test_another_months_plan_is_reviewed_too(bot):
    text = (
        "荆州市总工会2020年11月工作计划\n一、召开会议\n"
        "责任领导：高启秀\n责任部室：组织部\n完成时限：11月20日\n"
    )
    chat = Origin(bot.group.id, "", "supergroup")
    parsed = parse_for_import(text, today=datetime(2020, 11, 1).date())
    await import_plan(bot.db, bot.application.bot_data.services.planner, chat, parsed, text)
    replies = await bot.say("/done 2020-11#1", user=bot.organiser)
    assert "待审核" in replies[0].text


@pytest.mark.parametrize(
    ("locale", "approve", "line"),
    [
        ("zh_CN", "✅ 销号 组织部", "管理员：✅ 销号（组织部，审核用时 1天3小时）"),
        ("en", "✅ Approve 组织部", "管理员: ✅ approved (组织部, in review for 1 d 3 h)"),
    ],
)
async def test_item_shows_the_review_time_on_the_approval(tmp_path, locale, approve, line):
    """A claim approved a day and three hours later: /item's history says so on the 销号 line."""
    async with _claimed_on_a_clock(tmp_path, locale) as (bot, clock, organiser, question):
        clock.shift(timedelta(days=1, hours=3))
        await press(bot, question, _data(question, approve), bot.admin)
        (card,) = await bot.say("/item 4", user=organiser)
    *_, claim, approval = card.text.splitlines()
    assert claim.startswith("2020-10-12 09:0") and "审核用时" not in claim and "review" not in claim
    assert approval.startswith("2020-10-13 12:0") and approval.endswith(line)
