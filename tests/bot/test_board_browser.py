"""The web board in a real browser: headless Chromium (Debian's, driven by Playwright) opens the
board of the sample plan from the bot's own HTTP server and is looked at as a person would.

Skipped, with the reason, where /usr/bin/chromium or Playwright is missing (.ci/run installs
both when it can); the HTML itself is tested without a browser in test_board.py. Set
PLANBOT_BOARD_SCREENSHOT=path to keep the screenshot of the sample plan at a desktop width (the
README's, tests/fixtures/screenshots/board.png, is made this way).
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.support.board import (
    Served,
    board_token,
    office_in_states,
    sample_in_states,
    served,
)
from tests.support.chat import office_time
from tests.support.harness import Harness, running_bot

if TYPE_CHECKING:
    from playwright.async_api import Browser, Page, ViewportSize

CHROMIUM = Path("/usr/bin/chromium")
# Debian's fonts-noto-color-emoji (.ci/run installs it next to Chromium).
EMOJI_FONT = Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf")
playwright_api = pytest.importorskip(
    "playwright.async_api", reason="Playwright is not installed (the test extra has it)"
)
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"
)

# bot/web/static/board.css: each state's colour, as the browser computes it.
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
COLOURS = {
    "done": "rgb(30, 142, 62)",
    "overdue": "rgb(217, 48, 37)",
    "behind": "rgb(232, 161, 0)",
    "near": "rgb(26, 115, 232)",
    "ok": "rgb(128, 134, 139)",
}
# What each visible card shows: its number, state, left edge and the colour of its stripe.
CARDS_JS = """() => [...document.querySelectorAll('article.item')]
  .filter(card => card.offsetParent !== null)
  .map(card => ({
    seq: parseInt(card.querySelector('.seq').textContent),
    state: card.dataset.state,
    left: Math.round(card.getBoundingClientRect().left),
    colour: getComputedStyle(card).borderLeftColor,
  }))"""


def with_cjk_fonts(tmp_path: Path) -> dict[str, str]:
    """The browser's environment, its fonts the system's plus the Noto Sans CJK the project's
    mplfonts dependency ships: a server without Chinese fonts would show boxes instead."""
    import mplfonts

    fonts = Path(mplfonts.__file__).parent / "fonts"
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{fonts}</dir><cachedir>{tmp_path / 'fontconfig'}</cachedir></fontconfig>"
    )
    return {**os.environ, "FONTCONFIG_FILE": str(conf)}


def coloured_pixels(png: bytes) -> int:
    """Pixels of a strong colour: the state emoji drawn in colour (Noto Color Emoji, Debian's
    fonts-noto-color-emoji) have many, the empty boxes a browser draws without the font none —
    the strip's text is black and grey."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        rgb = image.convert("RGB").tobytes()
    pixels = (rgb[i : i + 3] for i in range(0, len(rgb), 3))
    return sum(1 for pixel in pixels if max(pixel) - min(pixel) > 100)


@asynccontextmanager
async def in_chromium(bot: Harness, tmp_path: Path) -> AsyncIterator[tuple[Browser, Served]]:
    """Headless Chromium with the fonts (`with_cjk_fonts`), and the bot's board served."""
    async with served(bot) as web, playwright_api.async_playwright() as driver:
        browser = await driver.chromium.launch(
            executable_path=str(CHROMIUM), env=with_cjk_fonts(tmp_path)
        )
        try:
            yield browser, web
        finally:
            await browser.close()


async def open_board(browser: Browser, url: str) -> Page:
    """A new page on a desktop screen, at `url`, which answers 200."""
    page = await browser.new_page(viewport=DESKTOP)
    answer = await page.goto(url)
    assert answer is not None and answer.status == 200
    return page


@pytest.fixture
async def bot(tmp_path):
    async with running_bot(tmp_path, http={"public_url": "https://plan.example.gov.cn"}) as harness:
        yield harness


