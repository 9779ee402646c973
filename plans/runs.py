"""Which open list a numbered line continues, read from the run of numbers, not the style alone.

Several people editing one document give one list many faces: 1. 2、 3． 4 . 5， then 五、 or
（6）. A number that continues an open list (4 after 3) belongs to it whatever its style; a
style already used by a list continues that list even with a gap or a repeat; anything else
opens a list one level deeper.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from plans.numbering import Marker, Style


@dataclass(slots=True)
class Run:
    """One list of numbered lines: the styles it is written in and its last number."""

    styles: set[Style] = field(default_factory=set)
    # Styles used by lists nested under this one: "一、… 1. 2. 二、… 3." continues the inner
    # numbering across sections, so a 3. there must not join the 一、二、 list.
    below: set[Style] = field(default_factory=set)
    last: int = 0

    def expects(self, marker: Marker) -> bool:
        return bool(self.styles) and marker.value == self.last + 1


def place(runs: Sequence[Run], marker: Marker, *, opens_run: bool = False) -> int | None:
    """The index of the run the marker joins; the last index opens a new (empty) run.

    runs go from the outermost list to the innermost open one; the last run is the list
    that would hold children of the innermost open line. None: in this place the marker is
    not an item number (a tentative "2.2021年度" that no list expects is text).
    opens_run: a tentative 1 followed later by a 2 of the same family starts a list.
    """
    inner_first = range(len(runs) - 1, -1, -1)
    for i in inner_first:
        if marker.style in runs[i].styles and runs[i].expects(marker):
            return i
    if not marker.sure:
        return len(runs) - 1 if marker.value == 1 and opens_run else None
    for i in inner_first:
        if marker.style in runs[i].styles:
            return i  # a gap, a repeat or a bullet: the style says which list
    if marker.style is not Style.BULLET:
        for i in inner_first:
            run = runs[i]
            if run.expects(marker) and Style.BULLET not in run.styles:
                if marker.style not in run.below:
                    return i
    return len(runs) - 1


def join(runs: Sequence[Run], at: int, marker: Marker) -> None:
    """Record that the marker was placed in runs[at]."""
    runs[at].styles.add(marker.style)
    runs[at].last = marker.value
    for outer in runs[:at]:
        outer.below.add(marker.style)
