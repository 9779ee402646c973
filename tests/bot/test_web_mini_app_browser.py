"""The Mini App in a real browser (Debian's Chromium through Playwright): the page Telegram
opens reads initData from its URL fragment with our own script, posts it, and lands on the
member's board; opened outside Telegram it says where to open it."""

import os
from pathlib import Path

import pytest

from bot.i18n import t
from bot.sandbox.web_app import launch_fragment
from tests.bot.test_web_mini_app import served

CHROMIUM = Path(os.environ.get("PLANBOT_CHROMIUM", "/usr/bin/chromium"))
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"
)


async def test_telegram_opens_the_app_and_the_member_sees_their_board(tmp_path):
    from playwright.async_api import async_playwright

    async with served(tmp_path) as (bot, client, other_group, _):
        base = str(client.base_url).rstrip("/")
        fragment = launch_fragment(bot.sandbox.web_app_init_data(bot.member))
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=str(CHROMIUM))
            try:
                # A phone's Mini App view.
                page = await browser.new_page(viewport={"width": 390, "height": 800})
                await page.goto(f"{base}/app{fragment}")
                await page.wait_for_url(f"{base}/app/*/{bot.group.id}")
                assert "#" not in page.url and "tgWebAppData" not in page.url
                text = await page.inner_text("body")
                assert bot.group.title in text and other_group.title not in text
                await page.screenshot(path=str(tmp_path / "mini-app.png"), full_page=True)

                # The same page in a browser, not from Telegram: one sentence, no board.
                await page.goto(f"{base}/app")
                await page.wait_for_selector("#outside", state="visible")
                assert t("zh_CN", "miniapp.page.outside") in await page.inner_text("body")
            finally:
                await browser.close()
