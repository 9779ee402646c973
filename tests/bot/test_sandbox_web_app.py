"""The sandbox plays Telegram for the Mini App: web_app buttons only in private chats, the
bot's menu button (setChatMenuButton / getChatMenuButton), and the initData it signs."""

from datetime import UTC, datetime, timedelta

import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MenuButtonCommands,
    MenuButtonDefault,
    MenuButtonWebApp,
    WebAppInfo,
)
from telegram.error import BadRequest

from bot.sandbox import Sandbox
from bot.web.init_data import Rejection, WebAppUser, validate_init_data

APP = "https://plan.example.test/app"


def app_button(url: str = APP) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("看板", web_app=WebAppInfo(url))]])


async def test_web_app_buttons_only_in_private_chats(sandbox: Sandbox, sandbox_bot: Bot) -> None:
    alice = sandbox.add_user("Alice")
    private = sandbox.private_chat(alice)
    group = sandbox.add_chat("supergroup", title="office", members=[alice])
    await sandbox_bot.send_message(private.id, "board", reply_markup=app_button())
    [sent] = sandbox.sent(private)
    assert sent.buttons[0]["web_app"] == {"url": APP}
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_TYPE_INVALID"):
        await sandbox_bot.send_message(group.id, "board", reply_markup=app_button())
    # Nor edited into a group's message.
    posted = await sandbox_bot.send_message(group.id, "board")
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_TYPE_INVALID"):
        await sandbox_bot.edit_message_reply_markup(
            group.id, posted.message_id, reply_markup=app_button()
        )
    # Telegram opens only HTTPS pages as Mini Apps.
    with pytest.raises(BadRequest, match=r"(?i)only https links are allowed"):
        await sandbox_bot.send_message(
            private.id, "board", reply_markup=app_button("http://plan.example.test/app")
        )
    assert [m.text for m in sandbox.sent()] == ["board", "board"]


async def test_menu_button_set_and_read(sandbox: Sandbox, sandbox_bot: Bot) -> None:
    alice = sandbox.add_user("Alice")
    private = sandbox.private_chat(alice)
    group = sandbox.add_chat("supergroup", title="office", members=[alice])
    # Until the bot sets one, its default button opens the command list.
    assert await sandbox_bot.get_chat_menu_button() == MenuButtonCommands()
    board = MenuButtonWebApp("看板", WebAppInfo(APP))
    assert await sandbox_bot.set_chat_menu_button(menu_button=board)
    assert await sandbox_bot.get_chat_menu_button() == board
    # A chat without a button of its own shows the default.
    assert await sandbox_bot.get_chat_menu_button(private.id) == MenuButtonDefault()
    await sandbox_bot.set_chat_menu_button(private.id, MenuButtonCommands())
    assert await sandbox_bot.get_chat_menu_button(private.id) == MenuButtonCommands()
    await sandbox_bot.set_chat_menu_button(private.id, MenuButtonDefault())
    assert await sandbox_bot.get_chat_menu_button(private.id) == MenuButtonDefault()
    with pytest.raises(BadRequest, match="private chat"):
        await sandbox_bot.set_chat_menu_button(group.id, board)
    with pytest.raises(BadRequest, match=r"(?i)only https links are allowed"):
        await sandbox_bot.set_chat_menu_button(
            menu_button=MenuButtonWebApp("看板", WebAppInfo("http://plan.example.test/app"))
        )
    # The refused calls changed nothing.
    assert await sandbox_bot.get_chat_menu_button() == board


async def test_init_data_the_sandbox_signs_is_telegrams(sandbox: Sandbox) -> None:
    """Two implementations of the documented recipe, the sandbox's and the bot's, agree."""
    alice = sandbox.add_user("Alice", last_name="Li", username="alice")
    now = datetime.now(UTC)
    data = sandbox.web_app_init_data(alice, language_code="en")
    user = validate_init_data(data, sandbox.token, now=now)
    assert isinstance(user, WebAppUser)
    assert (user.id, user.full_name, user.username, user.language_code) == (
        alice.id,
        "Alice Li",
        "alice",
        "en",
    )
    assert validate_init_data(data, "1:other-bot", now=now) is Rejection.BAD_HASH
    old = int((now - timedelta(days=2)).timestamp())
    stale = sandbox.web_app_init_data(alice, auth_date=old)
    assert validate_init_data(stale, sandbox.token, now=now) is Rejection.EXPIRED
