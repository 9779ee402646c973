"""People and department names: padding removed, lists split, duplicates dropped."""

from __future__ import annotations

import re
from collections.abc import Iterable

from plans.brackets import split_outside
from plans.labels import FIELD_LABELS, Kind
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


# Where a typed list of departments turns to its partners (配合单位), as /edit and /add take it:
# "组织部、工联会 配合：办公室", "组织部｜配合：办公室" (the import's view writes it so), or the
# import's own labels (配合单位：, 协办单位：…); in English "partners:" or "assist:".
_PARTNER_MARK = re.compile(
    r"[|｜]?\s*(?:"
    + "|".join(
        sorted((*FIELD_LABELS[Kind.PARTNERS], "配合", "协办", "协助"), key=len, reverse=True)
    )
    + r"|partners?|assists?)\s*[:：]",
    re.IGNORECASE,
)


def split_departments(text: str) -> tuple[list[str], list[str]]:
    """Responsible (lead) departments and partners (配合) of a typed list; every department
    before the partners' mark leads. A name in both lists leads, as in an import."""
    mark = _PARTNER_MARK.search(text)
    if mark is None:
        return split_names(text), []
    leads = split_names(text[: mark.start()])
    partners = [name for name in split_names(text[mark.end() :]) if name not in leads]
    return leads, partners
