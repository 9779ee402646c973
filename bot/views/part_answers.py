"""How the chat answers a report on a department's own part (issue 16 §1):
"✅ 组织部 的部分已完成（2/3）", a part's progress, the refusal of an assisting department's
member, a part reopened. How an item's parts are shown in every view is bot/views/parts.py."""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n import t
from bot.views.item import names_label, ref_label
from bot.views.render import esc
from storage.models import DepartmentRole, Item, PartStatus
from storage.part_states import lead_links


def done_count(item: Item) -> tuple[int, int]:
    """How many of the item's lead parts are done, of how many (links loaded)."""
    leads = lead_links(item)
    return sum(link.status == PartStatus.DONE.value for link in leads), len(leads)


def part_done_line(item: Item, departments: Sequence[str], author: str, locale: str) -> str:
    """A department's part recorded done: how many parts are, or that the item is done now."""
    done, total = done_count(item)
    names = names_label(departments, locale)
    label = ref_label(item, locale)
    if done == total:
        return t(locale, "parts.done_all", item=label, departments=names, author=esc(author))
    return t(
        locale,
        "parts.done",
        item=label,
        departments=names,
        done=done,
        total=total,
        author=esc(author),
    )


def many_part_line(item: Item, departments: Sequence[str], locale: str) -> str:
    """`/done 1-3`: one item's line when the report was the sender's departments' part."""
    done, total = done_count(item)
    return t(
        locale,
        "parts.many_done",
        item=ref_label(item, locale),
        departments=names_label(departments, locale),
        done=done,
        total=total,
    )


def part_progress_line(
    item: Item, departments: Sequence[str], percent: int, author: str, locale: str
) -> str:
    return t(
        locale,
        "parts.progress",
        item=ref_label(item, locale),
        departments=names_label(departments, locale),
        percent=percent,
        total=item.progress,
        author=esc(author),
    )


def assist_refusal_line(item: Item, locale: str) -> str:
    """To a member of the item's assisting departments only: informed, not responsible; who
    may report instead."""
    assisting = [
        link.department.name
        for link in item.department_links
        if link.role == DepartmentRole.ASSIST.value
    ]
    return t(
        locale,
        "parts.refused_assist",
        departments=names_label(assisting, locale),
        seq=item.seq,
        leaders=names_label([p.name for p in item.leaders], locale),
        leads=names_label([link.department.name for link in lead_links(item)], locale),
    )


def lead_names(item: Item, locale: str) -> str:
    return names_label([link.department.name for link in lead_links(item)], locale)
