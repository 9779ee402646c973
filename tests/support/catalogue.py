"""Whether a message of the bot is a given catalogue sentence: tests name the answer they expect
by its key (e.g. "done.ok") instead of copying the sentence."""

from __future__ import annotations

import re
from functools import cache

from bot.i18n import CATALOGUES
from plans.sample import sample_text

_FIELD = re.compile(r"\{[^{}]*\}")
_TAG = re.compile(r"<[^>]+>")
# "(or send a file captioned /import)": a remark about a /help example, not part of it.
_REMARK = re.compile(r"\s*[（(][^（()）]*[）)]$")
_ENTITIES = {"&lt;": "<", "&gt;": ">", "&quot;": '"', "&amp;": "&"}


@cache
def _pattern(locale: str, key: str) -> re.Pattern[str]:
    plain = _TAG.sub("", CATALOGUES[locale][key])
    for entity, char in _ENTITIES.items():
        plain = plain.replace(entity, char)
    parts = [re.escape(part) for part in _FIELD.split(plain.strip())]
    return re.compile(".*?".join(parts), re.DOTALL)


def says(text: str, key: str) -> bool:
    """Does `text` contain the sentence `key`, in any language, its fields filled any way?"""
    return any(_pattern(locale, key).search(text) for locale in CATALOGUES)


def as_sent(example: str) -> str:
    """The message a reader types for a /help `example`: without the remark in brackets, and
    the plan's text where the example shows "…"."""
    text = _REMARK.sub("", example).strip()
    if text.endswith("…"):
        text = text.removesuffix("…").rstrip() + "\n" + sample_text()
    return text
