"""Every sentence the bot says, in Chinese first and English second.

Messages are looked up by key and formatted with `str.format`; values interpolated into HTML
must be escaped by the caller (see bot/views/render.py), the catalogue itself holds trusted markup.
"""

from __future__ import annotations

from types import ModuleType
from typing import Literal

from bot.i18n.messages import (
    board,
    bulletin,
    calendars,
    collection,
    confirmations,
    core,
    evidence,
    groups,
    imports,
    items,
    mini_app,
    parts,
    people,
    periods,
    reminders,
    reports,
)

Locale = Literal["zh_CN", "en"]
LOCALES: tuple[Locale, ...] = ("zh_CN", "en")
DEFAULT_LOCALE: Locale = "zh_CN"

# Every feature's messages; add a module here when a feature gets its own.
MODULES: tuple[ModuleType, ...] = (
    core,
    imports,
    reports,
    people,
    items,
    reminders,
    periods,
    confirmations,
    groups,
    # Issue 16 §1: the parts of an item in every view.
    parts,
    bulletin,
    # Evidence (issue 16 §4).
    evidence,
    collection,
    # Issue 17: the web board.
    board,
    # Issue 17: calendar feeds.
    calendars,
    # Issue 17: the board as a Telegram Mini App.
    mini_app,
)


def _merge(attribute: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for module in MODULES:
        part: dict[str, str] = getattr(module, attribute)
        clash = merged.keys() & part.keys()
        if clash:
            raise RuntimeError(f"{module.__name__} redefines {sorted(clash)}")
        merged.update(part)
    return merged


CATALOGUES: dict[str, dict[str, str]] = {"zh_CN": _merge("ZH_CN"), "en": _merge("EN")}


def t(locale: str, key: str, /, **values: object) -> str:
    """The message `key` in `locale`, falling back to Chinese, then to the key itself."""
    catalogue = CATALOGUES.get(locale, CATALOGUES[DEFAULT_LOCALE])
    text = catalogue.get(key) or CATALOGUES[DEFAULT_LOCALE].get(key) or key
    return text.format(**values) if values else text
