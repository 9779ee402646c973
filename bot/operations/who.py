"""Who acts and where they wrote: plain values the chat and the command line fill in."""

from __future__ import annotations

from dataclasses import dataclass, replace

from storage.item_changes import Author


@dataclass(frozen=True, slots=True)
class Actor:
    tg_user_id: int
    name: str
    # Whether they administer the group: True/False once known (configured admins, a cached
    # answer of Telegram's), None while nobody has asked Telegram.
    admin: bool | None = None

    @property
    def author(self) -> Author:
        return Author(self.tg_user_id, self.name)

    def known_admin(self, admin: bool) -> Actor:
        return replace(self, admin=admin)


@dataclass(frozen=True, slots=True)
class Origin:
    """A Telegram chat as Telegram describes it: where a command or press came from, or the
    group a plan is imported into."""

    tg_chat_id: int
    title: str = ""
    type: str = ""
    is_forum: bool = False
    # In a private chat: the group the sender chose among those they are bound in (its
    # Telegram id; `/done 群名 2`, or a button); None lets `finding.group_of` pick.
    group: int | None = None

    @property
    def private(self) -> bool:
        return self.type == "private"
