"""/iam, /bind, /unbind, /people and /start end to end, through the sandbox over HTTP."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from bot.sandbox.markup import utf16_len
from storage.accounts import get_account
from storage.chats import get_chat, get_or_create_chat
from storage.people import bind_person, get_person
from tests.support.chat import iam, import_sample, tap
from tests.support.harness import running_bot


@pytest.fixture
async def bot(tmp_path):
    async with running_bot(tmp_path) as harness:
        yield harness


async def say_with_text_mention(bot, text, *, user, mentioned, mention_text):
    """What a client sends when the name is picked from the member list: a text_mention."""
    mention = {
        "type": "text_mention",
        "offset": utf16_len(text[: text.index(mention_text)]),
        "length": utf16_len(mention_text),
        "user": mentioned.to_api(),
    }
    return await bot.say(text, user=user, entities=[mention])


async def holder_of(bot, name, chat=None):
    async with bot.db.session() as session:
        row = await get_chat(session, (chat or bot.group).id)
        person = None if row is None else await get_person(session, row.id, name)
    return None if person is None else person.tg_user_id


def link(user) -> str:
    return f'href="tg://user?id={user.id}"'


async def test_iam_binds_the_sender_and_people_shows_who_is_who(bot):
    await import_sample(bot)
    await iam(bot, "董 军", bot.member)
    assert await holder_of(bot, "董军") == bot.member.id

    listing = (await bot.say("/people"))[0]
    assert "人员名单（4 人，已绑定 1 人）" in listing.text
    assert "责任领导" in listing.text and "高启秀（未绑定）" in listing.text
    assert link(bot.member) in listing.html, "a bound person is a clickable mention"
    assert "/iam 姓名" in listing.text


async def test_iam_for_a_name_not_in_any_plan_says_so(bot):
    replies = await bot.say("/iam 李四", user=bot.member)
    assert "已将您绑定为「李四」" in replies[0].text
    assert "目前的计划里还没有「李四」" in replies[0].text
    again = await bot.say("/iam 李四", user=bot.member)
    assert again[0].text == "您已经绑定为「李四」。"


async def test_a_name_typed_without_a_space_after_the_command_still_counts(bot):
    # Chinese input methods often leave no space: Telegram's command is only the Latin part.
    done = await bot.say("/iam董军", user=bot.member)
    assert done[0].text.startswith("✅ 已将您绑定为「董军」，以后的提醒会直接@您。")
    assert await holder_of(bot, "董军") == bot.member.id


async def test_empty_or_garbage_iam_gets_one_line_with_an_example(bot):
    assert [m.text for m in await bot.say("/iam", user=bot.member)] == [
        "请写上您在计划中的姓名，例：/iam 董军"
    ]
    garbage = await bot.say("/iam 12345", user=bot.member)
    assert garbage[0].text == "「12345」不像计划中的姓名。例：/iam 董军"
    assert await holder_of(bot, "12345") is None


async def test_taking_a_bound_name_waits_for_an_admin(bot):
    await import_sample(bot)
    await iam(bot, "董军", bot.member)
    other = bot.sandbox.add_user("李四", username="lisi")
    ask = (await bot.say("/iam 董军", user=other))[0]
    assert "「董军」已绑定给" in ask.text and "需要管理员确认" in ask.text
    assert link(bot.member) in ask.html and link(other) in ask.html
    assert await holder_of(bot, "董军") == bot.member.id, "nothing changes until confirmed"

    _, answers = await tap(bot, ask, "iam:ok:", other)
    assert answers[0].text == "只有管理员可以确认。" and answers[0].show_alert
    assert await holder_of(bot, "董军") == bot.member.id

    await tap(bot, ask, "iam:ok:", bot.admin)
    assert ask.buttons == [] and "管理员 管理员 已确认：「董军」现在绑定给" in ask.text
    assert await holder_of(bot, "董军") == other.id


async def test_an_admin_can_reject_taking_a_bound_name(bot):
    await bot.say("/iam 董军", user=bot.member)
    other = bot.sandbox.add_user("李四")
    ask = (await bot.say("/iam 董军", user=other))[0]
    await tap(bot, ask, "iam:no:", bot.admin)
    assert "没有同意" in ask.text and ask.buttons == []
    assert await holder_of(bot, "董军") == bot.member.id


async def test_an_iam_confirmed_after_a_restart_binds_the_name(bot):
    await bot.say("/iam 董军", user=bot.member)
    other = bot.sandbox.add_user("李四", username="lisi")
    ask = (await bot.say("/iam 董军", user=other))[0]
    await bot.restart()  # a deploy before an admin saw the question
    _, answers = await tap(bot, ask, "iam:ok:", other)
    assert answers[0].text == "只有管理员可以确认。", "still only admins"
    await tap(bot, ask, "iam:ok:", bot.admin)
    assert ask.buttons == [] and "管理员 管理员 已确认：「董军」现在绑定给" in ask.text
    assert link(other) in ask.html and link(bot.member) in ask.html
    assert await holder_of(bot, "董军") == other.id


async def test_an_iam_confirmation_expires_after_a_day(bot):
    with time_machine.travel(datetime(2020, 10, 12, 2, 0, tzinfo=UTC), tick=True) as clock:
        await bot.say("/iam 董军", user=bot.member)
        other = bot.sandbox.add_user("李四")
        ask = (await bot.say("/iam 董军", user=other))[0]
        clock.shift(timedelta(hours=24, minutes=1))
        _, answers = await tap(bot, ask, "iam:ok:", bot.admin)
    assert answers[0].text == "这个确认已过期，请重新发送 /iam 姓名。" and answers[0].show_alert
    assert ask.buttons == []
    assert await holder_of(bot, "董军") == bot.member.id


async def test_admin_binds_by_username_reply_id_and_text_mention(bot):
    await import_sample(bot)
    lisi = bot.sandbox.add_user("李四", username="lisi")
    await bot.say("大家好", user=lisi)  # the bot now knows @lisi
    by_name = await bot.say("/bind @LiSi 高启秀", user=bot.admin)
    assert by_name[0].text == "✅ 「高启秀」→ @lisi"
    assert await holder_of(bot, "高启秀") == lisi.id

    # Users without a @username: by reply, by id, by picking them from the member list.
    wang = bot.sandbox.add_user("王五")
    hello = bot.sandbox.send_text(bot.group, wang, "收到")
    bot.pushed += 1
    await bot.settle()
    by_reply = await bot.say("/bind 郭红萍", user=bot.admin, reply_to=hello)
    assert "「郭红萍」→ 王五" in by_reply[0].text and link(wang) in by_reply[0].html
    assert await holder_of(bot, "郭红萍") == wang.id

    zhao = bot.sandbox.add_user("赵六")
    bot.group.member_ids.add(zhao.id)  # joined the group, never wrote
    by_id = await bot.say(f"/bind {zhao.id} 张征军", user=bot.admin)
    assert "「张征军」→ 赵六" in by_id[0].text
    assert await holder_of(bot, "张征军") == zhao.id

    qian = bot.sandbox.add_user("钱 七")
    by_mention = await say_with_text_mention(
        bot, "/bind 钱 七 董军", user=bot.admin, mentioned=qian, mention_text="钱 七"
    )
    assert "「董军」→ 钱 七" in by_mention[0].text
    assert await holder_of(bot, "董军") == qian.id

    listing = (await bot.say("/people"))[0]
    assert all(link(u) in listing.html for u in (lisi, wang, zhao, qian))
    assert "已绑定 4 人" in listing.text


async def test_bind_refusals_change_nothing(bot):
    assert (await bot.say("/bind @nobody 董军", user=bot.admin))[0].text == (
        "我还不认识 @nobody：请其先在群里发一条消息，或回复其消息发送 /bind 姓名。"
    )
    assert "用法：/bind @用户名 姓名" in (await bot.say("/bind 董军", user=bot.admin))[0].text
    # Seen by the bot, but in another of its groups.
    lisi = bot.sandbox.add_user("李四", username="lisi")
    elsewhere = bot.sandbox.add_chat("supergroup", title="别的群")
    bot.sandbox.send_text(elsewhere, lisi, "大家好")
    bot.pushed += 1
    await bot.settle()
    outsider = await bot.say("/bind @lisi 董军", user=bot.admin)
    assert outsider[0].text == "@lisi 不在本群中：请先把其拉进群，再绑定。"
    stranger = await bot.say("/bind 999999999 董军", user=bot.admin)
    assert stranger[0].text == "找不到用户 999999999，或其不在本群中。"
    refused = await bot.say(f"/bind {bot.member.id} 董军", user=bot.member)
    assert refused[0].text == "只有管理员可以为他人绑定姓名；绑定自己请用 /iam 姓名。"
    assert await holder_of(bot, "董军") is None


async def test_unbind_is_for_admins_and_the_person_themselves(bot):
    await bot.say("/iam 董军", user=bot.member)
    other = bot.sandbox.add_user("李四")
    refused = await bot.say("/unbind 董军", user=other)
    assert refused[0].text == "只有管理员（或本人）可以解除绑定。"
    assert await holder_of(bot, "董军") == bot.member.id
    assert (await bot.say("/unbind 董军", user=bot.member))[
        0
    ].text == "✅ 已解除「董军」的账号绑定。"
    assert await holder_of(bot, "董军") is None
    assert (await bot.say("/unbind 董军", user=bot.admin))[0].text == "「董军」没有绑定账号。"
    assert "没有叫「无名」的人" in (await bot.say("/unbind 无名", user=bot.admin))[0].text
    assert (await bot.say("/unbind", user=bot.admin))[
        0
    ].text == "请写要解除绑定的姓名，例：/unbind 董军"


async def test_a_group_administrator_stays_one_for_a_few_minutes(bot):
    with time_machine.travel(datetime(2020, 10, 12, 2, 0, tzinfo=UTC), tick=True) as clock:
        bot.sandbox.set_admin(bot.group, bot.member)
        lisi = bot.sandbox.add_user("李四", username="lisi")
        await bot.say("在", user=lisi)
        assert "→ @lisi" in (await bot.say("/bind @lisi 董军", user=bot.member))[0].text
        bot.sandbox.set_admin(bot.group, bot.member, admin=False)
        assert "→ @lisi" in (await bot.say("/bind @lisi 高启秀", user=bot.member))[0].text
        clock.shift(timedelta(minutes=6))
        refused = await bot.say("/bind @lisi 郭红萍", user=bot.member)
    assert refused[0].text == "只有管理员可以为他人绑定姓名；绑定自己请用 /iam 姓名。"


async def test_names_are_escaped(bot):
    replies = await bot.say("/iam 王<b>五</b>&", user=bot.member)
    assert replies[0].text.startswith("✅ 已将您绑定为「王<b>五</b>&」，以后的提醒会直接@您。")
    listing = (await bot.say("/people"))[0]
    assert "王<b>五</b>&" in listing.text and "&lt;b&gt;" in listing.html


async def test_iam_in_a_forum_topic_is_answered_there(bot):
    forum = bot.sandbox.add_chat("supergroup", title="论坛", is_forum=True)
    await bot.say("/iam 董军", user=bot.member, chat=forum, thread_id=7)
    other = bot.sandbox.add_user("李四")
    ask = await bot.say("/iam 董军", user=other, chat=forum, thread_id=7)
    assert ask[0].thread_id == 7 and ask[0].buttons
    await tap(bot, ask[0], "iam:ok:", bot.admin)
    assert "已确认" in ask[0].text
    assert await holder_of(bot, "董军", chat=forum) == other.id
    assert await holder_of(bot, "董军") is None, "another group's names are its own"


async def test_private_start_explains_how_to_bind_and_then_who_you_are(bot):
    private = bot.sandbox.private_chat(bot.member)
    first = (await bot.say("/start", chat=private, user=bot.member))[0]
    assert "在单位工作群里发送 /iam 姓名" in first.text
    stranger = (await bot.say("/people", chat=private, user=bot.member))[0]
    assert stranger.text.startswith("请先在单位工作群里发送 /iam 姓名 绑定自己")
    assert "/iam 姓名" in (await bot.say("/iam 董军", chat=private, user=bot.member))[0].text
    await bot.say("/iam 董军", user=bot.member)
    again = (await bot.say("/start", chat=private, user=bot.member))[0]
    assert "您在「荆州市总工会工作群」绑定的姓名：董军。" in again.text
    listing = (await bot.say("/people", chat=private, user=bot.member))[0]
    assert "人员名单（1 人，已绑定 1 人）" in listing.text, "the group's list, asked in private"


async def test_group_start_asks_everyone_to_bind(bot):
    replies = await bot.say("/start")
    assert "/iam 姓名" in replies[0].text


async def test_people_and_iam_in_english(bot):
    await import_sample(bot)
    await bot.say("/lang en", user=bot.admin)
    assert (await bot.say("/iam", user=bot.member))[0].text == (
        "Write your name as the plans write it, e.g. /iam 董军"
    )
    ask = (await bot.say("/iam 董军", user=bot.member))[0]
    assert ask.text.startswith('"董军" answers for items in the plans'), ask.text
    await tap(bot, ask, "iam:ok:", bot.admin)
    assert ask.text.startswith('✅ Admin 管理员 confirmed: "董军" is now ')
    listing = (await bot.say("/people"))[0]
    assert "People (4, 1 bound)" in listing.text and "Leaders" in listing.text
    assert "(not bound)" in listing.text
    other = bot.sandbox.add_user("李四")
    ask = (await bot.say("/iam 董军", user=other))[0]
    assert "An admin must confirm" in ask.text
    assert [b["text"] for b in ask.buttons] == ["✅ Confirm", "❌ Reject"]
    refused = await bot.say("/bind @x 董军", user=bot.member)
    assert refused[0].text.startswith("Only admins can bind other people")


# -- accounts remembered across restarts -------------------------------------------------------


async def seen_as(bot, user):
    async with bot.db.session() as session:
        return await get_account(session, user.id)


async def test_bind_by_username_works_after_a_restart(tmp_path):
    async with running_bot(tmp_path) as before:
        lisi = before.sandbox.add_user("李四", username="lisi")
        await before.say("大家好", user=lisi)
    # A new process on the same database file; 李四 has not spoken since.
    async with running_bot(tmp_path) as after:
        after.sandbox.add_user("李四", username="lisi", user_id=lisi.id)
        after.group.member_ids.add(lisi.id)  # still in the group, as Telegram knows
        replies = await after.say("/bind @LiSi 董军", user=after.admin)
        assert replies[0].text == "✅ 「董军」→ @lisi"
        assert link(lisi) in replies[0].html
        assert await holder_of(after, "董军") == lisi.id


async def test_a_holder_without_username_is_named_after_a_restart(tmp_path):
    async with running_bot(tmp_path) as before:
        await before.say("/iam 董军", user=before.member)
    async with running_bot(tmp_path) as after:
        other = after.sandbox.add_user("李四")
        ask = (await after.say("/iam 董军", user=other))[0]
        assert ask.text.startswith("「董军」已绑定给 张三。"), "a name, not an id"


async def test_someone_bound_with_a_username_before_accounts_were_remembered_is_found(bot):
    lisi = bot.sandbox.add_user("李四", username="lisi")
    bot.group.member_ids.add(lisi.id)  # a member who has not written since
    # A database from before revision 0003: the binding is all that knows @lisi.
    async with bot.db.session() as session:
        chat = await get_or_create_chat(session, bot.group.id, type="supergroup")
        await bind_person(session, chat.id, "董军", lisi.id, "lisi")
    replies = await bot.say("/bind @lisi 高启秀", user=bot.admin)
    assert replies[0].text == "✅ 「高启秀」→ @lisi"
    assert await holder_of(bot, "高启秀") == lisi.id


async def test_a_username_taken_over_by_another_account_binds_its_new_holder(bot):
    lisi = bot.sandbox.add_user("李四", username="lisi")
    await bot.say("大家好", user=lisi)
    lisi.username = "lisi_2020"  # renamed; the bot does not see it
    zhao = bot.sandbox.add_user("赵六", username="LiSi")
    await bot.say("我是新来的", user=zhao)
    replies = await bot.say("/bind @lisi 董军", user=bot.admin)
    assert replies[0].text == "✅ 「董军」→ @LiSi"
    assert await holder_of(bot, "董军") == zhao.id
    # 赵六 moves on and 李四 takes his old name back: he holds it again.
    zhao.username = "zhao6"
    await bot.say("换个用户名", user=zhao)
    unknown = await bot.say("/bind @lisi 高启秀", user=bot.admin)
    assert unknown[0].text.startswith("我还不认识 @lisi"), "董军's binding is out of date"
    lisi.username = "lisi"
    await bot.say("我又叫 lisi 了", user=lisi)
    assert "→ @lisi" in (await bot.say("/bind @LISI 高启秀", user=bot.admin))[0].text
    assert await holder_of(bot, "高启秀") == lisi.id


async def test_a_busy_chat_writes_an_account_when_new_or_changed_not_per_message(bot):
    start = datetime(2020, 10, 12, 2, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=True) as clock:
        lisi = bot.sandbox.add_user("李四", username="lisi")
        office = bot.sandbox.add_chat("supergroup", title="办公室")
        for n in range(10):
            await bot.say(f"第 {n} 条", user=lisi, chat=office if n % 2 else bot.group)
            clock.shift(timedelta(minutes=5))
        first = await seen_as(bot, lisi)
        assert first is not None and first.last_seen < start + timedelta(minutes=1), (
            "ten messages in two groups, one write"
        )

        lisi.last_name = "（办公室）"
        await bot.say("改个名", user=lisi)
        renamed = await seen_as(bot, lisi)
        assert renamed.full_name == "李四 （办公室）"
        assert renamed.last_seen >= start + timedelta(minutes=50), "a new name is written"

        # Once a day an account is written again, so last_seen stays true to within a day.
        clock.shift(timedelta(hours=23))
        await bot.say("还在", user=lisi)
        assert (await seen_as(bot, lisi)).last_seen == renamed.last_seen
        clock.shift(timedelta(hours=2))
        await bot.say("早", user=lisi)
        assert (await seen_as(bot, lisi)).last_seen >= start + timedelta(days=1)
