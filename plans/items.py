"""Which outline entries are items, and what each item says before its fields are interpreted."""

from __future__ import annotations

from dataclasses import dataclass, field

from plans.labels import FIELD_KINDS, Field, Kind
from plans.outline import Node
from plans.spacing import squeeze
from plans.tables import Table

_TITLE_EDGES = " \t\u3000。.；;，,：:、"


@dataclass(slots=True)
class Draft:
    """An item as written: title, labelled fields (possibly inherited), content lines."""

    title: str
    fields: list[Field] = field(default_factory=list)
    content: list[str] = field(default_factory=list)


def drafts_of(root: Node, *, strict: bool) -> list[Draft]:
    """Items in document order.

    A numbered entry with fields somewhere below it is a section heading, and its fields are
    defaults for the items under it; any other entry is an item whose sub-numbered lines are
    its content. strict (used when the document has no plan heading) keeps an entry without
    fields only when a neighbouring entry has fields of its own, so a summary's numbered
    sections do not become tasks.
    """
    return _collect(root, list(root.fields), strict=strict)


def clean_title(text: str) -> str:
    return squeeze(text).strip(_TITLE_EDGES)


def _collect(heading: Node, defaults: list[Field], *, strict: bool) -> list[Draft]:
    drafts: list[Draft] = []
    neighbours_fielded = any(node.fields for node in heading.nodes)
    for child in heading.children:
        if isinstance(child, Table):
            drafts.extend(_table_drafts(child, defaults))
        elif any(grandchild.has_fields_below() for grandchild in child.nodes):
            drafts.extend(_collect(child, _inherit(child.fields, defaults), strict=strict))
        elif child.fields or neighbours_fielded or not strict:
            drafts.append(_node_draft(child, defaults))
    return drafts


def _node_draft(node: Node, defaults: list[Field]) -> Draft:
    content = [node.after_title] if node.after_title else []
    content.extend(node.notes)
    for child in node.children:
        if isinstance(child, Node):
            content.extend(_render(child))
    return Draft(clean_title("".join(node.title)), _inherit(node.fields, defaults), content)


def _render(node: Node) -> list[str]:
    lines = [node.line, *node.title[1:], *node.notes, *node.field_lines]
    for child in node.nodes:
        lines.extend(_render(child))
    return lines


def _table_drafts(table: Table, defaults: list[Field]) -> list[Draft]:
    drafts = []
    for record in table.records:
        fields = [Field(kind, "", value) for kind in FIELD_KINDS for value in record.get(kind, [])]
        titles = record.get(Kind.TITLE, [])
        content = titles[1:] + record.get(Kind.CONTENT, [])
        drafts.append(
            Draft(clean_title(titles[0] if titles else ""), _inherit(fields, defaults), content)
        )
    return drafts


def _inherit(own: list[Field], defaults: list[Field]) -> list[Field]:
    """Fields from a section heading fill in what an item leaves out."""
    have = {f.kind for f in own}
    if have & {Kind.DEPARTMENTS, Kind.PARTNERS}:
        have |= {Kind.DEPARTMENTS, Kind.PARTNERS}
    return [*own, *(f for f in defaults if f.kind not in have)]
