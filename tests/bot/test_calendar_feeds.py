"""/calendar and GET /ics/<token>.ics end to end (issue 17): the real bot over the sandbox, its
tornado server over HTTP, on SQLite and PostgreSQL, in Chinese and English.

What a subscriber notices: the link /calendar gives opens a feed their calendar app reads
(parsed here with `icalendar`), an item marked done or a moved deadline shows at the next
refresh with the same event (UID) at a higher SEQUENCE, a client asking again with its ETag or
date gets 304, a reset link is dead (404, nothing said), and a person's feed holds their items
from every group they are bound in and nobody else's.
"""

from __future__ import annotations

import asyncio
import re
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

import httpx
from icalendar import Calendar

from bot.web.server import WebServer
from plans.summary import MonthReport
from storage.access_tokens import reset_token, server_secret
from storage.chats import get_chat
from storage.models import AccessKind
from storage.plans import current_plan
from storage.reports import month_report
from tests.support.chat import bind, join, joined, office_time, seed
from tests.support.harness import Harness, running_bot

PUBLIC = "https://plan.example.gov.cn"
_LINK = re.compile(re.escape(PUBLIC) + r"/ics/([A-Za-z0-9_-]+)\.ics")


@asynccontextmanager
async def _served(tmp_path, **config):
    with office_time(2020, 10, 15):
        async with running_bot(tmp_path, http={"public_url": PUBLIC}, **config) as bot:
            server = WebServer(bot.application)
            port = server.start("127.0.0.1", 0)
            try:
                async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
                    yield bot, client
            finally:
                await server.stop()


def _token(text: str) -> str:
    found = _LINK.search(text)
    assert found, text
    assert f"webcal://plan.example.gov.cn/ics/{found.group(1)}.ics" in text, text
    return found.group(1)


def _events(body: bytes) -> dict[str, object]:
    return {str(e["uid"]): e for e in Calendar.from_ical(body).walk("VEVENT")}


async def _report(bot: Harness, chat) -> MonthReport:
    svc = bot.application.bot_data.services
    async with bot.db.session() as session:
        row = await get_chat(session, chat.id)
        plan = await current_plan(session, row.id, svc.today())
        return await month_report(session, row, plan, svc.config.schedule.tz)


def _uids(report: MonthReport, keep) -> set[str]:
    return {
        f"planbot-{report.tg_chat_id}-item-{item.id}@planbot"
        for item in report.items
        if item.deadline is not None and keep(item)
    }


