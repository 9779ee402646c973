"""The floor of the web benchmarks (bench_board.py, bench_feed.py): a bare tornado handler on
the same event loop answering the same bytes — or 304 to a request carrying its ETag — timed
with the same client, so the difference to planbot's figure is planbot's own work."""

from __future__ import annotations

import time

import httpx
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application as TornadoApp
from tornado.web import RequestHandler

ETAG = '"floor"'


class _Floor(RequestHandler):
    def initialize(self, body: bytes, content_type: str) -> None:
        self.body = body
        self.content_type = content_type

    def get(self) -> None:
        self.set_header("ETag", ETAG)
        if self.request.headers.get("If-None-Match") == ETAG:
            self.set_status(304)
            self.finish()
            return
        self.set_header("Content-Type", self.content_type)
        self.finish(self.body)


async def floor_timings(
    body: bytes, content_type: str, requests: int, *, not_modified: bool = False
) -> list[float]:
    """Seconds per request of `requests` GETs (after 5 to warm up) of the floor serving `body`;
    `not_modified`: each carrying the ETag, answered 304."""
    server = HTTPServer(TornadoApp([(r"/", _Floor, {"body": body, "content_type": content_type})]))
    sockets = bind_sockets(0, address="127.0.0.1")
    server.add_sockets(sockets)
    headers = {"If-None-Match": ETAG} if not_modified else {}
    timings: list[float] = []
    try:
        url = f"http://127.0.0.1:{sockets[0].getsockname()[1]}/"
        async with httpx.AsyncClient(timeout=60) as client:
            for n in range(requests + 5):
                started = time.perf_counter()
                answer = await client.get(url, headers=headers)
                if n >= 5:
                    timings.append(time.perf_counter() - started)
                assert answer.status_code == (304 if not_modified else 200)
    finally:
        server.stop()
    return timings
