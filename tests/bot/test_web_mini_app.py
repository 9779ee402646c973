"""The board as a Telegram Mini App over HTTP: the page Telegram opens, its initData posted
and checked, and the board of the person's own groups only (tampered, expired, another bot's
data refused; another person's group 404), in Chinese and English, on both databases."""

import html
import re
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import httpx

from bot.i18n import t
from bot.sandbox.web_app import signed_init_data
from bot.web.server import WebServer
from tests.support.chat import bind, item_ids, item_row, seed
from tests.support.harness import running_bot

PUBLIC = "https://plan.example.test"


@asynccontextmanager
async def served(tmp_path, **config):
    """The bot with its HTTP server; two groups with the sample plan, the member bound in the
    harness's group and another person in the second group only."""
    async with running_bot(tmp_path, http={"public_url": PUBLIC}, **config) as bot:
        server = WebServer(bot.application)
        port = server.start("127.0.0.1", 0)
        other_group = bot.sandbox.add_chat("supergroup", title="财务科工作群")
        other = bot.sandbox.add_user("李四")
        await seed(bot)
        await seed(bot, other_group)
        await bind(bot, "张三", bot.member)
        await bind(bot, "李四", other, other_group)
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
                yield bot, client, other_group, other
        finally:
            await server.stop()


async def start(client, init_data, **form):
    return await client.post("/app/board", data={"init_data": init_data, **form})


async def test_the_page_telegram_opens_posts_its_data_itself(tmp_path):
    async with served(tmp_path) as (_bot, client, _, _):
        page = await client.get("/app")
        assert page.status_code == 200
        assert 'action="/app/board"' in page.text and 'name="init_data"' in page.text
        # Every script and style is planbot's own: no CDN, no telegram-web-app.js.
        sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert sources and all(s.startswith("/") for s in sources), sources
        script = await client.get(next(s for s in sources if s.endswith("app.js")))
        assert script.status_code == 200 and "tgWebAppData" in script.text
        # Telegram Web frames Mini Apps; nobody else may.
        assert "frame-ancestors https://web.telegram.org" in page.headers["content-security-policy"]


async def test_the_member_sees_their_groups_board_only(tmp_path):
    async with served(tmp_path) as (bot, client, other_group, _):
        opened = await start(client, bot.sandbox.web_app_init_data(bot.member))
        assert opened.status_code == 303
        where = opened.headers["location"]
        assert where.startswith("/app/") and where.endswith(f"/{bot.group.id}")
        board = await client.get(where)
        assert board.status_code == 200
        assert board.headers["cache-control"] == "no-store"
        first = item_row_text(await item_row(bot, 1))
        assert bot.group.title in board.text and first in board.text
        assert other_group.title not in board.text
        # The board's own links stay under the pass: a month, an item's history.
        [item_id] = await item_ids(bot, 1, chat=bot.group)
        assert f'href="{where}/item/{item_id}"' in board.text
        item = await client.get(f"{where}/item/{item_id}")
        assert item.status_code == 200 and first in item.text
        # Another group's board, or its item under this group's address: 404, no detail.
        token = where.split("/")[2]
        assert (await client.get(f"/app/{token}/{other_group.id}")).status_code == 404
        [theirs] = await item_ids(bot, 1, chat=other_group)
        assert (await client.get(f"{where}/item/{theirs}")).status_code == 404
        chosen = await start(
            client, bot.sandbox.web_app_init_data(bot.member), group=str(other_group.id)
        )
        assert chosen.status_code == 404 and other_group.title not in chosen.text


def item_row_text(item) -> str:
    return html.escape(item.content.strip()[:12], quote=False)


async def test_someone_in_two_groups_switches_between_them(tmp_path):
    async with served(tmp_path) as (bot, client, other_group, _):
        await bind(bot, "王五", bot.member, other_group)
        data = bot.sandbox.web_app_init_data(bot.member)
        opened = await start(client, data, group=str(other_group.id))
        assert opened.headers["location"].endswith(f"/{other_group.id}")
        board = await client.get(opened.headers["location"])
        token = opened.headers["location"].split("/")[2]
        assert f'href="/app/{token}/{bot.group.id}"' in board.text
        assert f'href="/app/{token}/{other_group.id}" aria-current="page"' in board.text


async def test_forged_expired_and_foreign_data_are_refused(tmp_path):
    async with served(tmp_path) as (bot, client, other_group, other):
        refused = t("zh_CN", "miniapp.page.refused")
        good = bot.sandbox.web_app_init_data(bot.member)
        # The member's data with another user's id: the hash no longer matches.
        forged = good.replace(str(bot.member.id), str(other.id), 1)
        old = int((datetime.now(UTC) - timedelta(days=1, minutes=1)).timestamp())
        for data in (
            forged,
            good[:-1] + ("0" if good[-1] != "0" else "1"),
            bot.sandbox.web_app_init_data(bot.member, auth_date=old),
            signed_init_data("654321:another-bot", bot.member),
            "",
            "user=%7B%7D",
        ):
            answer = await start(client, data)
            assert answer.status_code == 403, data
            assert refused in answer.text and bot.group.title not in answer.text
        # A pass changed by one character opens nothing either.
        opened = await start(client, good)
        token = opened.headers["location"].split("/")[2]
        user, stamp, mac = token.split(".")
        for bad in (f"{other.id}.{stamp}.{mac}", f"{user}.{int(stamp) + 9}.{mac}"):
            answer = await client.get(f"/app/{bad}/{other_group.id}")
            assert answer.status_code == 403 and other_group.title not in answer.text


async def test_someone_bound_nowhere_is_told_how_in_their_language(tmp_path):
    async with served(tmp_path) as (bot, client, _, _):
        stranger = bot.sandbox.add_user("Stranger", language_code="en")
        answer = await start(client, bot.sandbox.web_app_init_data(stranger))
        assert answer.status_code == 200
        assert t("en", "miniapp.page.no_groups") in html.unescape(answer.text)
        chinese = bot.sandbox.add_user("王")
        answer = await start(
            client, bot.sandbox.web_app_init_data(chinese, language_code="zh-hans")
        )
        assert t("zh_CN", "miniapp.page.no_groups") in html.unescape(answer.text)


def test_the_access_log_leaves_the_pass_out():
    from bot.web.server import loggable_path

    assert loggable_path("/app/4242.1796543820.AAAAAAAAAAAAAAAAAAAAAA/-1001") == "/app/…/-1001"
    assert loggable_path("/app/board") == "/app/board"
    assert loggable_path("/app") == "/app"
