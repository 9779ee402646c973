"""The buttons under a message about items, and the one reader of every button's data.

Callback data is `<prefix><action>:<argument>` for every button the bot makes (well under
Telegram's 64 bytes): `it:done:<item id>` under reminders, `itdel:ok:<item id>`, `ext:no:<request
id>`, `iam:ok:<token>`, `imp:pm:<token>`, `rp:<item id>:<token>`, `grp:<chat row id>`. Data
comes from a client and can be forged: `split_callback` takes only the actions a prefix has,
row ids are read by plans/numbers.py (ASCII or full-width digits, within the database's integer
range) and tokens only as we make them, so no handler sees data it did not make.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import t
from plans.numbers import parse_row_id

ITEM_PREFIX = "it:"
# A confirmation of an understood reply (bot/chat/confirmations.py): `rp:<item id>:<token>`.
CONFIRM_PREFIX = "rp:"
DONE, ACK, SNOOZE = "done", "ack", "snz"
# Which of the sender's groups a private command is about (bot/chat/group_choice.py):
# `grp:<our chat row id>`.
GROUP_PREFIX = "grp:"


def item_callback(action: str, item_id: int) -> str:
    return f"{ITEM_PREFIX}{action}:{item_id}"


# A pending question's token as `secrets.token_hex` makes it (see storage.pending).
_TOKEN = re.compile(r"[0-9a-f]{1,32}")


def split_callback(data: str, prefix: str, actions: Collection[str]) -> tuple[str, str] | None:
    """(action, argument) of `<prefix><action>:<argument>` data whose action is one of
    `actions` and whose argument is not empty; None for any other data (we never put spaces
    in data: " 1" is not our button's)."""
    if not data.startswith(prefix):
        return None
    action, colon, argument = data[len(prefix) :].partition(":")
    if not colon or action not in actions or not argument or argument != "".join(argument.split()):
        return None
    return action, argument


def parse_id_callback(data: str, prefix: str, actions: Collection[str]) -> tuple[str, int] | None:
    """(action, row id) of `<prefix><action>:<row id>` data; None for anything else, a row id
    out of the database's range too."""
    split = split_callback(data, prefix, actions)
    row = parse_row_id(split[1]) if split else None
    return (split[0], row) if split and row is not None else None


def read_token(text: str) -> str | None:
    """A pending question's token as we make them; None for anything else."""
    return text if _TOKEN.fullmatch(text) else None


def parse_token_callback(
    data: str, prefix: str, actions: Collection[str]
) -> tuple[str, str] | None:
    """(action, token) of `<prefix><action>:<token>` data (a question waiting in the
    database); None for anything else."""
    split = split_callback(data, prefix, actions)
    token = read_token(split[1]) if split else None
    return (split[0], token) if split and token is not None else None


def parse_confirm_callback(data: str) -> tuple[int, str] | None:
    """(item id, token) of a confirmation's data; None for anything else."""
    if not data.startswith(CONFIRM_PREFIX):
        return None
    raw_id, _, raw_token = data[len(CONFIRM_PREFIX) :].partition(":")
    item_id = parse_row_id(raw_id) if raw_id == raw_id.strip() else None
    token = read_token(raw_token)
    return (item_id, token) if item_id is not None and token is not None else None


def group_callback(chat_id: int) -> str:
    return f"{GROUP_PREFIX}{chat_id}"


def parse_group_callback(data: str) -> int | None:
    """The chat row id a group button names; None for any other data."""
    if not data.startswith(GROUP_PREFIX):
        return None
    raw = data[len(GROUP_PREFIX) :]
    return parse_row_id(raw) if raw == "".join(raw.split()) else None


def parse_item_callback(data: str, action: str) -> int | None:
    """The item id of an `action` item button's data (`it:done:12`); None for other data."""
    parsed = parse_id_callback(data, ITEM_PREFIX, (action,))
    return parsed[1] if parsed else None


def item_buttons(
    items: list[tuple[int, int]], locale: str, *, actions: tuple[str, ...] = (DONE, ACK, SNOOZE)
) -> InlineKeyboardMarkup:
    """Rows of buttons for (item id, seq) pairs; the seq labels them when there are several."""
    rows = []
    for item_id, seq in items:
        prefix = f"{seq}. " if len(items) > 1 else ""
        rows.append(
            [
                InlineKeyboardButton(
                    prefix + t(locale, f"button.{action}"),
                    callback_data=item_callback(action, item_id),
                )
                for action in actions
            ]
        )
    return InlineKeyboardMarkup(rows)
