from __future__ import annotations

from datetime import date

import pytest

from jobs.status import MARKERS, item_marker

TODAY = date(2020, 10, 28)


@pytest.mark.parametrize(
    ("deadline", "done", "progress", "has_report", "expected"),
    [
        (date(2020, 10, 27), True, 100, True, "done"),
        (date(2020, 10, 20), True, 0, False, "done"),  # done late is still done
        (None, True, 0, False, "done"),
        (date(2020, 10, 27), False, 90, True, "overdue"),
        (date(2020, 9, 30), False, 0, False, "overdue"),
        (date(2020, 10, 28), False, 80, True, "near"),  # due today, well along
        (date(2020, 10, 28), False, 49, True, "behind"),
        (date(2020, 10, 31), False, 40, True, "behind"),  # 3 days left, under half
        (date(2020, 10, 31), False, 50, True, "near"),  # exactly half is not behind
        (date(2020, 10, 31), False, 90, False, "behind"),  # nobody has reported yet
        (date(2020, 11, 1), False, 0, False, "near"),  # 4 days left: near, not yet behind
        (date(2020, 11, 4), False, 0, False, "near"),  # 7 days left
        (date(2020, 11, 5), False, 0, False, "ok"),  # 8 days left
        (None, False, 0, False, "ok"),
    ],
)
def test_item_marker(
    deadline: date | None, done: bool, progress: int, has_report: bool, expected: str
) -> None:
    marker = item_marker(
        deadline=deadline, today=TODAY, done=done, progress=progress, has_report=has_report
    )
    assert marker == expected


def test_near_days_widens_the_blue_window() -> None:
    kwargs = {"today": TODAY, "done": False, "progress": 0, "has_report": False}
    assert item_marker(deadline=date(2020, 11, 11), near_days=14, **kwargs) == "near"  # type: ignore[arg-type]
    assert item_marker(deadline=date(2020, 11, 11), **kwargs) == "ok"  # type: ignore[arg-type]


def test_markers_are_the_three_colours() -> None:
    assert MARKERS == {"done": "✅", "overdue": "🔴", "behind": "🟡", "near": "🔵", "ok": ""}
