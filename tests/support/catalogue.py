"""Which catalogue sentence a message of the bot is: tests name the answer they expect by its key
(e.g. "done.ok") instead of copying the sentence."""

from __future__ import annotations

import re
from functools import cache

from bot.i18n import CATALOGUES

_FIELD = re.compile(r"\{[^{}]*\}")
_TAG = re.compile(r"<[^>]+>")


@cache
def _patterns(locale: str) -> dict[str, re.Pattern[str]]:
    patterns: dict[str, re.Pattern[str]] = {}
    for key, template in CATALOGUES[locale].items():
        plain = _TAG.sub("", template).replace("&lt;", "<").replace("&gt;", ">")
        plain = plain.replace("&amp;", "&").strip()
        if len(_FIELD.sub("", plain).strip()) < 2:
            continue  # all fields: it would match any text
        parts = [re.escape(part) for part in _FIELD.split(plain)]
        patterns[key] = re.compile(".*?".join(parts), re.DOTALL)
    return patterns


def sentences_in(locale: str, text: str) -> set[str]:
    """The keys of the catalogue sentences (fields filled in any way) that `text` contains."""
    return {key for key, pattern in _patterns(locale).items() if pattern.search(text)}
