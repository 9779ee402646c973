"""The monthly 通报 in the chat's language: its phrases from the catalogue, its HTML lines, and
the chart title and caption (the chart itself is /stats's renderer, bot/exports/chart.py)."""

from __future__ import annotations

from bot.i18n import t
from bot.views.render import esc
from plans.bulletin import Bulletin, BulletinPhrases, BulletinText, compose_bulletin
from plans.summary import layout_for, month_label


def bulletin_phrases(locale: str) -> BulletinPhrases:
    def p(name: str) -> str:
        return t(locale, f"bulletin.{name}")

    return BulletinPhrases(
        layout=layout_for(locale),
        title=p("title"),
        planned=p("planned"),
        standing=p("standing"),
        no_items=p("no_items"),
        by_department=p("by_department"),
        department=p("department"),
        no_departments=p("no_departments"),
        overdue_departments=p("overdue_departments"),
        no_overdue=p("no_overdue"),
        closing=p("closing"),
        no_rate=t(locale, "stats.no_rate"),
        list_sep=t(locale, "list.sep"),
    )


def bulletin_text(bulletin: Bulletin, locale: str) -> BulletinText:
    return compose_bulletin(bulletin, bulletin_phrases(locale))


def bulletin_caption(bulletin: Bulletin, locale: str) -> str:
    """The chart's caption (plain text)."""
    month = month_label(bulletin.year, bulletin.month, layout_for(locale))
    return t(locale, "bulletin.caption", month=month)


def bulletin_lines(bulletin: Bulletin, locale: str) -> list[str]:
    """The bulletin as Telegram HTML lines: the title bold, a blank line between paragraphs,
    the departments' ranking one line each."""
    text = bulletin_text(bulletin, locale)
    if bulletin.empty:
        # One sentence: there is nothing to rank or chart.
        return [esc(block) for _, block in text.blocks]
    lines = [f"<b>{esc(text.title)}</b>"]
    for kind, block in text.blocks:
        if kind != "entry":
            lines.append("")
        lines.append(esc(block))
    return [*lines, "", t(locale, "bulletin.explain")]