async def test_the_board_in_chromium(bot, tmp_path):
    with office_time(2020, 10, 29):
        await office_in_states(bot)
        token = await board_token(bot)
        async with in_chromium(bot, tmp_path) as (browser, web):
            page = await open_board(browser, web.url(token))

            # The sample plan, each card in its state's colour, several columns.
            cards = await page.evaluate(CARDS_JS)
            assert {c["seq"] for c in cards} == set(range(1, 12))
            assert {c["state"] for c in cards} == {"done", "near", "overdue", "behind"}
            assert all(c["colour"] == COLOURS[c["state"]] for c in cards), cards
            assert len({c["left"] for c in cards}) > 1, "a wide screen shows columns"
            assert "🔴 逾期 1" in await page.inner_text(".counts")

            # The leader switch, then the overdue filter, as links.
            await page.click('a[data-group="leader"]')
            headings = await page.locator("section.group h2").all_inner_texts()
            assert any(h.startswith("董军") for h in headings)
            assert "group=leader" in page.url
            await page.click('a[data-show="overdue"]')
            assert {c["seq"] for c in await page.evaluate(CARDS_JS)} == {3}
            await page.click('a[data-group="department"]')
            assert "show=overdue" in page.url, "the switch keeps the filter"
            assert {c["seq"] for c in await page.evaluate(CARDS_JS)} == {3}
            await page.click('a[data-show="done"]')
            assert {c["seq"] for c in await page.evaluate(CARDS_JS)} == {1}

            # The search box hides what does not match, as one types.
            await page.click('a[data-show="all"]')
            await page.fill("#search", "档案")
            found = {c["seq"] for c in await page.evaluate(CARDS_JS)}
            assert found == {10}
            await page.fill("#search", "没有这种事项")
            assert await page.evaluate(CARDS_JS) == []
            assert await page.is_visible("#no-match")

            # An item's history, one click away.
            await page.fill("#search", "")
            await page.click("article.item.state-near a.history")
            assert "80%" in await page.inner_text(".history-list")

            # A phone: one column.
            phone = await browser.new_page(viewport={"width": 390, "height": 844})
            await phone.goto(web.url(token))
            lefts = {c["left"] for c in await phone.evaluate(CARDS_JS)}
            assert len(lefts) == 1, lefts
            # Printed: no controls.
            await phone.emulate_media(media="print")
            assert not await phone.is_visible("nav.controls")

            # A reset: the old link is gone.
            new = await board_token(bot, "reset")
            gone = await phone.goto(web.url(token))
            assert gone is not None and gone.status == 404
            assert (await phone.inner_text("body")).strip() == "404"
            fresh = await phone.goto(web.url(new))
            assert fresh is not None and fresh.status == 200


@pytest.mark.skipif(
    not EMOJI_FONT.exists(),
    reason=f"no colour emoji font at {EMOJI_FONT} (apt-get install fonts-noto-color-emoji)",
)
async def test_the_screenshot_shows_the_sample_plan_with_its_emoji(bot, tmp_path):
    """The README's picture: the sample plan as imported (no test's own items), on a desktop
    screen, the states' emoji in colour and the Chinese in Noto Sans CJK."""
    with office_time(2020, 10, 29):
        await sample_in_states(bot)
        token = await board_token(bot)
        async with in_chromium(bot, tmp_path) as (browser, web):
            page = await open_board(browser, web.url(token))
            cards = await page.evaluate(CARDS_JS)
            assert {c["seq"] for c in cards} == set(range(1, 11)), "the sample's ten items"
            assert "<script>" not in await page.inner_text("main")
            counts = await page.locator(".counts").screenshot()
            assert coloured_pixels(counts) > 100, "the counts' emoji are drawn in colour"
            shot = tmp_path / "board.png"
            await page.screenshot(path=str(shot), full_page=True)
            assert 10_000 < shot.stat().st_size < 400_000
    if keep := os.environ.get("PLANBOT_BOARD_SCREENSHOT"):
        shutil.copyfile(shot, keep)
