"""What every page opened by a link shares (the board; the calendar feeds and the Mini App use
it too): one rate limit per client address, and errors that say nothing.

A wrong or revoked token, a page of another group, a malformed address: all answer the same
bare 404, so a guess learns nothing about which tokens or items exist.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from types import TracebackType
from typing import Any

from tornado.web import RequestHandler

from bot.context import PlanbotApp
from bot.operations.opened_links import OpenedLinks
from bot.services import Services
from bot.web.ratelimit import RateLimiter

log = logging.getLogger(__name__)
# A token in a route: 43 characters of base64url; anything else is no token (a bare 404 from
# tornado).
TOKEN = r"([A-Za-z0-9_-]{16,128})"
# tornado's settings key of the server's limiter (one per server, shared by every page).
LIMITER = "public_rate_limiter"
# tornado's settings key of the scopes the server's links opened (bot/operations/opened_links.py).
LINKS = "public_opened_links"


class PublicPage(RequestHandler):
    def initialize(self, bot_application: PlanbotApp) -> None:
        self.bot_application = bot_application

    @property
    def svc(self) -> Services:
        return self.bot_application.bot_data.services

    @property
    def links(self) -> OpenedLinks:
        links: OpenedLinks = self.settings[LINKS]
        return links

    def prepare(self) -> None:
        limiter: RateLimiter = self.settings[LIMITER]
        if not limiter.allow(self.request.remote_ip or ""):
            self.send_error(HTTPStatus.TOO_MANY_REQUESTS)

    def set_default_headers(self) -> None:
        # The token is in the address: no referrer leaks it to another site, and nobody frames
        # the page. Scripts and styles only from planbot itself.
        self.set_header("Referrer-Policy", "no-referrer")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'",
        )

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(f"{status_code}")

    def not_found(self) -> None:
        self.send_error(HTTPStatus.NOT_FOUND)

    def log_exception(
        self,
        typ: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # tornado would log the request URI, which carries the token.
        log.error("public page failed: %s", type(value).__name__, exc_info=value)
