"""The hostile suite's figures (tests/hostile): how many inputs it sent through the bot and
what went wrong, summed over the xdist workers and printed at the end of the run.

A pytest plugin (tests/conftest.py loads it). Each worker hands its totals to the controller
in `workeroutput`; the controller (or a run without xdist) adds them up and prints one section,
the figures the README's Reliability section quotes.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

# In the order they are printed; the last five are failures and stay 0 on a green run.
FIGURES = {
    "inputs": "inputs tried (messages and button presses)",
    "crashes": "crashes (an exception in the bot, or the generic error reply)",
    "invalid_html": "messages Telegram would refuse (invalid HTML, too long)",
    "data_changed": "refused inputs that changed a database row",
    "unanswered_callbacks": "button presses not answered exactly once",
    "commands_not_answered_once": "typed commands not answered exactly once",
}
_KEY = "hostile_figures"
_totals: Counter[str] = Counter()


def count(**figures: int) -> None:
    """Add to this process's totals (keys from FIGURES)."""
    unknown = set(figures) - set(FIGURES)
    if unknown:
        raise KeyError(f"not a hostile figure: {sorted(unknown)}")
    _totals.update(figures)


def totals() -> dict[str, int]:
    return {name: _totals[name] for name in FIGURES}


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput: dict[str, Any] | None = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput[_KEY] = dict(_totals)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """xdist, on the controller: a worker finished; add its totals."""
    _totals.update(getattr(node, "workeroutput", {}).get(_KEY, {}))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _totals["inputs"]:
        return
    terminalreporter.section("hostile inputs (tests/hostile)")
    for name, label in FIGURES.items():
        terminalreporter.write_line(f"{_totals[name]:>7}  {label}")
