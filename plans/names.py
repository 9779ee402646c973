"""People and department names: padding removed, lists split, duplicates dropped."""

from __future__ import annotations

from collections.abc import Iterable

from plans.brackets import split_outside
from plans.spacing import squeeze

# Never 和 or 及: "权益保障和法律工作部" is one department.
LIST_SEPARATORS = "、，,；;/／"
_EDGE_PUNCTUATION = " 　。.，,；;：:、"


def normalise_name(text: str) -> str:
    """Drop padding and stray edge punctuation: "董 军" → "董军"; brackets are kept."""
    return squeeze(text).strip(_EDGE_PUNCTUATION)


def split_names(text: str) -> list[str]:
    """Split a written list of names; separators inside brackets do not split."""
    return dedupe(
        name for part in split_outside(text, LIST_SEPARATORS) if (name := normalise_name(part))
    )


def dedupe(names: Iterable[str]) -> list[str]:
    """Keep the first occurrence of each name, in order."""
    seen: dict[str, None] = {}
    for name in names:
        seen.setdefault(name, None)
    return list(seen)
