"""How alike two item titles are: a re-import tells an edited task from a different one.

Pure: character bigrams of the titles without spaces and punctuation, compared by the Dice
coefficient. Chinese titles have no word boundaries, and an office rewording a task keeps most
of its characters in order ("开展职工书屋建设" → "开展职工书屋建设工作" scores 0.88), while a
different task under the same number shares almost none ("安全生产检查" scores 0.0 against it).
"""

from __future__ import annotations

import unicodedata

# Below this a title under the same number is another task, not an edit of the old one.
DIFFERENT_TASK_BELOW = 0.3


def _letters(title: str) -> str:
    # Punctuation and spaces carry no meaning here: "（一）" or a comma must not count as shared.
    return "".join(ch for ch in title.casefold() if unicodedata.category(ch)[0] in ("L", "N"))


def _bigrams(text: str) -> set[str]:
    if len(text) < 2:
        return {text} if text else set()
    return {text[i : i + 2] for i in range(len(text) - 1)}


def title_similarity(a: str, b: str) -> float:
    """1.0 for the same title (ignoring spaces and punctuation), 0.0 for nothing in common."""
    left, right = _bigrams(_letters(a)), _bigrams(_letters(b))
    if not left and not right:
        return 1.0
    if not left or not right:
        return 0.0
    return 2 * len(left & right) / (len(left) + len(right))


def same_task(a: str, b: str) -> bool:
    """Whether title `b` can be a rewording of title `a` rather than another task."""
    return title_similarity(a, b) >= DIFFERENT_TASK_BELOW
