"""A 👍 / 👌 / ✅ reaction to a reminder counts as 已确认, end to end: the sandbox makes the
message_reaction update as Telegram does (only where the bot is an administrator), the real
PTB Application handles it, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.sandbox import Chat, Message, User
from storage.models import ItemEvent
from tests.bot.test_reminders import Office, _block, at, office_at
from tests.support.harness import Harness, running_bot  # noqa: F401 (both backends)

GAO = "高启秀"


@pytest.fixture
async def office(tmp_path) -> AsyncIterator[Office]:
    async with office_at(tmp_path, at(10, 20, 10)) as o:
        o.bot.sandbox.set_admin(o.bot.group, o.bot.sandbox.bot)
        yield o


async def react(bot: Harness, user: User, message: Message | tuple[Chat, int], *emoji: str) -> bool:
    """`user` sets `emoji` on the message; waits until the bot handled the update (if one was
    made: only where the bot is an admin). Returns whether Telegram made one."""
    made = bot.sandbox.react(user, message, *emoji)
    if made:
        bot.pushed += 1
        await bot.settle()
    return made


async def acks(bot: Harness) -> list[tuple[int, int | None]]:
    async with bot.db.session() as session:
        events = await session.scalars(select(ItemEvent).where(ItemEvent.kind == "ack"))
        return sorted((e.item_id, e.author_tg_user_id) for e in events)


async def test_a_thumbs_up_by_the_responsible_confirms_as_the_eyes_button_does(office):
    (message,) = await office.moment(at(10, 23))
    gao = office.leaders[GAO]
    assert "未确认：高启秀" in _block(message, 1)
    assert await react(office.bot, gao, message, "👍")
    # Every item of the reminder 高启秀 answers for, confirmed in place; nothing said.
    assert "已确认：高启秀" in _block(message, 1) and "未确认" not in _block(message, 1)
    assert office.new() == []
    confirmed = await acks(office.bot)
    assert confirmed and {user for _, user in confirmed} == {gao.id}
    assert len(message.buttons) == 30, "the buttons stay"
    # The same acknowledgement as 👀: pressing it now says it was given already.
    assert await office.press(message, "it:ack:1", gao) == "您已确认过这条提醒。"
    # Changing 👍 to 👌, or adding ✅, records nothing twice.
    await react(office.bot, gao, message, "👌", "✅")
    assert await acks(office.bot) == confirmed


async def test_ok_and_check_mark_count_too(office):
    (message,) = await office.moment(at(10, 23))
    dong, guo = office.leaders["董军"], office.leaders["郭红萍"]
    await react(office.bot, dong, message, "👌")
    await react(office.bot, guo, message, "✅")
    assert "已确认：董军" in _block(message, 10)
    assert {user for _, user in await acks(office.bot)} == {dong.id, guo.id}


async def test_other_people_other_emoji_and_removals_change_nothing_and_say_nothing(office):
    (message,) = await office.moment(at(10, 23))
    bot, gao = office.bot, office.leaders[GAO]
    before = message.text
    chief = bot.sandbox.add_user("主任")
    bot.sandbox.set_admin(bot.group, chief)
    for someone in (bot.member, bot.admin, chief):  # admins do not confirm for others either
        assert await react(bot, someone, message, "👍")
    assert await react(bot, gao, message, "😢")
    assert await react(bot, gao, message, "🔥", "❤")
    assert await react(bot, gao, message)  # removed
    assert message.text == before and await acks(bot) == []
    assert office.new() == [] and (bot.group.id, message.message_id) not in bot.sandbox.edits
    # 👍 added next to the 😢 already there counts.
    await react(bot, gao, message, "😢")
    await react(bot, gao, message, "😢", "👍")
    assert "已确认：高启秀" in _block(message, 1)


async def test_a_bot_that_is_no_admin_gets_no_reaction_at_all(tmp_path):
    async with office_at(tmp_path, at(10, 20, 10)) as office:
        (message,) = await office.moment(at(10, 23))
        bot = office.bot
        handled = bot.updates.handled
        assert not bot.sandbox.react(office.leaders[GAO], message, "👍")
        assert bot.sandbox.pending_updates == []
        assert "未确认：高启秀" in _block(message, 1) and await acks(bot) == []
        assert bot.updates.handled == handled


async def test_reactions_on_other_messages_do_nothing(office):
    """Forged or stray: an id the bot never sent, the reminder's id in another chat, and a /plan
    answer listing the same items (not a reminder)."""
    (message,) = await office.moment(at(10, 23))
    bot, gao = office.bot, office.leaders[GAO]
    assert await react(bot, gao, (bot.group, 987654), "👍")
    other = bot.sandbox.add_chat("supergroup", title="别的群")
    bot.sandbox.set_admin(other, bot.sandbox.bot)
    other.member_ids.add(gao.id)
    assert await react(bot, gao, (other, message.message_id), "👍")
    (listing,) = await bot.say("/plan", user=gao)
    office.new()
    assert await react(bot, gao, listing, "👍")
    assert await acks(bot) == [] and "未确认：高启秀" in _block(message, 1)
    assert office.new() == [] and bot.sandbox.sent(other) == []


async def test_a_thumbs_up_in_english(tmp_path):
    async with office_at(tmp_path, at(10, 20, 10), i18n={"locale": "en"}) as office:
        office.bot.sandbox.set_admin(office.bot.group, office.bot.sandbox.bot)
        (message,) = await office.moment(at(10, 23))
        assert "Not yet confirmed: 高启秀" in _block(message, 1)
        await react(office.bot, office.leaders[GAO], message, "👍")
        assert "Confirmed: 高启秀" in _block(message, 1)
        assert "Not yet confirmed" not in _block(message, 1)
        assert office.new() == []


@pytest.mark.parametrize(
    ("locale", "warning"),
    [
        ("zh_CN", "⚠️ 机器人还不是本群管理员，看不到大家对提醒点的 👍"),
        ("en", "⚠️ The bot is not an administrator of this group, so it does not see 👍"),
    ],
)
async def test_start_tells_an_admin_when_reactions_will_not_be_seen(tmp_path, locale, warning):
    async with office_at(tmp_path, at(10, 20, 10), i18n={"locale": locale}) as office:
        bot = office.bot
        (hello,) = await bot.say("/start", user=bot.admin)
        assert warning in hello.text
        (hello,) = await bot.say("/start", user=bot.member)
        assert warning not in hello.text, "told to an admin, who can change it"
        bot.sandbox.set_admin(bot.group, bot.sandbox.bot)
        (hello,) = await bot.say("/start", user=bot.admin)
        assert warning not in hello.text
