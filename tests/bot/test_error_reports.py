"""What the error handler tells the user and the admins: the admins were told only when a
report reached one; an admin Telegram refuses (never opened a private chat with the bot) hears
of it in the group where the error happened."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackContext, CommandHandler

from tests.support.harness import Harness, running_bot

ERROR = "抱歉，处理这条命令时出错了，请稍后再试。"
TOLD = "管理员已收到通知。"


def _plant_crash(bot: Harness) -> None:
    async def crash(update: Update, context: CallbackContext) -> None:
        raise ZeroDivisionError("a bug")

    bot.application.add_handler(CommandHandler("crash", crash))
    bot.expect_errors(ZeroDivisionError)


async def test_an_admin_who_never_opened_the_bot_is_not_said_to_be_told(tmp_path):
    async with running_bot(tmp_path) as bot:
        _plant_crash(bot)
        replies = await bot.say("/crash")
        assert len(replies) == 1
        lines = replies[0].text.splitlines()
        assert lines[0] == ERROR, "the admins were not told: the reply must not say so"
        # Brief, in the group, naming who missed the report and how to fix it; no traceback.
        assert lines[1:] == [
            f"⚠️ 这次出错未能私信通知管理员（ID：{bot.admin.id}）：请管理员私聊机器人并发送 "
            "/start，以便收到错误报告。"
        ]
        assert "ZeroDivisionError" not in replies[0].text
        assert bot.sandbox.sent(bot.sandbox.private_chat(bot.admin)) == []


async def test_the_reply_says_the_admins_were_told_when_one_report_went_through(tmp_path):
    async with running_bot(tmp_path) as bot:
        late = bot.sandbox.add_user("副管理员")
        bot.application.bot_data.services.config.access.admins.append(late.id)
        bot.sandbox.private_chat(bot.admin)  # the first admin has started the bot
        _plant_crash(bot)
        replies = await bot.say("/crash")
        assert [m.text.splitlines()[0] for m in replies] == [ERROR + TOLD]
        # The second admin still hears, in the group, that they missed it.
        assert str(late.id) in replies[0].text and str(bot.admin.id) not in replies[0].text
        (report,) = bot.sandbox.sent(bot.sandbox.private_chat(bot.admin))
        assert "ZeroDivisionError: a bug" in report.text


async def test_in_a_private_chat_the_user_hears_only_what_happened(tmp_path):
    async with running_bot(tmp_path) as bot:
        _plant_crash(bot)
        chat = bot.sandbox.private_chat(bot.member)
        before = len(bot.sandbox.sent(chat))
        bot.sandbox.send_text(chat, bot.member, "/crash")
        bot.pushed += 1
        await bot.settle()
        assert [m.text for m in bot.sandbox.sent(chat)[before:]] == [ERROR]


ADMIN_CHAT = -1009876543210


async def test_reports_go_to_the_configured_admin_chat(tmp_path):
    async with running_bot(tmp_path, access={"admin_chat": ADMIN_CHAT}) as bot:
        admins = bot.sandbox.add_chat("supergroup", title="管理员群", chat_id=ADMIN_CHAT)
        bot.sandbox.private_chat(bot.admin)  # the admin could be written to: still not used
        _plant_crash(bot)
        replies = await bot.say("/crash")
        assert [m.text for m in replies] == [ERROR + TOLD]
        (report,) = bot.sandbox.sent(admins)
        assert "ZeroDivisionError: a bug" in report.text
        assert bot.sandbox.sent(bot.sandbox.private_chat(bot.admin)) == []


async def test_an_admin_chat_the_bot_cannot_write_to_is_named_in_the_group(tmp_path):
    async with running_bot(tmp_path, access={"admin_chat": ADMIN_CHAT}) as bot:
        _plant_crash(bot)  # no such chat in the sandbox: "chat not found"
        replies = await bot.say("/crash")
        assert replies[0].text.splitlines() == [
            ERROR,
            f"⚠️ 这次出错未能通知管理员群（ID：{ADMIN_CHAT}）：请确认机器人仍在该群中并可以发言。",
        ]
