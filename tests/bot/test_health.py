"""/healthz and /metrics of a running bot, scraped over HTTP and parsed."""

import logging
from datetime import UTC, datetime

import httpx
import pytest
import time_machine
from sqlalchemy.exc import OperationalError

from bot.delivery.reminders import stop_reminders
from bot.i18n import t
from bot.web.server import WebServer
from plans.sample import sample_text
from tests.support.databases import sqlite_write_lock
from tests.support.harness import running_bot
from tests.support.transactions import counted


def _metrics(text: str) -> dict[str, float]:
    values = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            values[name] = float(value)
    return values


async def test_health_and_metrics_follow_the_bot(tmp_path):
    async with running_bot(tmp_path) as bot:
        server = WebServer(bot.application)
        port = server.start("127.0.0.1", 0)
        base = f"http://127.0.0.1:{port}"
        try:
            preview = await bot.say("/import " + sample_text(), user=bot.admin)
            bot.sandbox.press_button(
                preview[-1], bot.admin, preview[-1].buttons[0]["callback_data"]
            )
            bot.pushed += 1
            await bot.settle()
            async with httpx.AsyncClient() as client:
                health = await client.get(f"{base}/healthz")
                metrics = await client.get(f"{base}/metrics")
                assert health.status_code == 200
                assert health.json() == {"status": "ok", "database": "ok", "scheduler": "ok"}
                assert metrics.headers["content-type"].startswith("text/plain")
                values = _metrics(metrics.text)
                assert values["planbot_up"] == 1
                assert values["planbot_updates_handled_total"] == bot.updates.handled >= 2
                assert values["planbot_command_errors_total"] == 0
                # The sample's reminders lie ahead: none came due in the last day, none late.
                day = {k: v for k, v in values.items() if k.startswith("planbot_reminders_last_")}
                assert set(day) == {
                    f'planbot_reminders_last_day{{state="{s}"}}'
                    for s in ("pending", "claimed", "sent", "failed", "cancelled")
                }
                assert values['planbot_reminders_due{state="pending"}'] == 0
                assert values['planbot_reminders_due{state="claimed"}'] == 0
                assert "planbot_oldest_pending_reminder_age_seconds" in values

                # The database goes away: unhealthy, and a load balancer stops sending traffic.
                await bot.application.bot_data.services.db.engine.dispose()
                svc = bot.application.bot_data.services
                broken = svc.db.engine.url.set(database=str(tmp_path / "no" / "such.db"))
                from storage.db import Database

                good = svc.db
                svc.db = Database.from_url(broken)
                try:
                    down = await client.get(f"{base}/healthz")
                    assert down.status_code == 503 and down.json()["database"] != "ok"
                finally:
                    await svc.db.close()
                    svc.db = good
                assert (await client.get(f"{base}/healthz")).status_code == 200

                # The reminder scheduler stops: reminders would silently not go out.
                await stop_reminders(bot.application)
                down = await client.get(f"{base}/healthz")
                assert down.status_code == 503 and down.json()["scheduler"] != "ok"
        finally:
            await server.stop()


@pytest.mark.sqlite_only("SQLite's write lock, held by another process")
async def test_a_locked_database_leaves_health_and_metrics_answering_and_asks_to_retry(tmp_path):
    """Another writer holds SQLite's write lock longer than the busy timeout: /healthz and
    /metrics still answer (they only read), and a command that must write is told the database
    is busy and to send it again — not that something went wrong — and works once it is free."""
    async with running_bot(tmp_path) as bot:
        server = WebServer(bot.application)
        port = server.start("127.0.0.1", 0)
        base = f"http://127.0.0.1:{port}"
        bot.expect_errors(OperationalError)
        try:
            async with httpx.AsyncClient(timeout=30) as client:
                async with sqlite_write_lock(str(bot.db.url)):
                    health = await client.get(f"{base}/healthz")
                    metrics = await client.get(f"{base}/metrics")
                    # The command waits out the busy timeout (perhaps twice) before it gives up.
                    bot.sandbox.send_text(bot.group, bot.admin, "/import " + sample_text())
                    bot.pushed += 1
                    await bot.settle(timeout=60)
                during = bot.sandbox.sent(bot.group)
                assert health.status_code == 200, health.text
                assert metrics.status_code == 200, metrics.text
                assert _metrics(metrics.text)["planbot_up"] == 1
                assert [m.text for m in during] == [t("zh_CN", "error.busy")]

                after = await bot.say("/import " + sample_text(), user=bot.admin)
                assert after[-1].buttons, "the import preview, with its buttons"
        finally:
            await server.stop()


async def test_a_scrape_is_one_read_and_the_scrapes_of_the_next_second_share_it(tmp_path):
    """A scrape reads the reminder figures in one read-only transaction; scrapes within the
    second after it (two Prometheus servers, a dashboard) answer the same figures without
    reading; a scrape after that reads again."""
    # The clock stands still between the scrapes; the reminder scheduler (off) would not.
    with time_machine.travel(datetime(2020, 10, 20, 2, 0, tzinfo=UTC), tick=False) as clock:
        async with running_bot(tmp_path, reminders={"scheduler": False}) as bot:
            server = WebServer(bot.application)
            port = server.start("127.0.0.1", 0)
            url = f"http://127.0.0.1:{port}/metrics"
            try:
                async with httpx.AsyncClient(timeout=30) as client:
                    with counted(bot.db.engine) as first:
                        one = await client.get(url)
                    clock.shift(0.9)
                    with counted(bot.db.engine) as second:
                        two = await client.get(url)
                    clock.shift(0.2)
                    with counted(bot.db.engine) as third:
                        three = await client.get(url)
            finally:
                await server.stop()
    assert [one.status_code, two.status_code, three.status_code] == [200] * 3
    assert (first.transactions, second.transactions, third.transactions) == (1, 0, 1)
    assert two.text == one.text
    assert _metrics(three.text)["planbot_up"] == 1


@pytest.mark.sqlite_only("what is logged, not where it is stored")
async def test_a_scrape_or_health_check_is_logged_only_at_debug(tmp_path, caplog):
    """Monitoring asks every few seconds: at INFO its lines would be most of the log."""
    async with running_bot(tmp_path) as bot:
        server = WebServer(bot.application)
        port = server.start("127.0.0.1", 0)
        try:
            caplog.set_level(logging.DEBUG, logger="tornado.access")
            async with httpx.AsyncClient(timeout=30) as client:
                for path in ("/metrics", "/healthz", "/no-such-page"):
                    await client.get(f"http://127.0.0.1:{port}{path}")
        finally:
            await server.stop()
    levels = {
        record.getMessage().split(" ")[2]: record.levelname
        for record in caplog.records
        if record.name == "tornado.access"
    }
    assert levels == {"/metrics": "DEBUG", "/healthz": "DEBUG", "/no-such-page": "WARNING"}
