"""Which outline entries are items, and what each item says before its fields are interpreted."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from plans.brackets import depths
from plans.labels import FIELD_KINDS, Field, Kind
from plans.numbering import read_marker
from plans.numerals import cn_to_int
from plans.outline import Node
from plans.spacing import squeeze
from plans.tables import Table

_TITLE_EDGES = " \t\u3000。.；;，,：:、"
# Reminders quote the title: a first sentence longer than this is cut at its first clause.
_LONG_TITLE = 40
_MIN_CLAUSE = 4
_CLAUSE_ENDS = ("：:", "；;，,")
_SEQ_EDGES = " \t\u3000.．、，,。"


@dataclass(slots=True)
class Draft:
    """An item as written: title, labelled fields (possibly inherited), content lines."""

    title: str
    fields: list[Field] = field(default_factory=list)
    content: list[str] = field(default_factory=list)
    # The number written in the document (一 → 1, （三） → 3, a 序号 cell), None when unnumbered.
    number: int | None = None
    # The number as written ("（三）"), and the list it belongs to: numbers are compared
    # within one list, and the list's heading names it in a warning.
    marker: str = ""
    group: int = 0
    section: str = ""
    # Lines that look like the next item of the list but stayed inside this one.
    absorbed: list[str] = field(default_factory=list)
    # Field labels written more than once on this item ("责任单位" twice): two items run together?
    doubled: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Reading:
    """The items of a plan, and the numbered lines taken for headings rather than items."""

    drafts: list[Draft] = field(default_factory=list)
    # "一、总体目标": numbered, no fields and none below, beside headings that hold items.
    headings: list[str] = field(default_factory=list)
    # What the tables said of their columns ("表格的“进展情况”列不是计划的字段…").
    table_warnings: list[str] = field(default_factory=list)


def drafts_of(root: Node, *, strict: bool) -> Reading:
    """Items in document order.

    A numbered entry with fields somewhere below it is a section heading, and its fields are
    defaults for the items under it; any other entry is an item whose sub-numbered lines are
    its content. Beside such headings, an entry with no fields at all (总体目标, 保障措施) is a
    heading too: an introduction or closing section. strict (used when the document has no
    plan heading) keeps an entry without fields only when a neighbouring entry has fields of
    its own, so a summary's numbered sections do not become tasks.
    """
    reading = Reading()
    _collect(root, list(root.fields), strict=strict, into=reading)
    return reading


def clean_title(text: str) -> str:
    return squeeze(text).strip(_TITLE_EDGES)


def short_title(text: str) -> tuple[str, str]:
    """A long first sentence cut at its first clause: "推进乡村振兴：实施…" → 推进乡村振兴."""
    if len(clean_title(text)) <= _LONG_TITLE:
        return text, ""
    level = depths(text)
    for ends in _CLAUSE_ENDS:
        for i, ch in enumerate(text[: _LONG_TITLE + 1]):
            if ch in ends and level[i] == 0 and i >= _MIN_CLAUSE:
                return clean_title(text[:i]), text[i + 1 :].strip()
    return text, ""


def _collect(heading: Node, defaults: list[Field], *, strict: bool, into: Reading) -> None:
    sections = {id(child) for child in heading.nodes if _is_section(child)}
    neighbours_fielded = any(node.fields for node in heading.nodes)
    for child in heading.children:
        if isinstance(child, Table):
            into.drafts.extend(_table_drafts(child, defaults))
            into.table_warnings.extend(child.warnings)
        elif id(child) in sections:
            _collect(child, _inherit(child.fields, defaults), strict=strict, into=into)
        elif sections and not child.has_fields_below():
            into.headings.append(child.line)
        elif child.fields or neighbours_fielded or not strict:
            into.drafts.append(_node_draft(child, heading, defaults))


def _is_section(node: Node) -> bool:
    return any(child.has_fields_below() for child in node.nodes)


def _node_draft(node: Node, heading: Node, defaults: list[Field]) -> Draft:
    title, overflow = short_title(squeeze("".join(node.title)))
    title = clean_title(title)
    content = [overflow] if overflow else []
    if node.after_title:
        content.append(node.after_title)
    content.extend(node.notes)
    absorbed = list(node.absorbed)
    for child in node.nodes:
        content.extend(_render(child))
        absorbed.extend(_absorbed_below(child))
    # The same label twice: 牵头单位 then 责任单位 is one task's lead and partners, but
    # 责任单位 twice is usually a second task's fields.
    counts = Counter(f.label for f in node.fields)
    doubled = [label for label, count in counts.items() if count > 1]
    marker = node.marker
    return Draft(
        title,
        _inherit(node.fields, defaults),
        content,
        number=marker.value if marker is not None and marker.value > 0 else None,
        marker=marker.text if marker is not None else "",
        group=id(heading),
        section=clean_title("".join(heading.title)),
        absorbed=absorbed,
        doubled=doubled,
    )


def _absorbed_below(node: Node) -> list[str]:
    return [*node.absorbed, *(line for child in node.nodes for line in _absorbed_below(child))]


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
        written = next(iter(record.get(Kind.SEQ, [])), "")
        draft = Draft(
            clean_title(titles[0] if titles else ""),
            _inherit(fields, defaults),
            content,
            number=seq_number(written),
            marker=written.strip(),
            group=id(table),
        )
        drafts.append(draft)
    return drafts


def seq_number(cell: str) -> int | None:
    """The number in a 序号 cell: "12", "12.", "一", "（三）", "③"; None for anything else."""
    text = cell.strip()
    marker = read_marker(text)
    if marker is not None and not marker.rest and marker.value > 0:
        return marker.value
    value = cn_to_int(text.strip(_SEQ_EDGES))
    return value if value is not None and value > 0 else None


def _inherit(own: list[Field], defaults: list[Field]) -> list[Field]:
    """Fields from a section heading fill in what an item leaves out.

    An item that names its own responsible departments takes none of the section's, partners
    included (they were partners to the section's leads); one that names only partners keeps
    the section's leads.
    """
    have = {f.kind for f in own}
    if Kind.DEPARTMENTS in have:
        have.add(Kind.PARTNERS)
    return [*own, *(f for f in defaults if f.kind not in have)]
