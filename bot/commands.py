"""The chat commands planbot knows: one list that serves /help and Telegram's command menu."""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import t


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    admin: bool = False
    # Shown in Telegram's "/" menu; rarely used or admin commands stay out of it.
    in_menu: bool = True

    def description(self, locale: str) -> str:
        return t(locale, f"cmd.{self.name}.desc")

    def example(self, locale: str) -> str:
        return t(locale, f"cmd.{self.name}.example")


# Order is the order of /help and of the menu: what people need most first.
COMMANDS: tuple[Command, ...] = (
    Command("help"),
    Command("start"),
    Command("import", admin=True),
)
