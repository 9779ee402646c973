"""The HTTP face of the sandbox: tornado handlers speaking the Bot API's wire format."""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

import tornado.web
from tornado.iostream import StreamClosedError

from .api import Params, RequestContext, Upload
from .models import ApiError, JSONDict, bad_request

if TYPE_CHECKING:
    from .core import Sandbox

log = logging.getLogger("bot.sandbox")


def _error(code: int, description: str) -> JSONDict:
    return {"ok": False, "error_code": code, "description": description}


class _BaseHandler(tornado.web.RequestHandler):
    sb: Sandbox

    def initialize(self, sandbox: Sandbox) -> None:
        self.sb = sandbox
        self.ctx = RequestContext()

    def on_connection_close(self) -> None:
        # Wake a long poll or hang whose client gave up, so it stops holding resources.
        self.ctx.closed = True
        self.sb._notify()

    async def answer(self, status: int, body: JSONDict | bytes, content_type: str) -> None:
        self.sb._count_status(status)
        self.set_status(status)
        self.set_header("Content-Type", content_type)
        self.write(body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False))
        try:
            await self.finish()
        except StreamClosedError:
            pass  # the client gave up (timeout, cancelled long poll): nobody to answer

    async def answer_json(self, status: int, body: JSONDict) -> None:
        await self.answer(status, body, "application/json")

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        # Tornado's own rejections (unparseable body, unsupported HTTP verb) also come out as
        # Bot API JSON rather than an HTML page with a traceback.
        self.sb._count_status(status_code)
        self.set_header("Content-Type", "application/json")
        if status_code == 400:
            description = "Bad Request: invalid request body"
        else:
            description = self._reason
        self.finish(json.dumps(_error(status_code, description)))

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        # The default includes the request URI, i.e. the bot token.
        log.warning(
            "sandbox: %s %s failed: %s",
            self.request.method,
            self.sb._redact(self.request.path),
            value,
        )


class ApiHandler(_BaseHandler):
    """``/bot<token>/<method>``: GET or POST, form, multipart or JSON parameters."""

    async def get(self, token: str, method: str) -> None:
        self.sb._inflight += 1
        try:
            status, body = await self._serve(token, method)
            await self.answer_json(status, body)
        finally:
            self.sb._inflight -= 1
            self.sb._notify()

    post = get

    async def _serve(self, token: str, method: str) -> tuple[int, JSONDict]:
        if token != self.sb.token:
            return 401, _error(401, "Unauthorized")
        entry = self.sb._api.lookup(method)
        if entry is None:
            return 404, _error(404, "Not Found: method not found")
        try:
            params = self._params()
        except ApiError as exc:
            return exc.code, exc.to_api()
        except Exception as exc:  # whatever the body was, the client gets JSON, not a trace
            log.debug("sandbox: unreadable request body: %r", exc)
            return 400, _error(400, "Bad Request: invalid request body")
        return await self.sb._dispatch(entry, params, self.ctx)

    def _params(self) -> Params:
        values: dict[str, Any] = {}
        for name, items in self.request.query_arguments.items():
            values[name] = _text(items[-1])
        content_type = self.request.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type == "application/json":
            if self.request.body.strip():
                try:
                    data = json.loads(self.request.body)
                except ValueError:
                    raise bad_request("can't parse JSON request body") from None
                if not isinstance(data, dict):
                    raise bad_request("JSON request body must be an object")
                values.update(data)
        else:
            for name, items in self.request.body_arguments.items():
                values[name] = _text(items[-1])
        files = {
            name: Upload(parts[-1].filename or None, parts[-1].body, parts[-1].content_type)
            for name, parts in self.request.files.items()
            if parts
        }
        return Params(values, files)


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise bad_request("strings must be encoded in UTF-8") from None


class FileHandler(_BaseHandler):
    """``/file/bot<token>/<file_path>``: downloads, as getFile's file_path promises."""

    async def get(self, token: str, path: str) -> None:
        if token != self.sb.token:
            await self.answer_json(401, _error(401, "Unauthorized"))
            return
        stored = self.sb._file_by_path(path)
        if stored is None:
            await self.answer_json(404, _error(404, "Not Found"))
            return
        await self.answer(200, stored.content, stored.mime_type or "application/octet-stream")


class NotFoundHandler(_BaseHandler):
    async def get(self, *args: str) -> None:
        await self.answer_json(404, _error(404, "Not Found"))

    post = get


def make_app(sandbox: Sandbox) -> tornado.web.Application:
    def log_request(handler: tornado.web.RequestHandler) -> None:
        log.debug(
            "sandbox: %d %s %s %.1fms",
            handler.get_status(),
            handler.request.method,
            sandbox._redact(handler.request.path),
            1000.0 * handler.request.request_time(),
        )

    args = {"sandbox": sandbox}
    return tornado.web.Application(
        [
            (r"/bot([^/]*)/([^/]*)", ApiHandler, args),
            (r"/file/bot([^/]*)/(.+)", FileHandler, args),
        ],
        default_handler_class=NotFoundHandler,
        default_handler_args=args,
        log_function=log_request,
    )
