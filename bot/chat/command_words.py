"""Command words as typed with a Chinese input method, and the command a misspelt word meant.

Pure text helpers (no Telegram imports): the handler that answers plain messages uses them to
treat `／done 2` or `、done 1` (the "/" key gives 、 in Chinese mode) as `/done 2`, and to say
"你是不是想用 /plan？" for `/paln`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from plans.numbers import narrow

# ／ (full-width solidus), 、 (what the / key types in Chinese mode), ⁄ and ∕ (look-alikes).
INPUT_METHOD_SLASHES = "／、⁄∕"
# Telegram's command grammar: up to 32 letters, digits and underscores, optional @botname.
_COMMAND = re.compile(
    r"[/](?P<name>[A-Za-z][A-Za-z0-9_]{0,31})(?P<bot>@[A-Za-z0-9_]{1,64})?(?=\s|$)"
)
_MIN_SUGGEST = 3


def normalise_command(text: str) -> str | None:
    """`text` with its command word in ASCII lower case ("／Ｄｏｎｅ 2" → "/done 2", "、done 1" →
    "/done 1", "/Done" → "/done"), or None when the message does not start with a command.

    The rest of the message is returned as typed; an @botname stays (the caller ignores
    commands for other bots). A slash followed by anything but a Latin letter is not a command
    ("、好的", "/ 3").
    """
    stripped = text.lstrip()
    if not stripped or (stripped[0] != "/" and stripped[0] not in INPUT_METHOD_SLASHES):
        return None
    end = _word_end(stripped)
    head = "/" + narrow(stripped[1:end])
    match = _COMMAND.fullmatch(head)
    if match is None:
        return None
    return f"/{match['name'].lower()}{match['bot'] or ''}{stripped[end:]}"


def command_word(text: str) -> tuple[str, str] | None:
    """(name, bot) of a message starting with a command, however typed ("／Ｄｏｎｅ@planbot 2" →
    ("done", "planbot"); bot "" when none is named), or None."""
    normal = normalise_command(text)
    if normal is None:
        return None
    name, _, bot = normal.split(maxsplit=1)[0][1:].partition("@")
    return name, bot


def _word_end(text: str) -> int:
    """Where the command word (and its @botname) ends: the first whitespace, else the end."""
    match = re.search(r"\s", text)
    return match.start() if match else len(text)


def suggest_command(word: str, known_names: Iterable[str]) -> str | None:
    """The known command `word` was probably meant to be ("paln" → "plan", "dnoe" → "done"), or
    None: for a known word, a word shorter than 3 letters, a word 2 edits or more from every
    name (1 edit for words up to 4 letters), or a tie between two names.

    Edits are insertions, deletions, substitutions and swaps of neighbours (Damerau).
    """
    w = narrow(word.lstrip("/").split("@", 1)[0]).lower()
    names = sorted({name.lower() for name in known_names})
    if len(w) < _MIN_SUGGEST or w in names:
        return None
    limit = 1 if len(w) <= 4 else 2
    scored = sorted((edit_distance(w, name), name) for name in names)
    close = [(d, name) for d, name in scored if d <= limit]
    if not close or (len(close) > 1 and close[1][0] == close[0][0]):
        return None
    return close[0][1]


def edit_distance(a: str, b: str) -> int:
    """Damerau–Levenshtein distance (optimal string alignment): "dnoe" → "done" is 1."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]
