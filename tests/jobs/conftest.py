"""One Chinese calendar for the whole session: each year it is asked about is read only once."""

from __future__ import annotations

import pytest

from jobs.calendar import WorkCalendar


@pytest.fixture(scope="session")
def cn() -> WorkCalendar:
    return WorkCalendar("CN")
