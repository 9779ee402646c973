"""/board's URL button only for an address Telegram takes on one (issue 17 follow-up): a local
`[http] public_url` (an office's own network) gets the link as text, and a button Telegram
refuses anyway (BUTTON_URL_INVALID) is dropped and the text sent again without it."""

from __future__ import annotations

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest

from bot.sandbox import Sandbox
from bot.views.url_buttons import button_url_ok
from tests.support.board import token_of
from tests.support.chat import joined
from tests.support.harness import running_bot

# Address → whether Telegram takes it on an inline URL button (as planbot predicts it).
BUTTON_URLS = {
    "https://plan.example.gov.cn": True,
    "https://plan.example.gov.cn/sub/path?x=1": True,
    "http://plan.example.gov.cn:8080": True,
    "https://8.8.8.8/board": True,
    "http://localhost:8080": False,
    "http://LOCALHOST": False,
    "https://board.localhost": False,
    "http://127.0.0.1:8080": False,
    "http://10.1.2.3": False,
    "http://172.16.0.9:8080": False,
    "http://192.168.1.20:8080": False,
    "http://169.254.1.1": False,
    "http://100.64.0.1": False,  # carrier-grade NAT: not reachable from the internet
    "http://[::1]:8080": False,
    "http://[fd00::1]/": False,
    "http://planbot:8080": False,  # one word: no domain
    "http://plan.local": False,
    "http://server.internal": False,
    "http://nas.lan": False,
    "webcal://plan.example.gov.cn/ics/x.ics": False,
    "ftp://plan.example.gov.cn": False,
    "plan.example.gov.cn": False,
    "http://plan.example.gov.cn:port": False,
    "": False,
}


@pytest.mark.parametrize(("url", "ok"), BUTTON_URLS.items())
def test_which_addresses_telegram_takes_on_a_button(url: str, ok: bool) -> None:
    assert button_url_ok(url) is ok


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:8080",
        "http://127.0.0.1:8080/board/x",
        "http://192.168.1.20:8080",
        "http://[::1]/",
        "http://planbot/",
        "webcal://plan.example.gov.cn/x.ics",
    ],
)
async def test_the_sandbox_refuses_a_local_url_button_as_telegram_does(
    sandbox: Sandbox, sandbox_bot: Bot, url: str
) -> None:
    alice = sandbox.add_user("Alice")
    group = sandbox.add_chat("supergroup", title="office", members=[alice])
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("看板", url=url)]])
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_URL_INVALID"):
        await sandbox_bot.send_message(group.id, "board", reply_markup=markup)
    assert sandbox.sent(group) == []
    public = InlineKeyboardMarkup([[InlineKeyboardButton("看板", url="https://plan.example.org")]])
    await sandbox_bot.send_message(group.id, "board", reply_markup=public)
    assert [m.buttons[0]["url"] for m in sandbox.sent(group)] == ["https://plan.example.org"]


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
async def test_a_local_address_gets_the_link_as_text_without_a_button(tmp_path, locale) -> None:
    local = "http://192.168.1.20:8080"
    config = {"http": {"public_url": local}, "i18n": {"locale": locale}}
    async with running_bot(tmp_path, **config) as bot:
        replies = await bot.say("/board", user=bot.admin)
        reset = await bot.say("/board reset", user=bot.admin)
    assert len(replies) == len(reset) == 1
    assert f"{local}/board/" in replies[0].text and f"{local}/board/" in reset[0].text
    assert replies[0].buttons == [] and reset[0].buttons == []


async def test_a_button_telegram_refuses_anyway_is_dropped_and_the_link_sent_as_text(
    tmp_path, caplog
) -> None:
    public = "https://plan.example.gov.cn"
    async with running_bot(tmp_path, http={"public_url": public}) as bot:
        bot.sandbox.refused_button_hosts.add("plan.example.gov.cn")
        replies = await bot.say("/board", user=bot.admin)
        refused = [c.error for c in bot.sandbox.calls_to("sendMessage") if c.error]
    assert len(replies) == 1 and replies[0].buttons == []
    assert f"{public}/board/" in joined(replies)
    assert len(refused) == 1 and "BUTTON_URL_INVALID" in str(refused[0]).upper(), "tried once"
    token = token_of(joined(replies))
    assert "refused the board's button" in caplog.text and token not in caplog.text
