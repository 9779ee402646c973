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
    # The Telegram chat `admin` is an answer about; None when it holds for every chat (the
    # configured admins, or nothing is known). A press can act on another chat's item (a
    # department's group gets reminders of the plan group's items): see `in_chat`.
    admin_in: int | None = None

    @property
    def author(self) -> Author:
        return Author(self.tg_user_id, self.name)

    def known_admin(self, admin: bool, tg_chat_id: int | None = None) -> Actor:
        return replace(self, admin=admin, admin_in=tg_chat_id)

    def in_chat(self, tg_chat_id: int) -> Actor:
        """The actor as far as chat `tg_chat_id` goes: what Telegram said about their rights
        in another chat does not make them an admin here (it is asked again)."""
        if self.admin_in is None or self.admin_in == tg_chat_id:
            return self
        return replace(self, admin=None, admin_in=None)


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
