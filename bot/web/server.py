"""planbot's HTTP server: the Telegram webhook, /healthz, /metrics and the web board.

One tornado server (the library PTB's own webhook server is built on) so that webhook mode
serves health and metrics on the same port; in polling mode it runs only when [http] port is
set. The webhook handler does what PTB's does — check the secret header, decode the update,
put it on the Application's queue — and answers 403 to a request without the right secret.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
from http import HTTPStatus
from types import TracebackType
from typing import Any

from telegram import Update
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application as TornadoApp
from tornado.web import RequestHandler, StaticFileHandler

from bot.context import PlanbotApp
from bot.operations.feeds import FeedBodies
from bot.operations.opened_links import OpenedLinks
from bot.services import Services
from bot.web import board, ics_feed
from bot.web.board import STATIC, BoardItemPage, BoardPage, BoardPages
from bot.web.metrics import RecentOutbox, prometheus_text
from bot.web.mini_app import (
    BOARD_ROUTE,
    ITEM_ROUTE,
    START_ROUTE,
    AppBoard,
    AppItem,
    AppShell,
    AppStart,
)
from bot.web.public import LIMITER, LINKS, TOKEN
from bot.web.ratelimit import RateLimiter
from storage.outbox_stats import database_answers, outbox_stats

log = logging.getLogger(__name__)
access_log = logging.getLogger("tornado.access")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# The largest request body the server reads (tornado's default is 100 MB, held in memory, for
# every POST). Telegram's largest updates stay well under 100 KiB even escaped as JSON (a CJK
# character as \uXXXX, an emoji as two): a 4,096-character text with its entities, the
# message it replies to and a quote; the Mini App's POST /app/board carries initData, under
# 4 KiB. A larger body is refused (tornado answers 400 and closes the connection) before it is
# read, so a stranger cannot make the bot hold 100 MB per connection.
MAX_BODY_SIZE = 1024 * 1024


async def healthy(svc: Services) -> tuple[bool, dict[str, str]]:
    """Database reachable and scheduler running: what a load balancer needs to know."""
    checks: dict[str, str] = {}
    try:
        # A read-only session: on SQLite it does not wait for the write lock, so a long
        # re-plan or another writer does not make a healthy bot look down.
        async with svc.db.reading() as session:
            checks["database"] = "ok" if await database_answers(session) else "no answer"
    except Exception as error:  # any failure to talk to the database is "unhealthy"
        checks["database"] = f"{type(error).__name__}"
    checks["scheduler"] = scheduler_state(svc)
    return all(v in _FINE for v in checks.values()), checks


_FINE = ("ok", "off")


def scheduler_state(svc: Services) -> str:
    if not svc.config.reminders.scheduler:
        # A cron deployment (`planbot remind`) has no scheduler to be healthy or not.
        return "off"
    return "ok" if svc.scheduler_running() else "stopped"


# Scraped every few seconds: at INFO they would be most of the log.
_QUIET_PATHS = frozenset({"/healthz", "/metrics"})


# A token in a page's address (/board/<token>…, /ics/<token>.ics) or the Mini App's pass
# (/app/<pass>/…, which stands for a person for a day): the access log must not make it a
# credential anyone reading the logs holds.
_TOKEN_IN_PATH = re.compile(r"^(/board/|/ics/|/app/)(?!static/|board$)[^/]+")


def loggable_path(path: str) -> str:
    return _TOKEN_IN_PATH.sub(r"\1…", path)


def log_request(handler: RequestHandler) -> None:
    """tornado's access line, at DEBUG for a health check or a scrape that went well."""
    status = handler.get_status()
    if status >= 500:
        level = logging.ERROR
    elif status >= 400:
        level = logging.WARNING
    elif handler.request.path in _QUIET_PATHS:
        level = logging.DEBUG
    else:
        level = logging.INFO
    access_log.log(
        level,
        "%d %s %s %.1f ms",
        status,
        handler.request.method,
        loggable_path(handler.request.path),
        1000.0 * handler.request.request_time(),
    )


