"""The web board without a browser: /board in the group, then the pages over real HTTP from the
bot's own server, parsed with lxml (states as /plan shows them, escaping, grouping, filters,
periods, history, 404 for wrong and revoked tokens, 429 past the rate limit, English)."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from lxml import html

from bot.i18n import t
from storage.access_tokens import reset_token, server_secret
from storage.chats import get_chat
from storage.models import AccessKind
from tests.support.board import (
    HOSTILE_TITLE,
    PUBLIC_URL,
    board_token,
    office_in_states,
    plan_markers,
    served,
    token_of,
)
from tests.support.chat import button, joined, office_time, press
from tests.support.harness import running_bot

STATE_OF_MARKER = {"✅": "done", "🔴": "overdue", "🟡": "behind", "🔵": "near", "": "ok"}


@pytest.fixture
async def bot(tmp_path):
    async with running_bot(tmp_path, http={"public_url": PUBLIC_URL}) as harness:
        yield harness


def cards(page: html.HtmlElement) -> dict[int, html.HtmlElement]:
    """Item number → its card (the first, when an item is under several groups)."""
    found: dict[int, html.HtmlElement] = {}
    for card in page.cssselect("article.item"):
        seq = int(card.cssselect(".seq")[0].text_content().rstrip("."))
        found.setdefault(seq, card)
    return found


async def test_the_board_shows_what_plan_shows_in_colour(bot):
    with office_time(2020, 10, 29):
        await office_in_states(bot)
        plan_text = joined(await bot.say("/plan"))
        replies = await bot.say("/board", user=bot.admin)
        token = token_of(joined(replies))
        assert replies[-1].buttons[0]["url"] == f"{PUBLIC_URL}/board/{token}"
        async with served(bot) as web, httpx.AsyncClient() as client:
            answer = await client.get(web.url(token))
            history = await client.get(web.url(token, "/item/{}"))
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    page = html.fromstring(answer.text)
    assert page.get("lang") == "zh-CN"
    shown = cards(page)
    markers = plan_markers(plan_text)
    assert set(shown) == set(markers) == set(range(1, 12))
    states = {seq: card.get("data-state") for seq, card in shown.items()}
    assert states == {seq: STATE_OF_MARKER[m] for seq, m in markers.items()}
    assert {states[1], states[2], states[3], states[4]} == {"done", "near", "overdue", "behind"}
    for seq, card in shown.items():
        assert f"state-{states[seq]}" in card.get("class").split()
    # The counts strip is /plan's.
    counts = page.cssselect(".counts")[0].text_content()
    assert counts in plan_text and "🔴 逾期 1" in counts and "✅ 完成 1" in counts
    # Fields of one card: leaders, departments with parts, deadline and days, progress, note.
    near = shown[2]
    assert near.cssselect(".days")[0].text_content() == "还剩 2 天"
    assert near.cssselect("progress")[0].get("value") == "80"
    assert "已召开筹备会" in near.cssselect(".note")[0].text_content()
    assert shown[3].cssselect(".days")[0].text_content() == "逾期 9 天"
    assert "组织部 · 工业制造业工会联合会" in page.text_content(), "two lead parts shown"
    assert not shown[1].cssselect(".days"), "a done item has no days left"
    # The hostile title is text, never markup: the only script is the board's own.
    assert [s.get("src") for s in page.iter("script")] == ["/board/static/board.js"]
    assert shown[11].cssselect(".title")[0].text_content() == HOSTILE_TITLE
    assert "<script>alert" not in answer.text
    # Each card links to the item's history page.
    link = shown[2].cssselect("a.history")[0].get("href")
    assert link.startswith(f"/board/{token}/item/")
    assert history.status_code == 404, "not a number: no page"


async def test_history_grouping_filters_and_periods_work_through_the_address(bot):
    with office_time(2020, 10, 29):
        await office_in_states(bot)
        token = await board_token(bot)
        async with served(bot) as web, httpx.AsyncClient() as client:
            page = html.fromstring((await client.get(web.url(token))).text)
            item_link = cards(page)[2].cssselect("a.history")[0].get("href")
            item_page = await client.get(web.base + item_link)
            by_leader = html.fromstring(
                (await client.get(web.url(token), params={"group": "leader"})).text
            )
            overdue = html.fromstring(
                (await client.get(web.url(token), params={"show": "overdue"})).text
            )
            done = html.fromstring((await client.get(web.url(token), params={"show": "done"})).text)
            opened = html.fromstring(
                (await client.get(web.url(token), params={"show": "open"})).text
            )
            none = html.fromstring(
                (await client.get(web.url(token), params={"period": "2019-01"})).text
            )
            bad = html.fromstring(
                (await client.get(web.url(token), params={"period": "<b>x"})).text
            )
            hostile = await client.get(web.url(token), params={"group": "'\"><x>", "show": "\x00"})
    entries = html.fromstring(item_page.text).cssselect(".history-list li")
    assert item_page.status_code == 200
    assert any("80%" in e.text_content() and "已召开筹备会" in e.text_content() for e in entries)

    headings = [h.text_content().split()[0] for h in page.cssselect("section.group h2")]
    assert "组织部" in headings and "办公室" in headings
    leader_headings = [h.text_content().split()[0] for h in by_leader.cssselect("section.group h2")]
    assert {"高启秀", "郭红萍", "张征军", "董军"} <= set(leader_headings)
    assert by_leader.cssselect('a[data-group="leader"]')[0].get("class") == "on"

    assert set(cards(overdue)) == {3}
    assert set(cards(done)) == {1}
    assert set(cards(opened)) == set(range(2, 12))
    # The filter links keep the grouping, and the grouping links the filter.
    assert "group=department" in overdue.cssselect('a[data-show="done"]')[0].get("href")

    assert t("zh_CN", "board.no_plan") in none.text_content()
    assert "2020年10月" in none.cssselect("nav.periods")[0].text_content(), "where to go"
    assert "看不懂时期“<b>x”" in bad.text_content() and len(cards(bad)) == 11
    assert hostile.status_code == 200 and "<x>" not in hostile.text


async def test_a_wrong_or_revoked_link_opens_nothing_and_a_reset_one_does(bot):
    with office_time(2020, 10, 29):
        await office_in_states(bot)
        old = await board_token(bot)
        assert await board_token(bot) == old, "/board again shows the same link"
        replies = await bot.say("/board reset", user=bot.admin)
        new = token_of(joined(replies))
        assert "旧的看板链接已作废" in joined(replies) and new != old
        async with served(bot) as web, httpx.AsyncClient() as client:
            revoked = await client.get(web.url(old))
            revoked_item = await client.get(web.url(old, "/item/1"))
            fresh = await client.get(web.url(new))
            wrong = await client.get(web.url("A" * 43))
            other_item = await client.get(web.url(new, "/item/999999"))
    for answer in (revoked, revoked_item, wrong, other_item):
        assert answer.status_code == 404 and answer.text == "404", "no detail"
    assert fresh.status_code == 200 and len(cards(html.fromstring(fresh.text))) == 11


async def test_an_item_of_another_group_is_not_shown_through_this_groups_link(bot):
    other = bot.sandbox.add_chat("supergroup", title="另一个群")
    with office_time(2020, 10, 29):
        await office_in_states(bot)
        from tests.support.chat import seed

        await seed(bot, other)
        theirs = token_of(joined(await bot.say("/board", user=bot.admin, chat=other)))
        ours = await board_token(bot)
        async with served(bot) as web, httpx.AsyncClient() as client:
            page = html.fromstring((await client.get(web.url(theirs))).text)
            their_item = cards(page)[1].cssselect("a.history")[0].get("href").rsplit("/", 1)[1]
            through_ours = await client.get(web.url(ours, f"/item/{their_item}"))
            through_theirs = await client.get(web.url(theirs, f"/item/{their_item}"))
    assert through_ours.status_code == 404
    assert through_theirs.status_code == 200


async def test_too_many_requests_from_one_address_get_429(bot):
    with office_time(2020, 10, 29):
        await office_in_states(bot)
        token = await board_token(bot)
        async with served(bot) as web, httpx.AsyncClient() as client:
            web.server.rate_limiter.burst = 3
            web.server.rate_limiter.per_second = 0.001
            codes = [(await client.get(web.url(token))).status_code for _ in range(5)]
            guesses = [(await client.get(web.url("B" * 43))).status_code for _ in range(2)]
            health = await client.get(f"{web.base}/healthz")
    assert codes == [200, 200, 200, 429, 429]
    assert guesses == [429, 429], "guessing tokens is limited too"
    assert health.status_code == 200, "only the public pages are limited"


async def test_only_admins_get_the_link_and_without_an_address_it_says_what_to_set(tmp_path):
    async with running_bot(tmp_path) as bot:
        refused = joined(await bot.say("/board", user=bot.member))
        unset = joined(await bot.say("/board", user=bot.admin))
        wrong = joined(await bot.say("/board please", user=bot.admin))
    assert refused == t("zh_CN", "board.admins_only")
    assert unset == t("zh_CN", "board.no_public_url")
    assert "public_url" in unset and "[http] port" in unset
    assert wrong.startswith("看不懂“please”") and "/board reset" in wrong


async def test_an_english_group_gets_an_english_board(bot):
    with office_time(2020, 10, 29):
        await office_in_states(bot)
        await bot.say("/lang en", user=bot.admin)
        replies = await bot.say("/board", user=bot.admin)
        token = token_of(joined(replies))
        async with served(bot) as web, httpx.AsyncClient() as client:
            page = html.fromstring((await client.get(web.url(token))).text)
    assert "plan board" in joined(replies)
    assert page.get("lang") == "en"
    assert "3 days overdue" not in page.text_content()
    assert "9 days overdue" in page.text_content() and "2 days left" in page.text_content()
    assert page.cssselect('a[data-show="overdue"]')[0].text_content() == "overdue"


async def test_a_board_opened_again_follows_every_change(bot):
    """The page is kept by the version of what it shows (bot/web/board.py:BoardPages): opened
    again unchanged it is the same page; every kind of change shows at once; a link revoked
    here or by another instance (straight in the database) stops at once, kept or not."""
    with office_time(2020, 10, 29):
        await office_in_states(bot)
        token = await board_token(bot)
        async with served(bot) as web, httpx.AsyncClient() as client:

            async def board(address: str = "") -> html.HtmlElement:
                answer = await client.get(address or web.url(token))
                assert answer.status_code == 200
                return html.fromstring(answer.text)

            first = await client.get(web.url(token))
            again = await client.get(web.url(token))
            assert again.content == first.content
            assert len(web.server.board_pages) == 1, "built once"
            assert cards(await board())[4].get("data-state") == "behind"

            # A report, a note, a new item, a deleted one: each shows on the next request.
            await bot.say("/done 4", user=bot.admin)
            assert cards(await board())[4].get("data-state") == "done"
            await bot.say("/progress 5 30% 已起草方案", user=bot.admin)
            assert "已起草方案" in cards(await board())[5].cssselect(".note")[0].text_content()
            await bot.say("/add 新增的一项 | 董军 | 办公室 | 10月30日", user=bot.admin)
            assert 12 in cards(await board())
            question = (await bot.say("/delete 12", user=bot.admin))[0]
            await press(bot, question, button(question, "确认删除"), bot.admin)
            assert 12 not in cards(await board())
            # An /undo takes a report back (a history row more, the item's row as before).
            await bot.say("/undo", user=bot.admin)
            assert cards(await board())[5].cssselect("progress")[0].get("value") == "0"
            # A filtered page is its own page, and follows too.
            overdue = await board(web.url(token) + "?show=overdue")
            assert set(cards(overdue)) == {3}
            # The language, and the day (days left change at midnight with no row changed).
            await bot.say("/lang en", user=bot.admin)
            assert (await board()).get("lang") == "en"
        with office_time(2020, 10, 30):
            async with served(bot) as web, httpx.AsyncClient() as client:
                page = html.fromstring((await client.get(web.url(token))).text)
                assert "10 days overdue" in page.text_content()

                # Revoked by another instance: the row changed in the database, not here.
                secret = await _stored_secret(bot)
                async with bot.db.session() as session:
                    chat_id = (await get_chat(session, bot.group.id)).id
                    await reset_token(
                        session,
                        AccessKind.BOARD,
                        secret=secret,
                        now=datetime.now(UTC),
                        chat_id=chat_id,
                    )
                revoked = await client.get(web.url(token))
                assert revoked.status_code == 404 and revoked.text == "404"
                assert (await client.get(web.url(token))).status_code == 404


async def _stored_secret(bot) -> bytes:
    async with bot.db.session() as session:
        return await server_secret(session, None)
