"""Sending one generated message through the bot the way a user could: in the group or in a
private chat, as a reply to one of the bot's messages, as an edit of a message sent before, or
with the slash a Chinese input method types."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

from bot.chat.command_words import INPUT_METHOD_SLASHES
from bot.sandbox import Message
from tests.hostile.live import World

# group: typed in the group; private: in the sender's private chat; reply_plain: in the group,
# replying to the bot's /help answer (about no item); reply_item: replying to the message with
# item buttons (a command there may act on its items); edited: a plain message in the group
# edited into this one; slash: in the group with ／ or 、 for the slash.
PLACES = ("group", "private", "reply_plain", "reply_item", "edited", "slash")
# Where an input the bot must refuse is sent: not as a reply to an item message, which names
# the items a bare `/done` means.
REFUSED_PLACES = tuple(p for p in PLACES if p != "reply_item")


@dataclass(frozen=True)
class Typed:
    text: str
    sender: str  # "member" (bound to a leader's name in the group) or "admin"
    place: str
    slash: str = "/"

    def __repr__(self) -> str:
        shown = (
            self.text if len(self.text) <= 80 else f"{self.text[:60]!r}… ({len(self.text)} chars)"
        )
        return f"Typed({shown!r}, {self.sender}, {self.place})"


def typed(
    texts: st.SearchStrategy[str], places: tuple[str, ...] = PLACES
) -> st.SearchStrategy[Typed]:
    return st.builds(
        Typed,
        text=texts,
        sender=st.sampled_from(("member", "admin")),
        place=st.sampled_from(places),
        slash=st.sampled_from(INPUT_METHOD_SLASHES),
    )


def send(world: World, case: Typed) -> Message:
    """Push the message (one update, two for an edit); returns the user's message."""
    sandbox, bot = world.bot.sandbox, world.bot
    user = world.member if case.sender == "member" else world.admin
    text = case.text
    if case.place == "slash":
        text = case.slash + text.removeprefix("/")
    if case.place == "private":
        chat = sandbox.private_chat(user)
        message = sandbox.send_text(chat, user, text)
    elif case.place in ("reply_plain", "reply_item"):
        target = world.plain if case.place == "reply_plain" else world.reminder
        message = sandbox.send_text(world.group, user, text, reply_to=target)
    elif case.place == "edited":
        message = sandbox.send_text(world.group, user, "草稿")
        bot.pushed += 1
        message = sandbox.edit_text(message, text)
    else:
        message = sandbox.send_text(world.group, user, text)
    bot.pushed += 1
    return message
