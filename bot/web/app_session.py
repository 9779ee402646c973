"""The Mini App's pages after Telegram's initData was checked: a short signed pass in the
address, `/app/<pass>/<group>`, so the board's links (month, grouping, filters, an item's
history) stay plain GET links as on `/board/<token>`.

The pass is `<tg user id>.<expires>.<mac>`: the MAC (HMAC-SHA256, 128 bits kept) is keyed
with a key derived from the bot token, which only this server and Telegram hold, and it
expires when the initData it came from would (a day after Telegram signed it): a pass never
outlives the proof it stands for. Nothing is stored. Like the board's token it is a
credential in a URL, so the access log leaves it out (bot/web/server.py). Pure.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from datetime import UTC, datetime

# User id, expiry (Unix seconds), 22 characters of base64url MAC.
PASS = r"([0-9]{1,20}\.[0-9]{1,12}\.[A-Za-z0-9_-]{22})"
_PASS = re.compile(PASS)


def pass_key(bot_token: str) -> bytes:
    """The key passes are signed with: the bot token's, for this one purpose (a pass is no
    initData hash, nor the other way round)."""
    return hmac.new(b"planbot mini app pass", bot_token.encode(), hashlib.sha256).digest()


def _mac(key: bytes, user_id: int, expires: int) -> str:
    digest = hmac.new(key, f"{user_id}.{expires}".encode(), hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def issue_pass(key: bytes, user_id: int, expires: datetime) -> str:
    stamp = int(expires.timestamp())
    return f"{user_id}.{stamp}.{_mac(key, user_id, stamp)}"


def read_pass(key: bytes, text: str, *, now: datetime) -> int | None:
    """The Telegram user id a pass was issued to; None when forged, changed or expired."""
    if not _PASS.fullmatch(text):
        return None
    user, stamp, mac = text.split(".")
    user_id, expires = int(user), int(stamp)
    if not hmac.compare_digest(_mac(key, user_id, expires).encode(), mac.encode()):
        return None
    if datetime.fromtimestamp(expires, tz=UTC) <= now:
        return None
    return user_id
