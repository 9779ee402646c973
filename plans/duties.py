"""Responsibility written as verbs in a closing bracket: （市发改委牵头，市财政局配合）.

Task-division notices (任务分工方案) rarely write 牵头单位：…; each paragraph ends with who leads
and who helps: "（市政府办公室牵头，市级各有关部门按职责分工负责）". Read that block as the same
fields a labelled block would give.
"""

from __future__ import annotations

from plans.brackets import closing_index, depths, split_outside
from plans.labels import Field, Kind, Split

# Longest first: "按职责分工负责" before "负责".
_LEAD_VERBS = ("牵头负责", "牵头")
_PARTNER_VERBS = ("按职责分工负责", "按职责负责", "共同负责", "配合", "参与", "协助", "协办")
_OWN_VERBS = ("负责",)
_TRAILING = " \t\u3000。；;，,"
# Every verb above contains one of these; most lines contain none and are passed over at once.
_ANY_VERB = ("牵头", "负责", "配合", "参与", "协助", "协办")


def trailing_duties(text: str) -> Split | None:
    """text without its closing duty bracket, and the bracket's departments; None if none."""
    body = text.rstrip(_TRAILING)
    if not body or body[-1] not in "）)" or not any(verb in body for verb in _ANY_VERB):
        return None
    level = depths(body)
    open_at = next(
        (i for i in range(len(body) - 1, -1, -1) if body[i] in "（(" and level[i] == 1), None
    )
    if open_at is None or closing_index(body, open_at) != len(body) - 1:
        return None
    fields = _duties(body[open_at + 1 : -1])
    if not fields:
        return None
    return Split(text[:open_at], tuple(fields))


def _duties(inside: str) -> list[Field]:
    fields = []
    for part in split_outside(inside, "，,；;"):
        part = part.strip()
        if not part:
            continue
        field = _duty(part)
        if field is None:
            return []  # one clause that is not a duty: this bracket says something else
        fields.append(field)
    has_lead = any(f.kind is Kind.DEPARTMENTS for f in fields)
    return fields if has_lead else []


def _duty(part: str) -> Field | None:
    for verbs, kind in (
        (_LEAD_VERBS, Kind.DEPARTMENTS),
        (_PARTNER_VERBS, Kind.PARTNERS),
        (_OWN_VERBS, Kind.DEPARTMENTS),
    ):
        for verb in verbs:
            if part.endswith(verb) and len(part) > len(verb):
                return Field(kind, verb, part[: -len(verb)].strip())
    return None
