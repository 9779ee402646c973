"""The board as a Telegram Mini App in the chat: the bot's menu button, set once at start when
`[http] public_url` is an HTTPS address, and /board in a private chat."""

import logging

import pytest

from bot.app import wanted_menu_button
from bot.config import parse_config
from bot.i18n import t
from tests.support.chat import bind, seed
from tests.support.harness import running_bot

PUBLIC = "https://plan.example.test"


def menu_sets(bot) -> int:
    return len(bot.sandbox.calls_to("setChatMenuButton"))


async def test_menu_button_opens_the_board_and_is_set_once(tmp_path):
    async with running_bot(tmp_path, http={"public_url": PUBLIC + "/"}) as bot:
        assert bot.sandbox.menu_buttons[None] == {
            "type": "web_app",
            "text": t("zh_CN", "miniapp.menu_button"),
            "web_app": {"url": PUBLIC + "/app"},
        }
        assert menu_sets(bot) == 1
        # A restart with the same address reads the button and leaves it.
        await bot.restart()
        await bot.application.bot_data.menu
        assert menu_sets(bot) == 1
        assert len(bot.sandbox.calls_to("getChatMenuButton")) == 2


async def test_menu_button_follows_the_address_and_language(tmp_path):
    async with running_bot(tmp_path, http={"public_url": PUBLIC}) as bot:
        assert menu_sets(bot) == 1
    async with running_bot(
        tmp_path, http={"public_url": "https://other.example.test"}, i18n={"locale": "en"}
    ) as bot:
        # The sandbox is new: the button starts as Telegram's default and is set once.
        assert bot.sandbox.menu_buttons[None]["web_app"] == {
            "url": "https://other.example.test/app"
        }
        assert bot.sandbox.menu_buttons[None]["text"] == t("en", "miniapp.menu_button")
        # The address changes (say the server moved): the next start writes the new one.
        bot.config.http.public_url = "https://third.example.test"
        await bot.restart()
        await bot.application.bot_data.menu
        assert bot.sandbox.menu_buttons[None]["web_app"] == {
            "url": "https://third.example.test/app"
        }
        assert menu_sets(bot) == 2


async def test_no_menu_button_without_an_https_address(tmp_path):
    async with running_bot(tmp_path) as bot:
        assert menu_sets(bot) == 0 and None not in bot.sandbox.menu_buttons
    # An http address can serve the browser board, not a Mini App: the button stays default.
    async with running_bot(tmp_path, http={"public_url": "http://10.0.0.5:8080"}) as bot:
        assert menu_sets(bot) == 0
        # One set before (another start, an https address since dropped) is put back.
        bot.sandbox.menu_buttons[None] = {
            "type": "web_app",
            "text": "计划看板",
            "web_app": {"url": "https://old.example.test/app"},
        }
        await bot.restart()
        await bot.application.bot_data.menu
        assert None not in bot.sandbox.menu_buttons


async def test_private_board_opens_the_mini_app_for_the_groups_one_is_bound_in(tmp_path):
    async with running_bot(tmp_path, http={"public_url": PUBLIC}) as bot:
        await seed(bot)
        await bind(bot, "张三", bot.member)
        private = bot.sandbox.private_chat(bot.member)
        [answer] = await bot.say("/board", chat=private)
        assert answer.text == t("zh_CN", "miniapp.open", groups=bot.group.title)
        assert answer.buttons == [
            {"text": t("zh_CN", "miniapp.button"), "web_app": {"url": PUBLIC + "/app"}}
        ]
        # Someone bound nowhere is told how to bind; no button to an empty board.
        stranger = bot.sandbox.add_user("路人")
        [answer] = await bot.say("/board", user=stranger, chat=bot.sandbox.private_chat(stranger))
        assert answer.text == t("zh_CN", "items.private_unbound") and not answer.buttons
        # In the group, the group's link: no web_app button (Telegram would refuse it there).
        replies = await bot.say("/board", user=bot.admin)
        assert replies and all("web_app" not in b for m in replies for b in m.buttons)
        assert any(
            b.get("url", "").startswith(PUBLIC + "/board/") for m in replies for b in m.buttons
        )


async def test_private_board_in_english_and_without_an_https_address(tmp_path):
    async with running_bot(tmp_path, i18n={"locale": "en"}) as bot:
        await seed(bot)
        await bind(bot, "张三", bot.member)
        private = bot.sandbox.private_chat(bot.member)
        [answer] = await bot.say("/board", chat=private)
        assert answer.text == t("en", "miniapp.no_url") and not answer.buttons
    # Not https, or https on the office's own network: Telegram opens neither as a Mini App.
    for local in ("http://10.0.0.5:8080", "https://192.168.1.20", "https://planbot.lan"):
        async with running_bot(tmp_path, http={"public_url": local}, i18n={"locale": "en"}) as bot:
            [answer] = await bot.say("/board", chat=bot.sandbox.private_chat(bot.member))
            assert answer.text == t("en", "miniapp.not_https") and not answer.buttons, local
    async with running_bot(tmp_path, http={"public_url": PUBLIC}, i18n={"locale": "en"}) as bot:
        [answer] = await bot.say("/board", chat=bot.sandbox.private_chat(bot.member))
        assert answer.text == t("en", "miniapp.open", groups=bot.group.title)
        assert answer.buttons[0]["text"] == t("en", "miniapp.button")


@pytest.mark.parametrize(
    ("public_url", "menu", "said"),
    [
        ("https://plan.example.gov.cn", "web_app", False),
        ("https://192.168.1.20", "default", True),
        ("http://plan.example.gov.cn", "default", True),
        ("", "default", False),
    ],
)
def test_the_menu_button_is_the_mini_app_only_at_a_public_https_address(
    public_url: str, menu: str, said: bool, caplog: pytest.LogCaptureFixture
) -> None:
    config = parse_config({"http": {"public_url": public_url}}, source="x", env={})
    with caplog.at_level(logging.INFO, logger="bot.app"):
        button = wanted_menu_button(config)
    assert button.type == menu
    assert ("no Mini App menu button" in caplog.text) is said
