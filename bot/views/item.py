"""How one item looks in the chat: its line in a listing, its card with history, the sentences
about it (missing, refused, done …) and the buttons that ask about it.

Every value from users or documents is escaped here; the catalogue's markup is trusted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import t
from bot.views.buttons import DONE, item_callback
from bot.views.parts import departments_label, review_time_words
from bot.views.periods import period_label
from bot.views.render import esc
from jobs.status import MARKERS, item_marker
from storage.item_queries import REPORT_KINDS
from storage.models import DeletedItem, Item, ItemEvent, ItemEventKind, ItemStatus
from storage.part_states import lead_links
from storage.parts import Review, parts_of, review_times
from storage.rows import row_id

DELETE_PREFIX = "itdel:"
DELETE_OK, DELETE_CANCEL = "ok", "no"
# Button labels carry a title's start; Telegram shows about this much on a phone.
_BUTTON_TITLE = 24
# Characters of a deadline's wording that only restate its date ("十月份", "10月15日前").
_DATE_WORDS = re.compile(
    r"[\d〇零一二两三四五六七八九十年月日号份底前初中下上旬末止内\s\-/.,，、；;()（）]"
)


@dataclass(frozen=True, slots=True)
class Display:
    """What rendering needs besides the item: the language, the office's day and zone."""

    locale: str
    today: date
    tz: ZoneInfo


def month_label(year: int, month: int, locale: str, quarter: int = 0) -> str:
    if not month:  # a quarter's or the year's plan
        return period_label(year, month, quarter, locale)
    return t(locale, "items.month", year=year, month=month)


def names_label(names: Sequence[str], locale: str) -> str:
    return esc(t(locale, "list.sep").join(names)) if names else t(locale, "none")


def ref_label(item: Item, locale: str) -> str:
    return t(locale, "items.ref", seq=item.seq, title=esc(item.title))


def deadline_label(item: Item | DeletedItem, locale: str) -> str:
    """The date, plus the document's words when they say more than the date does."""
    words = item.deadline_text.strip()
    if item.deadline is None:
        return esc(words) if words else t(locale, "none")
    if words and _DATE_WORDS.sub("", words):
        return f"{item.deadline.isoformat()}（{esc(words)}）"
    return item.deadline.isoformat()


def marker(item: Item, display: Display, has_report: bool) -> str:
    return MARKERS[
        item_marker(
            deadline=item.deadline,
            today=display.today,
            done=item.status == ItemStatus.DONE.value,
            progress=item.progress,
            has_report=has_report,
        )
    ]


def _local_day(instant: datetime | None, tz: ZoneInfo) -> str:
    return instant.astimezone(tz).date().isoformat() if instant else ""


def progress_label(item: Item | DeletedItem, display: Display) -> str:
    if item.status == ItemStatus.DONE.value:
        return t(display.locale, "items.done_on", date=_local_day(item.done_at, display.tz))
    return t(display.locale, "items.progress", percent=item.progress)


def fields_label(
    leaders: Sequence[str], departments: str, deadline: str, progress: str, locale: str
) -> str:
    """The second line of an item; `departments` already rendered (HTML)."""
    return t(
        locale,
        "items.fields",
        leaders=names_label(leaders, locale),
        departments=departments,
        deadline=deadline,
        progress=progress,
    )


def item_lines(
    item: Item, display: Display, has_report: bool, *, label: str = "", partner: bool = False
) -> list[str]:
    """Two lines: marker, number and title; leaders, departments (each lead department's part
    when there are several, partners apart), deadline, progress. `partner`: listed for a
    department that is only a partner of it (配合), which the title line says."""
    sign = marker(item, display, has_report)
    head = f"{sign} " if sign else ""
    number = esc(label) if label else f"{item.seq}."
    fields = fields_label(
        [p.name for p in item.leaders],
        departments_label(
            parts_of(item), display.locale, states=item.status != ItemStatus.DONE.value
        ),
        deadline_label(item, display.locale),
        progress_label(item, display),
        display.locale,
    )
    mark = t(display.locale, "parts.partner_mark") if partner else ""
    return [f"{head}<b>{number}</b> {esc(item.title)}{mark}", "　　" + fields]


# -- sentences about one item -----------------------------------------------------------------


def example_line(locale: str, command: str) -> str:
    return esc(t(locale, f"cmd.{command}.example"))


