"""Item numbers: the number written in the document, unique within the plan, and what is wrong.

The number written is the item's identity (`/done 12` means the document's item 12), so it is
kept, gaps and all. Items without a number take the next free one. When sections (or the
section rows of a table) start their lists again at 1, the written numbers cannot tell items
apart, and items are numbered in order through the document instead.
"""

from __future__ import annotations

from collections.abc import Sequence

from plans.items import Draft

# "缺第4、5、6项" is read at a glance; a longer run is written as a range.
_LIST_AT_MOST = 3


def assign_seqs(drafts: Sequence[Draft]) -> tuple[list[int], list[str]]:
    """Each draft's seq, and one warning per gap, repeat or step back in the numbering."""
    # Two items numbered 1: sections (or section rows of a table) each start their own list.
    if sum(d.number == 1 for d in drafts) > 1:
        return list(range(1, len(drafts) + 1)), _section_warnings(drafts)
    return _as_written(drafts)


def _as_written(drafts: Sequence[Draft]) -> tuple[list[int], list[str]]:
    written = {d.number for d in drafts if d.number is not None}
    used: set[int] = set()
    seqs: list[int] = []
    warnings: list[str] = []
    first_title: dict[int, str] = {}
    previous = 0  # the last number written, for gaps
    last_seq = 0
    for draft in drafts:
        number = draft.number
        if number is not None and number not in used:
            if number > previous + 1:
                # A number given to a repeat is not missing: the repeat's warning says so.
                gone = written | used
                missing = [n for n in range(previous + 1, number) if n not in gone]
                if missing:
                    warnings.append(_gap(previous, number, missing))
            elif number <= previous:
                warnings.append(f"编号顺序颠倒：第{previous}项之后是第{number}项")
            previous = number
            seq = number
            first_title[number] = draft.title
        else:
            seq = last_seq + 1
            while seq in used or seq in written:
                seq += 1
            if number is not None:
                warnings.append(
                    f"第{number}项编号重复：“{first_title.get(number, '')}”和“{draft.title}”"
                    f"都编为{number}，后者按第{seq}项导入"
                )
        used.add(seq)
        seqs.append(seq)
        last_seq = seq
    return seqs, warnings


def _gap(previous: int, number: int, missing: list[int]) -> str:
    if len(missing) <= _LIST_AT_MOST:
        gone = "、".join(map(str, missing))
    else:
        gone = f"{missing[0]}至{missing[-1]}"
    if previous == 0:
        return f"编号不连续：第一项编为第{number}项，缺第{gone}项"
    return f"编号不连续：第{previous}项之后是第{number}项，缺第{gone}项"


def _section_warnings(drafts: Sequence[Draft]) -> list[str]:
    """Gaps and repeats inside each section's own list, named by the section and the markers."""
    warnings: list[str] = []
    last: dict[int, Draft] = {}
    for draft in drafts:
        before = last.get(draft.group)
        if draft.number is None:
            continue
        last[draft.group] = draft
        if before is None or before.number is None or draft.number == 1:
            continue  # the first of its list, or a list starting again under a new heading
        where = f"“{draft.section}”中" if draft.section else ""
        if draft.number == before.number:
            warnings.append(f"{where}编号{draft.marker}重复")
        elif draft.number != before.number + 1:
            warnings.append(f"{where}编号不连续：{before.marker}之后是{draft.marker}")
    return warnings