class _Base(RequestHandler):
    def initialize(self, bot_application: PlanbotApp, secret: str = "") -> None:
        self.bot_application = bot_application
        # The webhook's secret token (the other handlers have none).
        self.secret = secret

    @property
    def svc(self) -> Services:
        return self.bot_application.bot_data.services

    def log_exception(
        self,
        typ: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # tornado would log the request URI; ours never carry the token, but keep it terse.
        log.error("HTTP handler failed: %s", value, exc_info=value)


class WebhookHandler(_Base):
    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            self.set_status(HTTPStatus.FORBIDDEN)
            self.finish("forbidden")
            return
        try:
            data = json.loads(self.request.body)
            update = Update.de_json(data, self.bot_application.bot)
        except (ValueError, TypeError, KeyError):
            self.set_status(HTTPStatus.BAD_REQUEST)
            self.finish("bad update")
            return
        await self.bot_application.update_queue.put(update)
        self.set_status(HTTPStatus.OK)
        self.finish()


class HealthHandler(_Base):
    async def get(self) -> None:
        ok, checks = await healthy(self.svc)
        self.set_status(HTTPStatus.OK if ok else HTTPStatus.SERVICE_UNAVAILABLE)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"status": "ok" if ok else "unhealthy", **checks}))


class MetricsHandler(_Base):
    @property
    def recent(self) -> RecentOutbox:
        """The server's (one per server, kept between requests: tornado's settings)."""
        recent: RecentOutbox = self.settings["recent_outbox"]
        return recent

    async def get(self) -> None:
        svc = self.svc
        now = svc.now()
        stats = self.recent.fresh(now)
        if stats is None:
            # One read-only transaction; that it answered is the health check's "database
            # answers" (a database that does not answer fails the scrape, as it always did).
            async with svc.db.reading() as session:
                stats = await outbox_stats(session, now)
            self.recent.keep(now, stats)
        self.set_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        self.finish(
            prometheus_text(
                updates_handled=svc.updates.handled,
                counters=svc.counters,
                outbox=stats,
                up=scheduler_state(svc) in _FINE,
            )
        )


class WebServer:
    def __init__(
        self, application: PlanbotApp, *, webhook_path: str | None = None, secret: str = ""
    ) -> None:
        app = {"bot_application": application}
        routes: list[tuple[str, type[RequestHandler], dict[str, Any]]] = [
            (r"/healthz", HealthHandler, app),
            (r"/metrics", MetricsHandler, app),
            # The board's stylesheet and script, before the token route that would take
            # "static" for a token.
            (r"/board/static/(.*)", StaticFileHandler, {"path": str(STATIC)}),
            (rf"/board/{TOKEN}", BoardPage, app),
            (rf"/board/{TOKEN}/item/([0-9]{{1,12}})", BoardItemPage, app),
            (ics_feed.ROUTE, ics_feed.IcsFeedHandler, app),
            # The board as a Telegram Mini App (bot/web/mini_app.py).
            (r"/app", AppShell, app),
            (START_ROUTE, AppStart, app),
            (BOARD_ROUTE, AppBoard, app),
            (ITEM_ROUTE, AppItem, app),
        ]
        if webhook_path is not None:
            path = "/" + webhook_path.strip("/")
            routes.append(
                (path, WebhookHandler, {"bot_application": application, "secret": secret})
            )
        # The reminder figures of the last scrape (bot/web/metrics.py:FRESH_FOR).
        self.recent_outbox = RecentOutbox()
        # Requests per client address to the pages opened by a link (bot/web/public.py).
        self.rate_limiter = RateLimiter()
        self._app = TornadoApp(
            routes,
            log_function=log_request,
            recent_outbox=self.recent_outbox,
        )
        self._app.settings[LIMITER] = self.rate_limiter
        # The scopes links opened, and the board's pages by version (bot/operations/kept.py).
        self.opened_links = OpenedLinks()
        self._app.settings[LINKS] = self.opened_links
        self.board_pages = BoardPages()
        self._app.settings[board.PAGES] = self.board_pages
        # The calendar feeds built last, by ETag (bot/web/ics_feed.py).
        self.feed_bodies = FeedBodies()
        self._app.settings[ics_feed.BODIES] = self.feed_bodies
        self._server: HTTPServer | None = None
        self.port = 0

    def start(self, listen: str, port: int) -> int:
        sockets = bind_sockets(port, address=listen)
        self._server = HTTPServer(self._app, xheaders=True, max_body_size=MAX_BODY_SIZE)
        self._server.add_sockets(sockets)
        self.port = sockets[0].getsockname()[1]
        return self.port

    async def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()
            self._server = None
