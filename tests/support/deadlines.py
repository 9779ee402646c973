"""What tests ask of the deadline reader: just the date a deadline means."""

from datetime import date

from plans.deadline import read_deadline


def parse_deadline(text: str, *, year: int | None, month: int | None) -> date | None:
    """The date a deadline means in a plan for year/month, or None."""
    return read_deadline(text, year=year, month=month).date
