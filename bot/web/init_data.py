"""Who opened the Mini App: Telegram's `initData`, checked as the Bot API documentation says.

Telegram hands a Mini App `Telegram.WebApp.initData`, a query string (`query_id=…&user=…&
auth_date=…&hash=…`), in the page's URL fragment; our page posts it back. It is signed with
the bot's token ("Validating data received via the Mini App", core.telegram.org/bots/webapps):

    data_check_string = the received fields but `hash`, sorted by key, as "key=value" lines
    secret_key = HMAC_SHA256(key="WebAppData", msg=bot_token)
    hash = hex(HMAC_SHA256(key=secret_key, msg=data_check_string))

Every field but `hash` is signed, including ones this module does not read (`signature`,
`chat_instance`, …): leaving out a field it does not know would let anyone add one. The data
is also refused when older than a day (`auth_date`), so a link or a page left open does not
stay a key for ever. Pure: no I/O, the time is a parameter.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from urllib.parse import parse_qsl

MAX_AGE = timedelta(days=1)
# Telegram's clock and ours may disagree a little; data from further ahead was not made now.
CLOCK_SKEW = timedelta(minutes=5)
# Real initData is well under 2 KB (a user's JSON with a photo URL, a 64-character hash, an
# 86-character signature); anything far longer is not Telegram's and is not parsed at all.
MAX_LENGTH = 8192
_MAX_FIELDS = 32
# Telegram user ids are positive and below 2**52 (they fit a double); a BigInteger holds them.
_MAX_USER_ID = 2**63 - 1


class Rejection(StrEnum):
    """Why initData was refused (for the log; the page says only "open it from Telegram")."""

    MALFORMED = "malformed"
    NO_HASH = "no hash"
    BAD_HASH = "bad hash"
    NO_DATE = "no auth_date"
    EXPIRED = "expired"
    NO_USER = "no user"


@dataclass(frozen=True, slots=True)
class WebAppUser:
    """The Telegram user the signed data names."""

    id: int
    first_name: str
    last_name: str = ""
    username: str | None = None
    # The user's app language (IETF tag, e.g. "zh-hans", "en"), when Telegram sent it.
    language_code: str | None = None
    auth_date: datetime | None = None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


def secret_key(bot_token: str) -> bytes:
    return hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()


def data_check_string(fields: dict[str, str]) -> str:
    """The signed text: every field but `hash`, sorted by key, one "key=value" a line."""
    return "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash")


def expected_hash(fields: dict[str, str], bot_token: str) -> str:
    message = data_check_string(fields).encode()
    return hmac.new(secret_key(bot_token), message, hashlib.sha256).hexdigest()


def parse_fields(init_data: str) -> dict[str, str] | None:
    """The URL-decoded fields of initData; None when it is not a query string with each key
    once (a key sent twice would make "the" value ambiguous between signer and reader)."""
    if not init_data or len(init_data) > MAX_LENGTH:
        return None
    try:
        pairs = parse_qsl(
            init_data, keep_blank_values=True, strict_parsing=True, max_num_fields=_MAX_FIELDS
        )
    except ValueError:
        return None
    fields = dict(pairs)
    if len(fields) != len(pairs):
        return None
    return fields


def validate_init_data(
    init_data: str, bot_token: str, *, now: datetime, max_age: timedelta = MAX_AGE
) -> WebAppUser | Rejection:
    """The user `init_data` names when Telegram signed it for this bot within `max_age` of
    `now` (timezone-aware); otherwise why not. The hash is checked before anything in the
    data is believed, and compared in constant time."""
    fields = parse_fields(init_data)
    if fields is None:
        return Rejection.MALFORMED
    given = fields.get("hash")
    if not given:
        return Rejection.NO_HASH
    if not hmac.compare_digest(expected_hash(fields, bot_token).encode(), given.encode()):
        return Rejection.BAD_HASH
    signed_at = _auth_date(fields.get("auth_date"))
    if signed_at is None:
        return Rejection.NO_DATE
    if not now - max_age <= signed_at <= now + CLOCK_SKEW:
        return Rejection.EXPIRED
    user = _user(fields.get("user"), signed_at)
    return Rejection.NO_USER if user is None else user


def _auth_date(value: str | None) -> datetime | None:
    # Digits only: int() would also take " 12", "+12", "1_2" and "١٢"; ten of them reach
    # the year 2286, more would overflow datetime.
    if value is None or not value.isascii() or not value.isdigit() or len(value) > 10:
        return None
    return datetime.fromtimestamp(int(value), tz=UTC)


def _user(value: str | None, signed_at: datetime) -> WebAppUser | None:
    """The `user` object, its fields checked for type; None when it names no user."""
    if value is None:
        return None
    try:
        data = json.loads(value)
    except (ValueError, RecursionError):  # deeply nested arrays exhaust the parser's stack
        return None
    if not isinstance(data, dict):
        return None
    user_id = data.get("id")
    # bool is an int to Python; JSON's true is no user id.
    if not isinstance(user_id, int) or isinstance(user_id, bool):
        return None
    if not 0 < user_id <= _MAX_USER_ID:
        return None
    first = data.get("first_name", "")
    last = data.get("last_name", "")
    if not isinstance(first, str) or not isinstance(last, str):
        return None
    username = data.get("username")
    language = data.get("language_code")
    return WebAppUser(
        user_id,
        first,
        last,
        username if isinstance(username, str) else None,
        language if isinstance(language, str) else None,
        signed_at,
    )
