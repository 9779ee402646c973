"""The Mini App's pass (bot/web/app_session.py): issued for a user until a time, and refused
when changed, forged with another key, or expired."""

from datetime import UTC, datetime, timedelta

import pytest

from bot.web.app_session import issue_pass, pass_key, read_pass

NOW = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)
KEY = pass_key("123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw")


def test_a_pass_names_its_user_until_it_expires():
    issued = issue_pass(KEY, 4242, NOW + timedelta(hours=3))
    assert read_pass(KEY, issued, now=NOW) == 4242
    assert read_pass(KEY, issued, now=NOW + timedelta(hours=3) - timedelta(seconds=1)) == 4242
    assert read_pass(KEY, issued, now=NOW + timedelta(hours=3)) is None


def test_a_changed_or_foreign_pass_is_refused():
    issued = issue_pass(KEY, 4242, NOW + timedelta(hours=3))
    user, stamp, mac = issued.split(".")
    # Another user, a later expiry, a MAC of another bot's key: none is read.
    assert read_pass(KEY, f"4243.{stamp}.{mac}", now=NOW) is None
    assert read_pass(KEY, f"{user}.{int(stamp) + 86400}.{mac}", now=NOW) is None
    other = issue_pass(pass_key("654321:other"), 4242, NOW + timedelta(hours=3))
    assert read_pass(KEY, other, now=NOW) is None
    flipped = mac[:-1] + ("A" if mac[-1] != "A" else "B")
    assert read_pass(KEY, f"{user}.{stamp}.{flipped}", now=NOW) is None


@pytest.mark.parametrize(
    "text",
    [
        "",
        "4242",
        "4242.1.",
        "x.y.zzzzzzzzzzzzzzzzzzzzzz",
        "1" * 30 + ".1." + "A" * 22,
        "4242.1." + "A" * 22 + "\n",
        "4242.１." + "A" * 22,
    ],
)
def test_not_a_pass(text):
    assert read_pass(KEY, text, now=NOW) is None
