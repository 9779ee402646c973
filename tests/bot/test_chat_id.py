"""/id and /start in a group tell an admin the group's id, which `planbot import --chat` needs."""

from tests.support.chat import joined
from tests.support.harness import running_bot


async def test_an_admin_sees_the_groups_id_others_do_not(tmp_path):
    async with running_bot(tmp_path) as bot:
        group_id = str(bot.group.id)
        answer = joined(await bot.say("/id", user=bot.admin))
        assert f"本群「荆州市总工会工作群」的 ID：{group_id}" in answer
        assert f"planbot import 文件 --chat {group_id}" in answer

        refused = joined(await bot.say("/id"))
        assert group_id not in refused and "只有管理员可以使用 /id" in refused

        assert group_id in joined(await bot.say("/start", user=bot.admin))
        hello = joined(await bot.say("/start"))
        assert "计划助手已就绪" in hello and group_id not in hello

        private = joined(await bot.say("/id", user=bot.admin, chat=bot.admin))
        assert "请在工作群里发送 /id" in private


OPEN_PRIVATE = "⚠️ 机器人还不能私信你（你还没有打开与机器人的私聊）"


async def test_start_tells_an_admin_the_bot_cannot_write_to_to_open_a_private_chat(tmp_path):
    async with running_bot(tmp_path) as bot:
        link = f"https://t.me/{bot.sandbox.bot.username}"
        (hello,) = await bot.say("/start", user=bot.admin)
        assert OPEN_PRIVATE in hello.text and link in hello.text
        assert [(b["text"], b.get("url")) for b in hello.buttons] == [("打开与机器人的私聊", link)]
        # The group's own Telegram administrator is told too; a member is not.
        chief = bot.sandbox.add_user("群主")
        bot.sandbox.set_admin(bot.group, chief)
        (hello,) = await bot.say("/start", user=chief)
        assert OPEN_PRIVATE in hello.text and hello.buttons
        (hello,) = await bot.say("/start")
        assert OPEN_PRIVATE not in hello.text and not hello.buttons
        # Once the admin opened the chat (pressed Start in private), nothing more is said.
        bot.sandbox.private_chat(bot.admin)
        (hello,) = await bot.say("/start", user=bot.admin)
        assert OPEN_PRIVATE not in hello.text and not hello.buttons
        assert str(bot.group.id) in hello.text
