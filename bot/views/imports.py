"""What the bot shows for an import: the preview, the result, and refusals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from bot.i18n import t
from bot.operations.imports import FieldRef, ImportedItemRef, ImportOutcome, ImportRefused
from bot.views.parts import partners_label
from bot.views.periods import period_label
from bot.views.reminder import seq_ranges
from bot.views.render import esc
from plans.model import ParsedItem, ParsedPlan
from storage.extensions import deadline_words
from storage.plans import FieldFate

# Content can be a paragraph; a preview line shows its start.
_CONTENT_SHOWN = 30
# A preview lists this many items and counts the rest. A group may get 20 messages a minute:
# a 1,000-item plan in full was 20 messages, and the answer to the confirm then waited a minute.
PREVIEW_ITEMS = 30
# A list of changed or new items names this many and counts the rest, for the same reason.
PREVIEW_REFS = 30


def _names(names: list[str], locale: str) -> str:
    return esc(t(locale, "list.sep").join(names)) if names else t(locale, "none")


def _deadline(item: ParsedItem, locale: str) -> str:
    if item.deadline is None:
        return esc(item.deadline_text) if item.deadline_text else t(locale, "none")
    if item.deadline_text:
        return f"{esc(item.deadline_text)}（{item.deadline.isoformat()}）"
    return item.deadline.isoformat()


def _period(outcome: ImportOutcome, locale: str) -> str:
    return period_label(outcome.year, outcome.month, outcome.quarter, locale)


def parsed_period(parsed: ParsedPlan, locale: str) -> str:
    """The period a parsed plan covers (its year and month are known by the time it is shown)."""
    return period_label(parsed.year or 0, parsed.month or 0, parsed.quarter or 0, locale)


def heading_line(parsed: ParsedPlan, locale: str) -> str:
    """What `import --dry-run` prints first: the title, the period and how many items."""
    title = esc(parsed.title) if parsed.title else t(locale, "plan.default_title")
    return t(
        locale,
        "import.heading",
        title=title,
        period=parsed_period(parsed, locale),
        n=len(parsed.items),
    )


def _refs(refs: list[ImportedItemRef], locale: str) -> str:
    named = esc("、".join(f"{r.seq}. {r.title}" for r in refs[:PREVIEW_REFS]))
    rest = [r.seq for r in refs[PREVIEW_REFS:]]
    if not rest:
        return named
    return named + t(locale, "import.more_refs", n=len(rest), seqs=seq_ranges(rest, locale))


def _departments(leads: list[str], partners: list[str], locale: str) -> str:
    """ "组织部、工联会", or with partners "组织部｜配合：办公室" (escaped)."""
    return _names(leads, locale) + partners_label([esc(name) for name in partners], locale)


def refusal_html(locale: str, refused: ImportRefused) -> str:
    """Why a text cannot be imported, with what the document said (a table's header) escaped."""
    details = {key: esc(value) for key, value in refused.details.items()}
    return t(locale, f"import.refused.{refused.problem.value}", **details)


def item_lines(item: ParsedItem, locale: str) -> list[str]:
    return [
        f"<b>{item.seq}.</b> {esc(item.title)}",
        "    "
        + t(
            locale,
            "import.item_fields",
            leaders=_names(item.leaders, locale),
            departments=_departments(item.departments, item.partners, locale),
            deadline=_deadline(item, locale),
        ),
    ]


def field_value(field: str, columns: dict[str, Any], year: int, locale: str) -> str:
    """One field's value as a preview line shows it (escaped)."""
    if field == "deadline":
        if columns.get("deadline_text"):
            return esc(columns["deadline_text"])
        if columns.get("deadline"):
            return esc(deadline_words(date.fromisoformat(columns["deadline"]), year))
        return t(locale, "items.field.recurring") if columns.get("recurring") else t(locale, "none")
    value = columns.get(field)
    if field == "departments":
        return _departments(value or [], columns.get("partners") or [], locale)
    if isinstance(value, list):
        return _names(value, locale)
    if value is None or value == "":
        return t(locale, "none")
    text = str(value)
    if field == "content" and len(text) > _CONTENT_SHOWN:
        text = text[:_CONTENT_SHOWN] + "…"
    return esc(text)


def field_line(change: FieldRef, year: int, locale: str) -> str:
    """ "第3项 完成时限：10月20日 → 10月31日", or for a chat change the document would revert,
    "第3项 完成时限：群里已延期至11月5日，文件仍写10月31日 — 保留群里的"."""
    values = {
        "seq": change.seq,
        "field": t(locale, f"items.field.{change.field}"),
        "old": field_value(change.field, change.old, year, locale),
        "new": field_value(change.field, change.new, year, locale),
        "how": t(locale, f"import.via.{change.via or 'edit'}"),
    }
    return t(locale, f"import.field.{change.fate.value}", **values)


def change_lines(outcome: ImportOutcome, locale: str) -> list[str]:
    if outcome.created:
        return []
    year = outcome.year
    lines = [t(locale, "import.existing", period=_period(outcome, locale))]
    if outcome.new_only:
        lines.append(
            t(
                locale,
                "import.added",
                n=len(outcome.new_only),
                items=_refs(outcome.new_only, locale),
            )
        )
    for old, new in outcome.replaced:
        lines.append(
            t(locale, "import.replaced", seq=new.seq, old=esc(old.title), new=esc(new.title))
        )
    if outcome.changed:
        lines.append(
            t(
                locale,
                "import.changed",
                n=len(outcome.changed),
                items=_refs(outcome.changed, locale),
            )
        )
        lines += [
            "    " + field_line(change, year, locale)
            for change in outcome.fields
            if change.fate is not FieldFate.KEPT
        ]
    if outcome.kept:
        lines.append(t(locale, "import.kept", n=len(outcome.kept)))
        lines += ["    " + field_line(change, year, locale) for change in outcome.kept]
    if outcome.removed:
        lines.append(
            t(
                locale,
                "import.removed",
                n=len(outcome.removed),
                items=_refs(outcome.removed, locale),
            )
        )
    if not (outcome.added or outcome.changed or outcome.removed or outcome.kept):
        lines.append(t(locale, "import.unchanged"))
    return lines


def preview_lines(
    parsed: ParsedPlan, outcome: ImportOutcome, locale: str, *, past: Sequence[int] = ()
) -> list[str]:
    """Title, then the warnings (loud and first: what may put a task under the wrong number or
    chase it at once), the items, what the import changes, and the question. `past`: the
    numbers of items whose deadline has gone by, named unless every item's has (that plan gets
    the archive note instead)."""
    lines = [
        t(
            locale,
            "import.preview_title",
            title=esc(parsed.title or ""),
            period=_period(outcome, locale),
            n=len(parsed.items),
        )
    ]
    for warning in parsed.warnings:
        lines.append("⚠️ " + esc(warning))
    if past and len(past) < len(parsed.items):
        items = "、".join(map(str, past))
        lines.append("⚠️ " + t(locale, "import.warn_past", items=items, n=len(past)))
    for item in parsed.items[:PREVIEW_ITEMS]:
        lines += item_lines(item, locale)
    rest = [item.seq for item in parsed.items[PREVIEW_ITEMS:]]
    if rest:
        lines.append(t(locale, "import.more_items", n=len(rest), seqs=seq_ranges(rest, locale)))
    lines += change_lines(outcome, locale)
    lines.append(t(locale, "import.confirm_prompt"))
    return lines


def past_lines(parsed: ParsedPlan, locale: str) -> list[str]:
    """The preview's note on a plan whose deadlines are all past (all_deadlines_past)."""
    latest = max(item.deadline for item in parsed.items if item.deadline is not None)
    return [t(locale, "import.all_past", latest=latest.isoformat())]


def result_line(outcome: ImportOutcome, locale: str) -> str:
    text = t(
        locale,
        "import.done",
        period=_period(outcome, locale),
        n=outcome.item_count,
        added=len(outcome.added),
        changed=len(outcome.changed),
    )
    if outcome.archived:
        text += t(locale, "import.done_archived")
    if outcome.replaced:
        text += t(locale, "import.done_replaced", n=len(outcome.replaced))
    if outcome.kept:
        text += t(locale, "import.done_chat_kept", n=len(outcome.kept))
    if outcome.removed:
        key = "import.done_removed" if outcome.removed_deleted else "import.done_kept"
        text += t(locale, key, n=len(outcome.removed))
    return text
