"""A fake Telegram Bot API server for end-to-end tests and the console mode.

The unmodified PTB ``Application`` talks to it over real HTTP on 127.0.0.1::

    async with Sandbox() as sb:
        app = (
            ApplicationBuilder()
            .token(sb.token)
            .base_url(sb.base_url)
            .base_file_url(sb.base_file_url)
            .build()
        )
        alice = sb.add_user("Alice")
        sb.send_text(sb.private_chat(alice), alice, "/start")
        ...
        await sb.wait_for(1)
"""

from .api import Upload
from .core import Sandbox
from .limits import FaultKind, Window
from .markup import EntityParseError, parse_html, utf16_len
from .models import (
    ApiError,
    Call,
    CallbackAnswer,
    Chat,
    Edit,
    Message,
    MessageVersion,
    Stats,
    StoredFile,
    User,
)
from .webhook import WebhookDelivery, WebhookTarget

__all__ = [
    "ApiError",
    "Call",
    "CallbackAnswer",
    "Chat",
    "Edit",
    "EntityParseError",
    "FaultKind",
    "Message",
    "MessageVersion",
    "Sandbox",
    "Stats",
    "StoredFile",
    "Upload",
    "User",
    "WebhookDelivery",
    "WebhookTarget",
    "Window",
    "parse_html",
    "utf16_len",
]
