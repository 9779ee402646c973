"""Webhook mode end to end: the sandbox POSTs updates to planbot's own server."""

import json
import re
import socket
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.app import build_application, webhook
from bot.config import parse_config
from bot.sandbox import Sandbox
from bot.web.server import MAX_BODY_SIZE, SECRET_HEADER
from storage.db import Database
from storage.migrate import upgrade_async

SECRET = "s3cret-Token_1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
async def hooked(database_url: str):
    port = _free_port()
    async with Sandbox() as sandbox:
        url = database_url
        await upgrade_async(url)
        config = parse_config(
            {
                "telegram": {
                    "token": sandbox.token,
                    "base_url": sandbox.base_url,
                    "base_file_url": sandbox.base_file_url,
                    "mode": "webhook",
                    "webhook": {
                        "listen": "127.0.0.1",
                        "port": port,
                        "url_path": "hook/abc",
                        "public_url": f"http://127.0.0.1:{port}",
                        "secret_token": SECRET,
                    },
                },
                "database": {"url": url},
            },
            source="test",
            env={},
        )
        application = build_application(config, db=Database.from_url(url))
        async with webhook(application, config) as server:
            yield sandbox, application, f"http://127.0.0.1:{server.port}"


async def test_the_webhook_is_registered_with_its_secret_and_updates_arrive(hooked):
    sandbox, _, base = hooked
    assert sandbox.webhook is not None
    assert sandbox.webhook.url == f"{base}/hook/abc"
    assert sandbox.webhook.secret_token == SECRET
    user = sandbox.add_user("王五")
    group = sandbox.add_chat("supergroup", title="群")
    sandbox.send_text(group, user, "/help")
    replies = await sandbox.wait_for(1, chat=group)
    assert "/plan — 查看某月计划" in replies[0].text
    assert {d.status for d in sandbox.webhook_deliveries} == {200}


async def test_a_request_without_the_secret_is_refused_and_not_processed(hooked):
    sandbox, application, base = hooked
    user = sandbox.add_user("赵六")
    group = sandbox.add_chat("supergroup", title="群")
    forged = {
        "update_id": 999,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": group.id, "type": "supergroup", "title": "群"},
            "from": {"id": user.id, "is_bot": False, "first_name": "赵六"},
            "text": "/help",
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        },
    }
    async with httpx.AsyncClient() as client:
        missing = await client.post(f"{base}/hook/abc", json=forged)
        wrong = await client.post(
            f"{base}/hook/abc", json=forged, headers={"X-Telegram-Bot-Api-Secret-Token": "nope"}
        )
    assert missing.status_code == 403 and wrong.status_code == 403
    assert application.update_queue.empty()
    assert sandbox.sent(group) == []


async def test_polling_is_refused_while_a_webhook_is_set(hooked):
    from telegram.error import Conflict

    _, application, _ = hooked
    with pytest.raises(Conflict):
        await application.bot.get_updates(timeout=0)


def _message(message_id: int, chat_id: int, text: str, **more: object) -> dict[str, object]:
    """A group message as Telegram would POST it in an update."""
    return {
        "message_id": message_id,
        "date": 0,
        "chat": {"id": chat_id, "type": "supergroup", "title": "群"},
        "from": {"id": 7, "is_bot": False, "first_name": "钱七"},
        "text": text,
        **more,
    }


async def _refused(
    client: httpx.AsyncClient,
    url: str,
    content: bytes | AsyncIterator[bytes],
    headers: dict[str, str] | None = None,
) -> None:
    """The server turns the body away before reading it: 400 (tornado's answer to a body over
    its limit) or 413, or it closes the connection while the client is still sending."""
    try:
        answer = await client.post(url, content=content, headers=headers)
    except (httpx.RemoteProtocolError, httpx.WriteError, httpx.ReadError):
        return
    assert answer.status_code in (400, 413), answer.status_code


async def test_a_body_over_the_limit_is_refused_and_the_server_stays_up(hooked):
    sandbox, application, base = hooked
    group = sandbox.add_chat("supergroup", title="群")
    hook, secret = f"{base}/hook/abc", {SECRET_HEADER: SECRET}
    # Telegram's longest text (4,096 UTF-16 units: 2,048 emoji), replying to another such
    # message, escaped as JSON (each emoji as two \uXXXX): far below the limit, and delivered.
    text = "😀" * 2048
    replied = _message(1, group.id, text)
    longest = {"update_id": 2, "message": _message(2, group.id, text, reply_to_message=replied)}
    async with httpx.AsyncClient(timeout=30) as client:
        body = json.dumps(longest).encode()
        assert len(body) < MAX_BODY_SIZE // 10
        fits = await client.post(hook, content=body, headers=secret)
        assert fits.status_code == 200
        await application.update_queue.join()

        padding = " " * MAX_BODY_SIZE
        oversized = (f'{{"update_id": 3, "pad": "{padding}"}}').encode()
        await _refused(client, hook, content=oversized, headers=secret)

        # Without a Content-Length (chunked), the limit holds as the chunks arrive.
        async def chunks():
            for _ in range(4):
                yield b" " * (MAX_BODY_SIZE // 2)

        await _refused(client, hook, content=chunks(), headers=secret)
        # The Mini App's start, the other POST.
        await _refused(client, f"{base}/app/board", content=oversized)

        health = await client.get(f"{base}/healthz")
        assert health.status_code == 200, health.text
    assert application.update_queue.empty()
    user = sandbox.add_user("孙八")
    sandbox.send_text(group, user, "/help")
    replies = await sandbox.wait_for(1, chat=group)
    assert "/plan — 查看某月计划" in replies[0].text


async def test_without_an_http_address_the_board_is_linked_at_the_webhooks_and_served_there(
    hooked,
):
    """`[http] public_url` unset: /board links to the webhook's public_url, and the webhook's
    own server opens the link (a local address, so the link comes as text, no button)."""
    sandbox, application, base = hooked
    assert application.bot_data.services.config.http.public_url == base
    chief = sandbox.add_user("主任")
    group = sandbox.add_chat("supergroup", title="群")
    sandbox.set_admin(group, chief)
    sandbox.send_text(group, chief, "/board")
    [answer] = await sandbox.wait_for(1, chat=group)
    found = re.search(re.escape(base) + r"/board/([A-Za-z0-9_-]+)", answer.text or "")
    assert found is not None, answer.text
    assert answer.buttons == []
    async with httpx.AsyncClient() as client:
        page = await client.get(found.group(0))
        wrong = await client.get(f"{base}/board/{'x' * len(found.group(1))}")
    assert page.status_code == 200 and "群" in page.text
    assert wrong.status_code == 404
