"""The summary draft and the month's figures as Telegram HTML lines."""

from __future__ import annotations

from bot.i18n import t
from bot.views.render import esc
from plans.summary import GroupStats, MonthStats, SummaryDraft


def summary_lines(draft: SummaryDraft, locale: str) -> list[str]:
    """One line per block with a blank line between, so splitting falls between paragraphs."""
    lines: list[str] = []
    for kind, text in draft.blocks():
        if lines:
            lines.append("")
        lines.append(f"<b>{esc(text)}</b>" if kind in ("title", "heading") else esc(text))
    return [*lines, "", t(locale, "summary.draft_note")]


def _rate(value: float | None, locale: str) -> str:
    return t(locale, "stats.no_rate") if value is None else f"{value * 100:.0f}%"


def _figures(group: GroupStats, locale: str) -> dict[str, object]:
    return {
        "total": group.total,
        "done": group.done,
        "rate": _rate(group.completion_rate, locale),
        "on_time": group.on_time,
        "due": group.due,
        "on_time_rate": _rate(group.on_time_rate, locale),
    }


def stats_lines(stats: MonthStats, locale: str, month: str) -> list[str]:
    lines = [
        t(locale, "stats.title", month=esc(month)),
        t(locale, "stats.overall", **_figures(stats.overall, locale)),
    ]
    parts = (("stats.by_department", stats.departments), ("stats.by_leader", stats.leaders))
    for key, groups in parts:
        if groups:
            lines += ["", t(locale, key)]
            lines += [
                t(locale, "stats.line", name=esc(g.name), **_figures(g, locale)) for g in groups
            ]
            if key == "stats.by_department" and stats.by_parts:
                lines.append(t(locale, "parts.stats_note"))
    return [*lines, "", t(locale, "stats.explain")]