def refusal_line(item: Item, locale: str) -> str:
    return t(
        locale,
        "items.refused",
        seq=item.seq,
        leaders=names_label([p.name for p in item.leaders], locale),
        # Those who may record done: the responsible (lead) departments, not the partners.
        departments=names_label([link.department.name for link in lead_links(item)], locale),
    )


def note_line(note: str, locale: str) -> list[str]:
    return [t(locale, "items.note", note=esc(note))] if note else []


def done_already_line(item: Item, display: Display) -> str:
    return t(
        display.locale,
        "done.already",
        item=ref_label(item, display.locale),
        date=_local_day(item.done_at, display.tz),
    )


def _done_callback(item_id: int) -> str:
    return item_callback(DONE, item_id)


def choice_keyboard(
    items: Sequence[Item],
    *,
    mark: str = "✅",
    callback: Callable[[int], str] = _done_callback,
) -> InlineKeyboardMarkup:
    """One button per item: "✅ 3. title…", its data `callback(item id)` (by default the
    item's Done button)."""
    rows = []
    for item in items:
        title = item.title if len(item.title) <= _BUTTON_TITLE else item.title[:_BUTTON_TITLE] + "…"
        rows.append(
            [
                InlineKeyboardButton(
                    f"{mark} {item.seq}. {title}", callback_data=callback(row_id(item))
                )
            ]
        )
    return InlineKeyboardMarkup(rows)


def delete_keyboard(item_id: int, locale: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t(locale, "delete.button.ok"),
                    callback_data=f"{DELETE_PREFIX}{DELETE_OK}:{item_id}",
                ),
                InlineKeyboardButton(
                    t(locale, "delete.button.cancel"),
                    callback_data=f"{DELETE_PREFIX}{DELETE_CANCEL}:{item_id}",
                ),
            ]
        ]
    )


# -- /item: the card and its history ----------------------------------------------------------


def _value(field: str, value: Any, locale: str) -> str:
    if isinstance(value, list):
        return names_label(value, locale)
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if field == "status" and value in ("open", "done"):
        return t(locale, f"items.status.{value}")
    if value is None or value == "":
        return t(locale, "none")
    if field == "progress":
        return f"{value}%"
    return esc(value)


def _changes(before: dict[str, Any], after: dict[str, Any], locale: str) -> str:
    parts = []
    for field, new in after.items():
        old = before.get(field)
        if old == new:
            continue
        parts.append(
            t(
                locale,
                "items.hist.change",
                field=t(locale, f"items.field.{field}"),
                old=_value(field, old, locale),
                new=_value(field, new, locale),
            )
        )
    return t(locale, "items.change_sep").join(parts)


def _what(update: ItemEvent, locale: str) -> str:
    """What an update did, as one short phrase (without its note)."""
    data = update.data or {}
    kind = update.kind
    if kind == ItemEventKind.PROGRESS.value:
        return t(locale, "items.hist.progress", percent=update.percent)
    if kind == ItemEventKind.EDIT.value:
        if data.get("added"):
            return t(locale, "items.hist.added")
        return t(
            locale,
            "items.hist.edit",
            changes=_changes(data.get("before") or {}, data.get("after") or {}, locale),
        )
    if kind == ItemEventKind.IMPORT.value:
        # Imports store {"field": [old, new]}.
        pairs = {k: v for k, v in data.items() if isinstance(v, list) and len(v) == 2}
        if not pairs:
            return t(locale, "items.hist.import_plain")
        before = {k: v[0] for k, v in pairs.items()}
        after = {k: v[1] for k, v in pairs.items()}
        return t(locale, "items.hist.import", changes=_changes(before, after, locale))
    if kind == ItemEventKind.UNDO.value:
        undone = str(data.get("kind", ""))
        return t(
            locale, "items.hist.undo", what=t(locale, f"items.kind.{undone}") if undone else ""
        )
    if kind in (ItemEventKind.EXTEND.value, ItemEventKind.SNOOZE.value):
        # Written by the extension and reminder features; show the new date when they give one.
        day = data.get("new_deadline") or data.get("until") or data.get("snoozed_until")
        key = "items.hist.extend" if kind == ItemEventKind.EXTEND.value else "items.hist.snooze"
        return t(locale, f"{key}_to", date=esc(day)) if day else t(locale, key)
    if kind in (ItemEventKind.DONE, ItemEventKind.NOTE, ItemEventKind.ACK, ItemEventKind.REOPEN):
        return t(locale, f"items.hist.{kind}")
    return esc(kind)


