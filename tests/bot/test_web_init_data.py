"""The Mini App's initData check (bot/web/init_data.py) against data signed as the Bot API
documentation describes it, written out here independently of the module under test."""

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlencode

import pytest

from bot.web.init_data import MAX_LENGTH, Rejection, WebAppUser, validate_init_data

TOKEN = "123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
NOW = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)
USER = {
    "id": 4242,
    "first_name": "张",
    "last_name": "三",
    "username": "zhang3",
    "language_code": "zh-hans",
}


def signed(fields: dict[str, str], token: str = TOKEN) -> str:
    """initData as Telegram makes it: the docs' recipe, step by step."""
    check = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
    secret = hmac.new(key=b"WebAppData", msg=token.encode(), digestmod=hashlib.sha256).digest()
    digest = hmac.new(key=secret, msg=check.encode(), digestmod=hashlib.sha256).hexdigest()
    return urlencode({**fields, "hash": digest}, quote_via=quote)


def fields(**changes: str) -> dict[str, str]:
    base = {
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "user": json.dumps(USER, ensure_ascii=False, separators=(",", ":")),
        "auth_date": str(int((NOW - timedelta(minutes=3)).timestamp())),
        # Telegram's Ed25519 signature for third parties: signed by `hash` like any field.
        "signature": "6fbdaab833d39f54518bd5c3eb3f511d035e68cb",
    }
    return {**base, **changes}


def test_valid_data_names_the_user():
    user = validate_init_data(signed(fields()), TOKEN, now=NOW)
    assert isinstance(user, WebAppUser)
    assert (user.id, user.full_name, user.username, user.language_code) == (
        4242,
        "张 三",
        "zhang3",
        "zh-hans",
    )
    assert user.auth_date == NOW - timedelta(minutes=3)


def test_a_changed_field_or_hash_is_refused():
    data = signed(fields())
    # Another user id under the same hash.
    assert validate_init_data(data.replace("4242", "4243"), TOKEN, now=NOW) is Rejection.BAD_HASH
    # A field added that the signer never saw (its name sorts anywhere).
    assert validate_init_data(data + "&chat_type=group", TOKEN, now=NOW) is Rejection.BAD_HASH
    # The hash itself changed by one digit, and in case.
    head, digest = data.rsplit("hash=", 1)
    flipped = ("0" if digest[0] != "0" else "1") + digest[1:]
    assert validate_init_data(f"{head}hash={flipped}", TOKEN, now=NOW) is Rejection.BAD_HASH
    assert validate_init_data(f"{head}hash={digest.upper()}", TOKEN, now=NOW) is (
        Rejection.BAD_HASH
    )
    # Leaving a signed field out changes the text signed.
    without = {k: v for k, v in fields().items() if k != "signature"}
    assert (
        validate_init_data(
            data.replace("signature=" + fields()["signature"] + "&", ""), TOKEN, now=NOW
        )
        is Rejection.BAD_HASH
    )
    assert validate_init_data(signed(without), TOKEN, now=NOW).id == 4242


def test_another_bots_token_is_refused():
    data = signed(fields(), token="654321:ZZZdqTcvCH1vGWJxfSeofSAs0K5PALDsaw")
    assert validate_init_data(data, TOKEN, now=NOW) is Rejection.BAD_HASH


def test_data_older_than_a_day_is_refused():
    day_old = int((NOW - timedelta(days=1)).timestamp())
    assert isinstance(
        validate_init_data(signed(fields(auth_date=str(day_old))), TOKEN, now=NOW), WebAppUser
    )
    stale = signed(fields(auth_date=str(day_old - 1)))
    assert validate_init_data(stale, TOKEN, now=NOW) is Rejection.EXPIRED
    # From the future beyond a clock's drift: not made now either.
    ahead = signed(fields(auth_date=str(int((NOW + timedelta(hours=1)).timestamp()))))
    assert validate_init_data(ahead, TOKEN, now=NOW) is Rejection.EXPIRED


@pytest.mark.parametrize(
    ("data", "why"),
    [
        ("", Rejection.MALFORMED),
        ("just text", Rejection.MALFORMED),
        ("a=1&a=2&hash=00", Rejection.MALFORMED),
        ("user=%7B%7D&auth_date=1", Rejection.NO_HASH),
        ("user=%7B%7D&auth_date=1&hash=", Rejection.NO_HASH),
        ("x" * (MAX_LENGTH + 1), Rejection.MALFORMED),
        ("&".join(f"k{i}=v" for i in range(100)) + "&hash=0", Rejection.MALFORMED),
    ],
)
def test_not_init_data_at_all(data, why):
    assert validate_init_data(data, TOKEN, now=NOW) is why


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"auth_date": ""}, Rejection.NO_DATE),
        ({"auth_date": "yesterday"}, Rejection.NO_DATE),
        ({"auth_date": "+1733400000"}, Rejection.NO_DATE),
        ({"auth_date": "１７３３４０００００"}, Rejection.NO_DATE),
        ({"auth_date": "9" * 400}, Rejection.NO_DATE),
        ({"user": "not json"}, Rejection.NO_USER),
        ({"user": "[" * 100_000 + "]" * 100_000}, Rejection.MALFORMED),
        ({"user": "[" * 1200 + "]" * 1200}, Rejection.NO_USER),
        ({"user": '{"id": true, "first_name": "x"}'}, Rejection.NO_USER),
        ({"user": '{"id": "4242", "first_name": "x"}'}, Rejection.NO_USER),
        ({"user": '{"id": -5, "first_name": "x"}'}, Rejection.NO_USER),
        ({"user": '{"id": 1' + "0" * 30 + ', "first_name": "x"}'}, Rejection.NO_USER),
        ({"user": '{"id": 5, "first_name": ["x"]}'}, Rejection.NO_USER),
        ({"user": '{"id": 1e3, "first_name": "x"}'}, Rejection.NO_USER),
    ],
)
def test_hostile_values_though_signed(changes, why):
    """Signed with the right token (a leaked token, or a bug on the signer's side), the values
    are still read as hostile: one answer, never an exception."""
    assert validate_init_data(signed(fields(**changes)), TOKEN, now=NOW) is why


def test_missing_user_is_refused():
    no_user = {k: v for k, v in fields().items() if k != "user"}
    assert validate_init_data(signed(no_user), TOKEN, now=NOW) is Rejection.NO_USER
    no_date = {k: v for k, v in fields().items() if k != "auth_date"}
    assert validate_init_data(signed(no_date), TOKEN, now=NOW) is Rejection.NO_DATE


def test_odd_but_valid_names_pass_through():
    user = {"id": 7, "first_name": "<b>&amp;</b>\n", "username": None, "language_code": 5}
    got = validate_init_data(signed(fields(user=json.dumps(user))), TOKEN, now=NOW)
    assert isinstance(got, WebAppUser)
    assert (got.first_name, got.last_name, got.username, got.language_code) == (
        "<b>&amp;</b>\n",
        "",
        None,
        None,
    )
