"""The board as a Telegram Mini App in the chat: the bot's menu button, set once at start when
`[http] public_url` is an HTTPS address, and /board in a private chat."""

from bot.i18n import t
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
