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
