"""The numbered outline of a plan: which line opens which item, and what belongs to it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from plans.brackets import depths
from plans.duties import trailing_duties
from plans.labels import Field, Split, split_fields, starts_with_label
from plans.numbering import Marker, Style, read_marker
from plans.runs import Run, join, place
from plans.tables import Table

# A title line this long that ends without punctuation was probably wrapped by the editor:
# "二、圆满举行2020年“爱心成就梦想·金秋助学活动”助" / "学金发放仪式".
_WRAP_MIN_LINE = 16
_WRAP_MAX_CONTINUATION = 40
_TERMINAL = "。；;！!？?：:"
# How far past the expected number a swallowed line may be numbered and still be suspected.
_SWALLOW_REACH = 3
_DOUBLED_STOP = re.compile(r"([。；;])[ \t\u3000]*[。；;，,]+")


@dataclass(eq=False)
class Node:
    marker: Marker | None = None
    # The list this node's numbered children form.
    run: Run = field(default_factory=Run)
    # The numbered line as written, shown when this node ends up inside another item's content.
    line: str = ""
    title: list[str] = field(default_factory=list)
    fields: list[Field] = field(default_factory=list)
    # Fields written on the numbered line itself (or its wrapped continuation), not below it.
    inline: bool = False
    # The rest of the numbered line after its lead sentence, then the lines below it.
    after_title: str = ""
    notes: list[str] = field(default_factory=list)
    field_lines: list[str] = field(default_factory=list)
    children: list[Node | Table] = field(default_factory=list)
    can_wrap: bool = False
    # Lines below it that look like the next number of an open list but were not read as one
    # ("2.2021年度…" where item 3 was expected): the item may have swallowed another.
    absorbed: list[str] = field(default_factory=list)

    @property
    def nodes(self) -> list[Node]:
        return [child for child in self.children if isinstance(child, Node)]

    def has_fields_below(self) -> bool:
        return bool(self.fields) or any(child.has_fields_below() for child in self.nodes)


def build_outline(lines: Sequence[str | Table]) -> Node:
    """Arrange lines under their numbered items; without numbering, fall back to plain blocks."""
    markers = [
        _item_marker(line, tentative=True) if isinstance(line, str) else None for line in lines
    ]
    opens = _opens_run(lines, markers)
    if not opens and not any(marker and marker.sure for marker in markers):
        return _plain_outline(lines)
    root = Node()
    stack = [root]
    for n, (line, marker) in enumerate(zip(lines, markers, strict=True)):
        if isinstance(line, Table):
            del stack[1:]
            root.children.append(line)
            continue
        at = None
        if marker is not None:
            runs = [node.run for node in stack]
            at = place(runs, marker, opens_run=n in opens)
        if marker is not None and at is not None:
            join(runs, at, marker)
            del stack[at + 1 :]
            node = _open(marker, line)
            stack[-1].children.append(node)
            stack.append(node)
        elif starts_with_label(_unbulleted(line)):
            _add_fields(stack[-1], _unbulleted(line))
        else:
            if marker is not None and _looks_like_an_item(marker, stack):
                stack[-1].absorbed.append(line)
            _add_text(stack[-1], line)
    _lift_below(root)
    return root


def _looks_like_an_item(marker: Marker, stack: Sequence[Node]) -> bool:
    """A number that was not read as an item but sits where one of an open list could:
    "5，完成资助发放" inside item 3 of a list waiting for 4."""
    return any(
        marker.style in node.run.styles
        and node.run.last <= marker.value <= node.run.last + _SWALLOW_REACH
        for node in stack
    )


def _opens_run(lines: Sequence[str | Table], markers: Sequence[Marker | None]) -> set[int]:
    """Lines with a tentative 1 ("1.2021年度…") whose next number of the family is a 2."""
    opens: set[int] = set()
    following: int | None = None
    for n in range(len(lines) - 1, -1, -1):
        if isinstance(lines[n], Table):
            following = None
            continue
        marker = markers[n]
        if marker is None or marker.style is not Style.ARABIC:
            continue
        if marker.value == 1 and not marker.sure and following == 2:
            opens.add(n)
        following = marker.value
    return opens


def _lift_below(parent: Node) -> None:
    children = parent.nodes
    # Counted once per group: a crafted text with thousands of siblings stays linear.
    fielded = sum(_is_fielded_item(child) for child in children)
    for child in children:
        lift_trailing_fields(child, fielded_neighbours=fielded - _is_fielded_item(child))


def lift_trailing_fields(node: Node, fielded_neighbours: int) -> None:
    """Give fields written after an item's sub-steps back to the item.

    "（一）task / （1）step / （2）step / 责任领导：…" attaches the field lines to （2）, the
    innermost open line; they describe （一）. Lifted when the fields sit only on the last
    sub-step, below it, and either there are several sub-steps or neighbouring items carry
    their own fields (so a lone sub-step is not mistaken for the task).
    """
    _lift_below(node)
    children = node.nodes
    if node.fields or not children:
        return
    last = children[-1]
    others_bare = not any(child.has_fields_below() for child in children[:-1])
    if (
        last.fields
        and not last.inline
        and not any(grandchild.has_fields_below() for grandchild in last.nodes)
        and others_bare
        and (len(children) >= 2 or fielded_neighbours > 0)
    ):
        node.fields, last.fields = last.fields, []
        node.field_lines, last.field_lines = last.field_lines, []


def _item_marker(line: str, *, tentative: bool = False) -> Marker | None:
    marker = read_marker(line, tentative=tentative)
    # "- 责任领导：…" is a field written as a list entry, not a sub-item.
    return None if marker is None or starts_with_label(marker.rest) else marker


def _unbulleted(line: str) -> str:
    marker = read_marker(line)
    return marker.rest if marker is not None else line


def _is_fielded_item(node: Node) -> bool:
    """Fields of its own and none below: a task, not a section heading with defaults."""
    return bool(node.fields) and not any(child.has_fields_below() for child in node.nodes)


def _fields_of(line: str) -> Split:
    """Labelled fields, or else a closing duty bracket: （市发改委牵头，市财政局配合）."""
    split = split_fields(line)
    if split.fields:
        return split
    return trailing_duties(line) or split


def _open(marker: Marker, line: str) -> Node:
    split = _fields_of(marker.rest)
    title, rest = _lead_sentence(split.text.strip())
    node = Node(marker=marker, line=line, title=[title] if title else [])
    node.fields = list(split.fields)
    node.inline = bool(split.fields)
    node.after_title = rest
    node.can_wrap = not split.fields and not rest and _looks_wrapped(line)
    return node


def _add_fields(node: Node, line: str) -> None:
    node.can_wrap = False
    node.fields.extend(split_fields(line).fields)
    node.field_lines.append(line)


def _add_text(node: Node, line: str) -> None:
    if node.marker is None:
        return  # preamble before the first item
    split = _fields_of(line)
    text = split.text.strip()
    if node.can_wrap and text and len(text) <= _WRAP_MAX_CONTINUATION:
        node.title.append(text)
        node.fields.extend(split.fields)
        node.inline = node.inline or bool(split.fields)
        node.can_wrap = not split.fields and _looks_wrapped(line)
        return
    node.can_wrap = False
    if text:
        node.notes.append(_tidy(text))
    if split.fields:
        node.fields.extend(split.fields)
        node.field_lines.append(line)


def _looks_wrapped(line: str) -> bool:
    return len(line) >= _WRAP_MIN_LINE and not line.rstrip().endswith(tuple(_TERMINAL))


def _tidy(text: str) -> str:
    """ "…事故。（责任单位：…）。" loses its fields and would end "事故。。": keep one mark."""
    return _DOUBLED_STOP.sub(r"\1", text)


def _lead_sentence(text: str) -> tuple[str, str]:
    """Split "加强理论学习。组织全体干部……" into the title and the rest."""
    text = _tidy(text)
    if "。" not in text.rstrip("。"):
        return text, ""
    for i, (ch, depth) in enumerate(zip(text, depths(text), strict=True)):
        if ch == "。" and depth == 0 and text[i + 1 :].strip():
            return text[:i], text[i + 1 :].strip()
    return text, ""


def _plain_outline(lines: Sequence[str | Table]) -> Node:
    """Items without numbering: the last text line before a block of fields is the title."""
    root = Node()
    pending: list[str] = []
    last: Node | None = None
    for line in lines:
        if isinstance(line, Table):
            root.children.append(line)
            pending, last = [], None
        elif starts_with_label(_unbulleted(line)):
            line = _unbulleted(line)
            if pending:
                last = _plain_node(pending[-1])
                root.children.append(last)
                pending = []
            if last is not None:
                _add_fields(last, line)
        else:
            split = split_fields(line)
            if split.fields and split.text.strip():
                last = _plain_node(split.text.strip())
                last.fields.extend(split.fields)
                last.inline = True
                root.children.append(last)
                pending = []
            else:
                pending.append(line)
                last = None
    return root


def _plain_node(text: str) -> Node:
    title, rest = _lead_sentence(text)
    return Node(line=text, title=[title], after_title=rest)
