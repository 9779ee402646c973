"""Bracket-aware scanning; full-width and ASCII brackets count as the same bracket."""

from __future__ import annotations

# Each string lists the characters of one bracket family: openers first, then the closers,
# so "（…)" typed with mixed widths still pairs up.
_FAMILIES = (
    ("（(", "）)"),
    ("【[〔［", "】]〕］"),
    ("《", "》"),
    ("“", "”"),
    ("‘", "’"),
    ("「『", "」』"),
)
OPENERS = "".join(o for o, _ in _FAMILIES)
CLOSERS = "".join(c for _, c in _FAMILIES)
_FAMILY = {ch: n for n, (o, c) in enumerate(_FAMILIES) for ch in o + c}


def depths(text: str) -> list[int]:
    """Nesting depth at each character; a bracket counts as inside its own pair.

    A closer that matches no open bracket is plain text at the current depth, and a closer for
    an outer bracket also closes any inner one left open, so unbalanced input never misleads
    the scan for long.
    """
    if not any(ch in OPENERS for ch in text):
        return [0] * len(text)
    out: list[int] = []
    stack: list[int] = []
    for ch in text:
        if ch in OPENERS:
            stack.append(_FAMILY[ch])
            out.append(len(stack))
        elif ch in CLOSERS and _FAMILY[ch] in stack:
            out.append(len(stack))
            while stack.pop() != _FAMILY[ch]:
                pass
        else:
            out.append(len(stack))
    return out


def split_outside(text: str, separators: str) -> list[str]:
    """Split on any separator character that is not inside brackets or quotes."""
    if not any(ch in separators for ch in text):
        return [text]
    parts: list[str] = []
    start = 0
    for i, (ch, depth) in enumerate(zip(text, depths(text), strict=True)):
        if depth == 0 and ch in separators:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def closing_index(text: str, open_at: int) -> int | None:
    """Index of the bracket that closes the one at open_at, or None when it is never closed."""
    stack: list[int] = []
    for i in range(open_at, len(text)):
        ch = text[i]
        if ch in OPENERS:
            stack.append(_FAMILY[ch])
        elif ch in CLOSERS and _FAMILY[ch] in stack:
            while stack.pop() != _FAMILY[ch]:
                pass
            if not stack:
                return i
    return None
