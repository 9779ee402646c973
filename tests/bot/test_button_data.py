"""Issue 14: every button's data is read in one place (bot/views/buttons.py), its numbers by
plans/numbers.py: only what the bot makes is taken, hostile data is None and never raises."""

import pytest

from bot.views.buttons import (
    parse_confirm_callback,
    parse_id_callback,
    parse_item_callback,
    parse_token_callback,
)
from bot.views.extend import parse_extension_callback


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("it:done:12", 12),
        ("it:done:１２", 12),  # full-width digits are digits, as everywhere
        ("it:done:2147483647", 2147483647),
        ("it:done:2147483648", None),  # beyond PostgreSQL's int4
        ("it:done:9223372036854775808", None),  # beyond SQLite's integer
        ("it:done:" + "9" * 5000, None),  # more digits than int() converts
        ("it:done:²", None),
        ("it:done:①", None),
        ("it:done:٣", None),
        ("it:done:0", None),
        ("it:done:-1", None),
        ("it:done: 1", None),
        ("it:done:1 ", None),
        ("it:done:", None),
        ("it:done", None),
        ("it:ack:12", None),  # another action's button
        ("itdel:ok:12", None),
    ],
)
def test_an_item_buttons_data(data, expected):
    assert parse_item_callback(data, "done") == expected


def test_an_action_must_be_one_the_prefix_has():
    assert parse_id_callback("itdel:ok:3", "itdel:", ("ok", "no")) == ("ok", 3)
    assert parse_id_callback("itdel:yes:3", "itdel:", ("ok", "no")) is None
    assert parse_extension_callback("ext:no:7") == ("no", 7)
    assert parse_extension_callback("ext:maybe:7") is None
    assert parse_extension_callback("ext:ok:²") is None


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("imp:ok:0a1b2c3d4e5f", ("ok", "0a1b2c3d4e5f")),
        ("imp:zzz:0a1b2c3d4e5f", None),
        ("imp:ok:", None),
        ("imp:ok:../../x", None),
        ("imp:ok:ABC", None),
        ("imp:ok:" + "a" * 33, None),
    ],
)
def test_a_questions_token(data, expected):
    assert parse_token_callback(data, "imp:", ("ok", "no")) == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("rp:12:0a1b2c3d4e5f", (12, "0a1b2c3d4e5f")),
        ("rp:²:0a1b2c3d4e5f", None),
        ("rp:2147483648:0a1b2c3d4e5f", None),
        ("rp: 12:0a1b2c3d4e5f", None),
        ("rp:12:", None),
        ("rp:", None),
        ("it:12:0a1b2c3d4e5f", None),
    ],
)
def test_a_confirmations_data(data, expected):
    assert parse_confirm_callback(data) == expected
