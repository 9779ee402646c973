"""The buttons asking someone bound in several groups which one a private command is about.

Callback data is `grp:<our chat row id>`; the command it answers is the message the question
replies to (bot/chat/group_choice.py), so nothing waits in the database.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from plans.numbers import parse_row_id

GROUP_PREFIX = "grp:"
# Telegram shows about this much of a button's label on a phone.
_LABEL = 40


def group_callback(chat_id: int) -> str:
    return f"{GROUP_PREFIX}{chat_id}"


def parse_group_callback(data: str) -> int | None:
    """The chat row id a group button names; None for any other data."""
    if not data.startswith(GROUP_PREFIX):
        return None
    return parse_row_id(data.removeprefix(GROUP_PREFIX))


def group_keyboard(groups: Sequence[tuple[int, str]]) -> InlineKeyboardMarkup:
    """One button per (chat row id, title), labelled with the title."""
    rows = []
    for chat_id, title in groups:
        label = title if len(title) <= _LABEL else title[:_LABEL] + "…"
        rows.append(
            [InlineKeyboardButton(label or str(chat_id), callback_data=group_callback(chat_id))]
        )
    return InlineKeyboardMarkup(rows)