async def test_a_group_subscribes_and_its_calendar_follows_the_plan(tmp_path):
    async with _served(tmp_path) as (bot, client):
        await seed(bot)
        answer = joined(await bot.say("/calendar"))
        assert "日历订阅链接" in answer and "每小时更新" in answer, answer
        token = _token(answer)
        # A change less than a second old has no Last-Modified (a second change in the same
        # second would carry the same date): the import is older than that now.
        await asyncio.sleep(1.1)

        feed = await client.get(f"/ics/{token}.ics")
        assert feed.status_code == 200
        assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
        calendar = Calendar.from_ical(feed.content)
        assert str(calendar["x-wr-calname"]) == "荆州市总工会工作群工作计划"
        assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in feed.content
        report = await _report(bot, bot.group)
        events = _events(feed.content)
        assert set(events) == _uids(report, lambda item: True)
        first = next(i for i in report.items if i.seq == 1)
        uid = f"planbot-{report.tg_chat_id}-item-{first.id}@planbot"
        assert "完成情况：未完成" in str(events[uid]["description"])

        # The calendar app asks again: nothing changed, 304 and no body.
        etag, modified = feed.headers["etag"], feed.headers["last-modified"]
        again = await client.get(f"/ics/{token}.ics", headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == etag
        since = await client.get(f"/ics/{token}.ics", headers={"If-Modified-Since": modified})
        assert since.status_code == 304

        # Item 1 is done, and item 2's deadline moves: the same events, newer versions.
        assert "已完成" in joined(await bot.say("/done 1", user=bot.admin))
        second = next(i for i in report.items if i.seq == 2)
        await bot.say("/edit 2 时限 2020-11-20", user=bot.admin)
        changed = await client.get(f"/ics/{token}.ics", headers={"If-None-Match": etag})
        assert changed.status_code == 200 and changed.headers["etag"] != etag
        now = _events(changed.content)
        assert set(now) == set(events)
        assert str(now[uid]["summary"]).startswith("✅ 1.")
        assert int(now[uid]["sequence"]) > int(events[uid]["sequence"])
        moved = f"planbot-{report.tg_chat_id}-item-{second.id}@planbot"
        assert now[moved].decoded("dtstart").isoformat() == "2020-11-20"
        assert int(now[moved]["sequence"]) > int(events[moved]["sequence"])
        # A date before the change is no longer current either.
        old = format_datetime(parsedate_to_datetime(modified), usegmt=True)
        stale = await client.get(f"/ics/{token}.ics", headers={"If-Modified-Since": old})
        assert stale.status_code == 200

        # Only the group's admins reset its link; the old one then answers 404, nothing said.
        refused = joined(await bot.say("/calendar reset", user=bot.member))
        assert "只有本群管理员" in refused and PUBLIC not in refused
        assert (await client.get(f"/ics/{token}.ics")).status_code == 200
        renewed = joined(await bot.say("/calendar reset", user=bot.admin))
        assert "旧链接已作废" in renewed, renewed
        fresh = _token(renewed)
        assert fresh != token
        gone = await client.get(f"/ics/{token}.ics")
        never = await client.get(f"/ics/{'x' * 43}.ics")
        # The same bare answer as a token that never was: nothing tells them apart.
        assert gone.status_code == never.status_code == 404
        assert gone.content == never.content and b"BEGIN" not in gone.content
        assert (await client.get(f"/ics/{fresh}.ics")).status_code == 200
        # The same link again while it lives.
        assert _token(joined(await bot.say("/calendar"))) == fresh
        for bad in ("x" * 43, "../../etc/passwd", "%00", "a" * 150):
            assert (await client.get(f"/ics/{bad}.ics")).status_code == 404


async def test_a_person_and_a_department_in_english(tmp_path):
    async with _served(tmp_path) as (bot, client):
        await seed(bot)
        other = bot.sandbox.add_chat("supergroup", title="宣教网络部群")
        await seed(bot, other)
        await bot.say("/lang en", user=bot.admin)
        await bind(bot, "董军", bot.member)
        await bind(bot, "董军", bot.member, chat=other)
        # In the first group 张三 is also in 办公室, whose lead items are 董军's there too.
        await join(bot, "组织部", "董军", bot.member)

        private = bot.sandbox.private_chat(bot.member)
        answer = joined(await bot.say("/calendar", user=bot.member, chat=private))
        assert "the items you answer for" in answer, answer
        feed = await client.get(f"/ics/{_token(answer)}.ics")
        assert feed.status_code == 200
        events = _events(feed.content)
        first, second = await _report(bot, bot.group), await _report(bot, other)
        expected = _uids(
            first, lambda item: "董军" in item.leaders or "组织部" in item.departments
        ) | _uids(second, lambda item: "董军" in item.leaders)
        assert set(events) == expected
        assert {uid.split("-item-")[0] for uid in events} == {
            f"planbot-{first.tg_chat_id}",
            f"planbot-{second.tg_chat_id}",
        }
        # The admin, bound nowhere, is told how to bind; nobody's link is made.
        admin_private = bot.sandbox.private_chat(bot.admin)
        unbound = joined(await bot.say("/calendar", user=bot.admin, chat=admin_private))
        assert "/iam" in unbound and PUBLIC not in unbound

        answer = joined(await bot.say("/calendar 办公", user=bot.member))
        assert "Calendar link for the items of 办公室" in answer, answer
        assert "/calendar 办公室 reset" in answer
        feed = await client.get(f"/ics/{_token(answer)}.ics")
        calendar = Calendar.from_ical(feed.content)
        assert str(calendar["x-wr-calname"]) == "Work plan of 办公室"
        events = _events(feed.content)
        assert set(events) == _uids(first, lambda item: "办公室" in item.departments)
        assert all("Status: " in str(e["description"]) for e in events.values())

        nothing = joined(await bot.say("/calendar 不存在的部", user=bot.member))
        assert "has no department called" in nothing and "办公室" in nothing, nothing
        several = joined(await bot.say("/calendar 部", user=bot.member))
        assert "matches several departments" in several, several


async def test_without_a_public_address_it_says_what_to_set(tmp_path):
    async with running_bot(tmp_path) as bot:
        answer = joined(await bot.say("/calendar"))
        assert "public_url" in answer and "[http]" in answer, answer


async def test_a_link_revoked_by_another_instance_stops_at_once(tmp_path):
    """The server remembers which scope a link opened (bot/operations/opened_links.py) but asks
    the database whether it is still live in the statement it runs anyway: a reset made by
    another instance (here: straight in the database) is a 404 at the next request."""
    async with _served(tmp_path) as (bot, client):
        await seed(bot)
        token = _token(joined(await bot.say("/calendar")))
        first = await client.get(f"/ics/{token}.ics")
        assert first.status_code == 200
        etag = first.headers["etag"]
        assert (
            await client.get(f"/ics/{token}.ics", headers={"If-None-Match": etag})
        ).status_code == 304
        async with bot.db.session() as session:
            chat = await get_chat(session, bot.group.id)
            secret = await server_secret(session, None)
            await reset_token(
                session, AccessKind.ICS, secret=secret, now=datetime.now(UTC), chat_id=chat.id
            )
        for headers in ({"If-None-Match": etag}, {}):
            gone = await client.get(f"/ics/{token}.ics", headers=headers)
            assert gone.status_code == 404 and b"BEGIN" not in gone.content
