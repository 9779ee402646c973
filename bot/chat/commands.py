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
    Command("plan"),
    Command("mine"),
    Command("done"),
    Command("progress"),
    Command("item"),
    Command("undo"),
    Command("import", admin=True),
    Command("summary"),
    Command("export"),
    Command("stats"),
    Command("iam"),
    Command("people"),
    Command("extend"),
    Command("ack"),
    Command("remind"),
    Command("dept", in_menu=False),
    Command("lang", in_menu=False),
    Command("bind", admin=True, in_menu=False),
    Command("unbind", admin=True, in_menu=False),
    Command("add", admin=True, in_menu=False),
    Command("edit", admin=True, in_menu=False),
    Command("delete", admin=True, in_menu=False),
    Command("reopen", admin=True, in_menu=False),
)
