"""An item's departments as every view shows them (issue 16 §1): the lead departments, each with
its own part's state when there are several, then the partners (配合) apart and never with a
state. One renderer for /plan, /item, /mine, reminders and the exports, so they all agree:

    组织部 ✅ · 工联会 60% · 宣教部 🟣 待审核｜配合：办公室     (chat, several leads)
    组织部｜配合：办公室                                        (one lead: as before parts)
    组织部（已完成）、工联会（进度 60%）｜配合：办公室           (exports: `words=True`)

Names go through `name` (escaped by default: the chat's HTML; a reminder adds its mentions;
the exports pass them as they are); the catalogue's pieces hold no markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Protocol, TypeVar

from bot.i18n import t
from bot.views.render import esc
from storage.models import PartStatus


class PartLike(Protocol):
    """What showing a part needs: storage.parts.Part, jobs.entries.DepartmentRef and
    plans.summary.ReportPart all have it."""

    @property
    def name(self) -> str: ...
    @property
    def required(self) -> bool: ...
    @property
    def status(self) -> str: ...
    @property
    def progress(self) -> int: ...


P = TypeVar("P", bound=PartLike)


def _escaped(part: PartLike) -> str:
    return esc(part.name)


def part_state(part: PartLike, locale: str, *, words: bool = False) -> str:
    """✅, 🟣 待审核, 60%, or "" for an open part without progress (the name says enough);
    in words (the exports) every state is named."""
    kind = "word" if words else "mark"
    if part.status == PartStatus.DONE.value:
        return t(locale, f"parts.{kind}.done")
    if part.status == PartStatus.REVIEW.value:
        return t(locale, f"parts.{kind}.review")
    if part.progress:
        return t(locale, f"parts.{kind}.progress", percent=part.progress)
    return t(locale, "parts.word.open") if words else ""


def part_label(part: P, locale: str, *, name: Callable[[P], str], words: bool = False) -> str:
    state = part_state(part, locale, words=words)
    if not state:
        return name(part)
    return t(locale, "parts.word" if words else "parts.part", name=name(part), state=state)


def partners_label(names: Sequence[str], locale: str) -> str:
    """ "｜配合：办公室" after the lead departments, "" without partners (names as given)."""
    if not names:
        return ""
    return t(locale, "parts.partners", names=t(locale, "list.sep").join(names))


def departments_label(
    parts: Sequence[P],
    locale: str,
    *,
    name: Callable[[P], str] = _escaped,
    words: bool = False,
    states: bool = True,
) -> str:
    """The lead departments (with their parts' states when there are several and `states`:
    a done item says its day instead), then the partners; (无) for an item without any."""
    leads = [p for p in parts if p.required]
    partners = [name(p) for p in parts if not p.required]
    if states and len(leads) > 1:
        sep = t(locale, "list.sep") if words else t(locale, "parts.sep")
        shown = sep.join(part_label(p, locale, name=name, words=words) for p in leads)
    else:
        shown = t(locale, "list.sep").join(name(p) for p in leads)
    if not shown and not partners:
        return t(locale, "none")
    if not shown:
        # Only partners (an old plan's item, or one that lost its leads by /edit): say so.
        shown = t(locale, "none")
    return shown + partners_label(partners, locale)


def review_time_words(elapsed: timedelta, locale: str) -> str:
    """How long a part was in review (销号 − its claim): minutes under an hour, hours under a
    day, days and hours beyond (rounded down): 45分钟, 3小时, 1天3小时 / 45 min, 3 h, 1 d 3 h."""
    minutes = max(int(elapsed.total_seconds()) // 60, 0)
    hours, days = minutes // 60, minutes // (24 * 60)
    if hours < 1:
        return t(locale, "review.time.minutes", minutes=minutes)
    if days < 1:
        return t(locale, "review.time.hours", hours=hours)
    if hours % 24 == 0:
        return t(locale, "review.time.days", days=days)
    return t(locale, "review.time.days_hours", days=days, hours=hours % 24)
