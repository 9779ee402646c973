"""What Telegram gives a Mini App it opens: `initData` signed with the bot's token.

The sandbox plays Telegram here, so the recipe is written out on its own, from the Bot API
documentation ("Validating data received via the Mini App"), rather than borrowed from
bot/web/init_data.py: a test where both sides share one implementation could not catch it
being wrong.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from urllib.parse import quote, urlencode

from .models import User


def signed_init_data(
    bot_token: str, user: User, *, auth_date: int | None = None, language_code: str | None = None
) -> str:
    """`Telegram.WebApp.initData` of `user` opening the bot's Mini App from the menu button or
    a web_app button in the private chat: query_id, user, auth_date, signature and hash."""
    person: dict[str, object] = {"id": user.id, "first_name": user.first_name}
    if user.last_name is not None:
        person["last_name"] = user.last_name
    if user.username is not None:
        person["username"] = user.username
    # The app's language: the user's own unless the test names another.
    language = language_code or user.language_code
    if language is not None:
        person["language_code"] = language
    fields = {
        "query_id": "AAH" + secrets.token_urlsafe(18),
        "user": json.dumps(person, ensure_ascii=False, separators=(",", ":")),
        "auth_date": str(int(time.time()) if auth_date is None else auth_date),
        # Telegram's Ed25519 signature for third parties; the sandbox has no such key, but
        # the field is there (and signed by `hash`) as in Telegram's data.
        "signature": secrets.token_urlsafe(64),
    }
    check = "\n".join(f"{key}={fields[key]}" for key in sorted(fields))
    key = hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(key, check.encode(), hashlib.sha256).hexdigest()
    return urlencode(fields, quote_via=quote)


def launch_fragment(init_data: str) -> str:
    """The URL fragment Telegram opens the Mini App's page with (`#tgWebAppData=…`)."""
    params = {"tgWebAppData": init_data, "tgWebAppVersion": "8.0", "tgWebAppPlatform": "web"}
    return "#" + urlencode(params, quote_via=quote)
