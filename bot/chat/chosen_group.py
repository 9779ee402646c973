"""The group a command sent in a private chat was meant for, while that command runs.

Someone bound in several groups names one (`/done 群名 2`) or presses a button asking which
(bot/chat/group_choice.py). Telegram's update has no place for that choice, and the handlers
read their group off the update (`acting.origin_of`, `plan_group.chat_for_update`), so the
choice travels beside the update, in a context variable set for exactly one handler's run:
what a handler awaits sees it, the next update does not.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ChosenGroup:
    """A group chosen in private: its Telegram id, its title and language (answers in private
    name it, since the sender has several)."""

    tg_chat_id: int
    title: str
    locale: str


_chosen: ContextVar[ChosenGroup | None] = ContextVar("planbot_chosen_group", default=None)


def chosen_group() -> ChosenGroup | None:
    """The group the running command was meant for, when it came from a private chat of
    someone bound in several groups; None otherwise."""
    return _chosen.get()


@contextmanager
def in_group(group: ChosenGroup) -> Iterator[None]:
    """Run the code inside as about `group`."""
    token = _chosen.set(group)
    try:
        yield
    finally:
        _chosen.reset(token)
