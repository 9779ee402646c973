"""The benchmark runner's table: pure functions from figures to Markdown (run.py measures)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Goal:
    """A figure must stay below `limit` (`strict`: <; otherwise ≤), in `unit`."""

    limit: float
    unit: str
    strict: bool = True

    def __str__(self) -> str:
        return f"{'<' if self.strict else '≤'} {number(self.limit)}{_spaced(self.unit)}"


@dataclass(frozen=True, slots=True)
class Row:
    what: str
    planbot: float | None
    unit: str
    floor: float | None = None
    goal: Goal | None = None
    # Said instead of "yes"/"no (…)" when more than the number decides (e.g. 429s too).
    verdict: str | None = None


def number(value: float) -> str:
    """Whole numbers as they are, others to three significant figures at most; thousands
    separated: 3, 0.084, 12.3, 1,234."""
    if value == int(value):
        return f"{int(value):,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def _spaced(unit: str) -> str:
    return f" {unit}" if unit and unit != "×" else unit


def met(value: float | None, goal: Goal | None) -> str:
    """ "yes", or "no (by how much)": the excess and the figure as a multiple of the goal."""
    if goal is None:
        return "—"
    if value is None:
        return "not measured"
    if value < goal.limit or (not goal.strict and value == goal.limit):
        return "yes"
    over = value - goal.limit
    if goal.limit > 0:
        return f"no (+{number(over)}{_spaced(goal.unit)}, {value / goal.limit:.2f} × the goal)"
    return f"no (+{number(over)}{_spaced(goal.unit)})"


def cell(value: float | None, unit: str) -> str:
    return "—" if value is None else f"{number(value)}{_spaced(unit)}"


def markdown(rows: list[Row]) -> str:
    lines = ["| what | planbot | floor | goal | met |", "|---|---|---|---|---|"]
    for row in rows:
        goal = "—" if row.goal is None else str(row.goal)
        verdict = row.verdict if row.verdict is not None else met(row.planbot, row.goal)
        lines.append(
            f"| {row.what} | {cell(row.planbot, row.unit)} | {cell(row.floor, row.unit)} "
            f"| {goal} | {verdict} |"
        )
    return "\n".join(lines)
