"""A person in a message: a clickable mention when bound to a Telegram user, else the name.

`tg://user?id=` links reach people without a @username too; the name is always escaped.
"""

from __future__ import annotations

from bot.views.render import esc


def mention(name: str, tg_user_id: int | None) -> str:
    """`<a href="tg://user?id=…">name</a>` when bound, the escaped name otherwise."""
    if tg_user_id is None:
        return esc(name)
    return f'<a href="tg://user?id={int(tg_user_id)}">{esc(name)}</a>'
