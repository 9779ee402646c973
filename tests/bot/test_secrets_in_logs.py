"""The webhook secret is written nowhere: not in a DEBUG log of a real `planbot run` in webhook
mode (PTB logs setWebhook's parameters there), not in /metrics, not in an exception text."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx

from bot.logs import redact, setup_logging
from bot.sandbox import Sandbox
from storage.migrate import upgrade_async
from tests.support.processes import TOKEN, start_instance, stop_all, wait_until

SECRET = "Hook-Secret_7f3a9c1e"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_webhook_mode_at_debug_never_logs_the_secret(tmp_path: Path) -> None:
    port = _free_port()
    url = f"sqlite:///{tmp_path / 'p.db'}"
    await upgrade_async(url)
    async with Sandbox(token=TOKEN) as sandbox:
        config = tmp_path / "planbot.toml"
        config.write_text(
            f'[telegram]\nbase_url = "{sandbox.base_url}"\nmode = "webhook"\n'
            f'[telegram.webhook]\nlisten = "127.0.0.1"\nport = {port}\nurl_path = "hook"\n'
            f'public_url = "http://127.0.0.1:{port}"\nsecret_token = "{SECRET}"\n'
            f'[database]\nurl = "{url}"\n',
            encoding="utf-8",
        )
        instance = await start_instance(config, "run", "--log-level", "DEBUG")
        try:
            await wait_until(lambda: sandbox.webhook is not None, [instance])
            assert sandbox.webhook is not None and sandbox.webhook.secret_token == SECRET
            group = sandbox.add_chat("supergroup", title="群")
            sandbox.send_text(group, sandbox.add_user("王五"), "/help")
            assert await sandbox.wait_for(1, chat=group, timeout=30)
            async with httpx.AsyncClient() as client:
                metrics = await client.get(f"http://127.0.0.1:{port}/metrics")
                forged = await client.post(
                    f"http://127.0.0.1:{port}/hook",
                    json={"update_id": 1},
                    headers={"X-Telegram-Bot-Api-Secret-Token": SECRET + "x"},
                )
        finally:
            await stop_all([instance])
    log = "".join(instance.lines)
    assert "setWebhook" in log, "the log is at DEBUG: it shows the calls and their parameters"
    assert metrics.status_code == 200 and SECRET not in metrics.text
    assert forged.status_code == 403
    assert SECRET not in log and TOKEN not in log


def test_an_exception_text_quoting_the_secret_is_redacted() -> None:
    import io
    import logging

    stream = io.StringIO()
    setup_logging(level="INFO", secrets=[TOKEN, SECRET], stream=stream)
    try:
        raise RuntimeError(f"setWebhook failed with secret_token={SECRET}")
    except RuntimeError:
        logging.getLogger("test").exception("it failed")
    finally:
        setup_logging(level="WARNING")
    assert SECRET not in stream.getvalue() and "it failed" in stream.getvalue()
    # Also where the config is not at hand (the command line's last word on an error).
    assert SECRET not in redact(f"cannot start: {SECRET}")
    # A secret token it was never told about, by where it stands.
    assert redact("{'secret_token': 'other-Secret_1'}") == "{'secret_token': '<secret>'}"
