"""HTML for Telegram: escaping, visible length, and splitting long replies under the limit.

Replies are built as a list of lines, each a self-contained HTML fragment (every tag it opens it
closes). Splitting happens between lines, so no chunk ever cuts a tag or an entity in half.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

MAX_MESSAGE = 4096
_TAG = re.compile(r"<[^>]*>")


def esc(value: object) -> str:
    """Escape a value for Telegram HTML (it knows only &lt; &gt; &amp; &quot;)."""
    return html.escape(str(value), quote=True).replace("&#x27;", "'")


def quoted(text: object, limit: int = 40) -> str:
    """What the user typed, escaped, for a sentence that refuses it: at most `limit`
    characters, then "…" — a 5,000-character argument must not make a refusal pages long."""
    value = str(text)
    if len(value) > limit:
        value = value[:limit].rstrip() + "…"
    return esc(value)


def visible_length(fragment: str) -> int:
    """How Telegram counts a message: text after entity parsing, in UTF-16 code units."""
    text = html.unescape(_TAG.sub("", fragment))
    return len(text.encode("utf-16-le")) // 2


def plain(fragment: str) -> str:
    """The text a reader sees, for logs and the console."""
    return html.unescape(_TAG.sub("", fragment))


def _hard_split(line: str, limit: int) -> list[str]:
    # A single line longer than a message loses its markup: there is no safe place to cut tags.
    text = plain(line)
    pieces: list[str] = []
    while text:
        piece = text[:limit]
        while visible_length(esc(piece)) > limit:
            piece = piece[: len(piece) * 9 // 10]
        pieces.append(esc(piece))
        text = text[len(piece) :]
    return pieces


def split_lines(lines: Iterable[str], limit: int = MAX_MESSAGE) -> list[str]:
    """Join HTML lines into as few messages as fit, each at most `limit` visible characters."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for line in lines:
        length = visible_length(line)
        if length > limit:
            if current:
                chunks.append("\n".join(current))
                current, size = [], 0
            chunks.extend(_hard_split(line, limit))
            continue
        extra = length + (1 if current else 0)
        if current and size + extra > limit:
            chunks.append("\n".join(current))
            current, size = [line], length
        else:
            current.append(line)
            size += extra
    if current:
        chunks.append("\n".join(current))
    return chunks or [""]
