"""Field labels (责任领导：…) and table column headers, with their synonyms."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from plans.brackets import OPENERS, closing_index, depths
from plans.spacing import squeeze


class Kind(StrEnum):
    LEADERS = "leaders"
    DEPARTMENTS = "departments"
    # 配合单位: departments informed of the task, not responsible for it (ParsedItem.partners).
    PARTNERS = "partners"
    DEADLINE = "deadline"
    # Table columns only.
    SEQ = "seq"
    TITLE = "title"
    CONTENT = "content"


FIELD_LABELS: dict[Kind, tuple[str, ...]] = {
    Kind.LEADERS: ("责任领导", "分管领导", "牵头领导", "主管领导", "负责领导", "责任人", "负责人"),
    Kind.DEPARTMENTS: (
        "责任部室",
        "责任部门",
        "责任单位",
        "责任科室",
        # County bureaus have 股 (sections) rather than 科 or 处.
        "责任股室",
        "牵头股室",
        "责任处室",
        "牵头单位",
        "牵头部门",
        "牵头部室",
        "承办单位",
        "承办部门",
    ),
    Kind.PARTNERS: ("配合单位", "配合部门", "配合部室", "协办单位", "协助单位"),
    Kind.DEADLINE: (
        "完成时限",
        "完成时间",
        "完成期限",
        "时间节点",
        "时间要求",
        "截止时间",
        "截止日期",
        "时限",
    ),
}
# Table headers use the field labels and many more words; a header cell is matched by the
# words inside it ("预计完成时间", "具体工作任务", "责任部门/人", "责任单位（部门）").
COLUMN_LABELS: dict[Kind, tuple[str, ...]] = {
    Kind.LEADERS: (*FIELD_LABELS[Kind.LEADERS], "包保领导", "联系领导", "领导"),
    Kind.DEPARTMENTS: (
        *FIELD_LABELS[Kind.DEPARTMENTS],
        "主办单位",
        "主办部门",
        "承办处室",
        "牵头处室",
        "负责部门",
        "负责单位",
        "负责处室",
        "负责科室",
        "主责单位",
        "主责部门",
        "责任主体",
        "实施单位",
        "部门",
        "单位",
        "处室",
        "科室",
    ),
    Kind.PARTNERS: (*FIELD_LABELS[Kind.PARTNERS], "配合处室", "配合科室", "协办部门", "参与单位"),
    Kind.DEADLINE: (
        *FIELD_LABELS[Kind.DEADLINE],
        "办结时限",
        "起止日期",
        "起止时间",
        "时间安排",
        "完成日期",
        "时间",
        "日期",
    ),
    Kind.SEQ: ("序号", "编号", "序"),
    Kind.TITLE: (
        "工作任务",
        "工作内容",
        "工作事项",
        "重点工作",
        "主要工作",
        "工作项目",
        "工作要点",
        "工作名称",
        "任务名称",
        "任务内容",
        "主要任务",
        "重点任务",
        "具体任务",
        "项目名称",
        "计划标题",
        "标题",
        "任务",
        "事项",
        "项目",
    ),
    Kind.CONTENT: (
        "具体措施",
        "工作措施",
        "主要措施",
        "推进措施",
        "具体举措",
        "工作举措",
        "工作目标",
        "目标要求",
        "具体要求",
        "工作要求",
        "工作标准",
        "具体内容",
        "主要内容",
        "备注",
    ),
}
FIELD_KINDS = (Kind.LEADERS, Kind.DEPARTMENTS, Kind.PARTNERS, Kind.DEADLINE)

_BY_LABEL = {label: kind for kind, labels in FIELD_LABELS.items() for label in labels}
# Longest first so 完成时限 wins over 时限 at the same position.
_LABEL = re.compile(
    "(" + "|".join(sorted(_BY_LABEL, key=len, reverse=True)) + r")[ \t\u3000]*[:：]"
)
# "【完成时限】十月份" writes the label in brackets, with or without a colon.
_BRACKETED = re.compile(
    r"[【\[〔]\s*(" + "|".join(sorted(_BY_LABEL, key=len, reverse=True)) + r")\s*[】\]〕]\s*[:：]?"
)
_VALUE_EDGES = " \t\u3000；;，,、。."
# Spaces padding a header ("序  号"), line breaks inside it (joined as "；"), emphasis marks.
_HEADER_NOISE = re.compile(r"[\s；;：:*]")
_MAX_HEADER = 20
_LABELLED_VALUE = re.compile(r"[:：][\s\u3000]*[^\s\u3000*]")
_COLUMN_WORDS = sorted(
    ((label, kind) for kind, labels in COLUMN_LABELS.items() for label in labels),
    key=lambda pair: len(pair[0]),
    reverse=True,
)


@dataclass(frozen=True, slots=True)
class Field:
    kind: Kind
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Split:
    """A line cut into its own text and the labelled fields written in it."""

    text: str
    fields: tuple[Field, ...] = ()


def has_label(line: str) -> bool:
    return _LABEL.search(_unbracket(line)) is not None


def starts_with_label(line: str) -> bool:
    """True for a field line: "责任领导：…", also "（责任领导：…）" or "【完成时限】：…"."""
    line = _unbracket(line)
    return _LABEL.match(line.lstrip(" \t\u3000" + OPENERS)) is not None


def split_fields(line: str) -> Split:
    """Separate "做好档案工作（责任领导：董军；责任部室：办公室）" into text and fields.

    A field's value runs to the next label at the same bracket depth, so a value may itself
    hold brackets ("区委宣传部（区文明办）") or commas between names.
    """
    line = _unbracket(line)
    matches = list(_LABEL.finditer(line))
    if not matches:
        return Split(line)
    level = depths(line)
    first = matches[0]
    base = level[first.start()]
    if base == 0:
        return Split(line[: first.start()], _values(line, matches, level, 0, len(line)))
    open_at = _enclosing_opener(line, first.start(), level)
    close_at = closing_index(line, open_at)
    end = len(line) if close_at is None else close_at
    inside = [m for m in matches if m.start() < end]
    fields = _values(line, inside, level, base, end)
    after = split_fields(line[end + 1 :]) if close_at is not None else Split("")
    return Split(line[:open_at] + after.text, fields + after.fields)


def _unbracket(line: str) -> str:
    """ "【完成时限】十月份" → "完成时限：十月份"."""
    if "【" not in line and "[" not in line and "〔" not in line:
        return line
    return _BRACKETED.sub(r"\1：", line)


def column_kind(cell: str) -> Kind | None:
    """The meaning of a table header cell by the words inside it.

    "责任领导", "完成时限（时间节点）", "序 号", "预计完成时间", "责任部门/人": the longest
    known word inside the cell decides, the earlier one on a tie ("责任单位/责任人" is a
    department column). A cell longer than any header is text, not a header.
    """
    if _LABELLED_VALUE.search(cell):
        return None  # "填报单位：办公室" above a table is a label with its value, not a header
    name = _HEADER_NOISE.sub("", squeeze(cell))
    if not name or len(name) > _MAX_HEADER:
        return None
    best: tuple[int, int, Kind] | None = None
    for label, kind in _COLUMN_WORDS:
        if best is not None and len(label) < best[0]:
            break  # longest first: nothing shorter can win
        if len(label) == 1 and name != label:
            continue  # "序" alone, never inside another word
        at = name.find(label)
        if at >= 0 and (best is None or at < -best[1]):
            best = (len(label), -at, kind)
    return None if best is None else best[2]


def _values(
    line: str, matches: list[re.Match[str]], level: list[int], base: int, end: int
) -> tuple[Field, ...]:
    # Labels nested deeper than the first one belong to some value's text, not to us.
    ours = [m for m in matches if level[m.start()] == base]
    fields = []
    for n, match in enumerate(ours):
        stop = ours[n + 1].start() if n + 1 < len(ours) else end
        value = line[match.end() : stop].strip(_VALUE_EDGES)
        fields.append(Field(_BY_LABEL[match.group(1)], match.group(1), value))
    return tuple(fields)


def _enclosing_opener(line: str, position: int, level: list[int]) -> int:
    depth = level[position]
    for i in range(position - 1, -1, -1):
        if line[i] in OPENERS and level[i] == depth:
            return i
    return 0
