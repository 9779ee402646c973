"""The buttons under a message about items: one row per item, the same everywhere.

Callback data is `it:<action>:<item id>` (well under Telegram's 64 bytes). `done` is handled
by the chat's done handler, `ack` and `snz` by the reminders' handlers.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import t

ITEM_PREFIX = "it:"
DONE, ACK, SNOOZE = "done", "ack", "snz"


def item_callback(action: str, item_id: int) -> str:
    return f"{ITEM_PREFIX}{action}:{item_id}"


def parse_item_callback(data: str, action: str) -> tuple[str, int] | None:
    """(action, item id) of an `action` button's data; None for any other data."""
    found, _, raw = data.removeprefix(ITEM_PREFIX).partition(":")
    return (action, int(raw)) if found == action and raw.isdigit() else None


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
