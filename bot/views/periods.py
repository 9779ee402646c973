"""How a plan's period is named: in sentences ("2020年10月", "2024年第一季度", "2023年") and in
item references (2020-10#3, 2024Q1#3, 2023#3)."""

from __future__ import annotations

from bot.i18n import t


def period_label(year: int, month: int, quarter: int, locale: str) -> str:
    """Month 0 is a quarter's plan (quarter 1–4) or the year's (quarter 0)."""
    if month:
        return t(locale, "period.month", year=year, month=month)
    if quarter:
        return t(locale, f"period.quarter.{quarter}", year=year)
    return t(locale, "period.year", year=year)


def period_key(year: int, month: int, quarter: int) -> str:
    """A plan's period as commands and the board's links take it: 2020-10, 2024Q1, 2023."""
    if month:
        return f"{year}-{month:02d}"
    if quarter:
        return f"{year}Q{quarter}"
    return f"{year}"


def ref_label(year: int, month: int, quarter: int, seq: int) -> str:
    """An item of a given plan as commands take it (plans.itemref)."""
    return f"{period_key(year, month, quarter)}#{seq}"