def _local_time(instant: datetime, tz: ZoneInfo) -> str:
    return instant.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def _part_departments(update: ItemEvent) -> list[int]:
    """The departments whose parts a history row changed (storage/parts.py writes
    "department_ids" for several, "department_id" for one); none for the whole item's."""
    data = update.data or {}
    several = data.get("department_ids")
    if isinstance(several, list):
        return [i for i in several if isinstance(i, int)]
    one = data.get("department_id")
    return [one] if isinstance(one, int) else []


def history_line(
    update: ItemEvent,
    display: Display,
    departments: Mapping[int, str] | None = None,
    review_time: timedelta | None = None,
) -> str:
    """One history entry; a change of one department's part (storage/parts.py) names the
    department when `departments` (id → name, the item's) knows it, and an approval (销号) its
    time in review when given (storage.parts.review_times)."""
    locale = display.locale
    when = _local_time(update.created_at, display.tz)
    who = esc(update.author_name) if update.author_name else t(locale, "items.bot")
    approved = (update.data or {}).get("review") == Review.APPROVED.value
    what = t(locale, "parts.hist_approved") if approved else _what(update, locale)
    named = [departments[i] for i in _part_departments(update) if departments and i in departments]
    if named and review_time is not None:
        what += t(
            locale,
            "parts.hist_review",
            department=names_label(named, locale),
            time=review_time_words(review_time, locale),
        )
    elif named:
        what += t(locale, "parts.hist", department=names_label(named, locale))
    line = t(display.locale, "item.entry", when=when, who=who, what=what)
    if update.text:
        line += f" — {esc(update.text)}"
    return line


def card_lines(
    item: Item,
    history: Sequence[ItemEvent],
    display: Display,
    *,
    month: tuple[int, int] | tuple[int, int, int],
) -> list[str]:
    """/item: the item as in /plan, its content, then everything that happened to it."""
    has_report = any(u.kind in REPORT_KINDS for u in history)
    # (year, month[, quarter]): month 0 is a quarter's or the year's plan.
    lines = [f"<i>{month_label(month[0], month[1], display.locale, *month[2:])}</i>"]
    lines += item_lines(item, display, has_report)
    if item.content.strip():
        lines.append(t(display.locale, "item.content", content=esc(item.content.strip())))
    departments = {p.department_id: p.name for p in parts_of(item)}
    return lines + history_lines(history, display, departments)


def history_lines(
    history: Sequence[ItemEvent],
    display: Display,
    departments: Mapping[int, str] | None = None,
) -> list[str]:
    lines = ["", t(display.locale, "item.history")]
    if not history:
        lines.append(t(display.locale, "item.no_history"))
    times = review_times(history)
    return lines + [
        # A deleted item's history is shown from unsaved copies without ids: no review time.
        history_line(update, display, departments, times.get(update.id or 0))
        for update in history
    ]


def deleted_lines(record: DeletedItem, history: Sequence[ItemEvent], display: Display) -> list[str]:
    """/item N of a deleted item: who deleted it, when and how, what it was, its history."""
    locale = display.locale
    progress = progress_label(record, display)
    fields = fields_label(
        record.leaders,
        names_label(record.departments, locale),
        deadline_label(record, locale),
        progress,
        locale,
    )
    who = esc(record.deleted_by_name) if record.deleted_by_name else t(locale, "items.bot")
    headline = t(
        locale,
        "item.deleted",
        item=t(locale, "items.ref", seq=record.seq, title=esc(record.title)),
        when=_local_time(record.deleted_at, display.tz),
        who=who,
        how=t(locale, f"item.deleted_how.{record.how}"),
    )
    lines = [f"<i>{month_label(record.year, record.month, locale)}</i>", "🗑 " + headline]
    lines.append(t(locale, "item.deleted_fields", fields=fields))
    if record.content.strip():
        lines.append(t(locale, "item.content", content=esc(record.content.strip())))
    return lines + history_lines(history, display)


def kind_label(kind: str, locale: str) -> str:
    return t(locale, f"items.kind.{kind}")


def state_label(item: Item, locale: str) -> str:
    if item.status == ItemStatus.DONE.value:
        return t(locale, "undo.state_done")
    return t(locale, "undo.state_open", percent=item.progress)


def later_change_label(update: ItemEvent, locale: str) -> str:
    return _what(update, locale)
