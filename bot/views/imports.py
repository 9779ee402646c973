"""What the bot shows for an import: the preview, the result, and refusals."""

from __future__ import annotations

from bot.i18n import t
from bot.imports import ImportOutcome, ImportRefused, ItemRef
from bot.render import esc
from plans.model import ParsedItem, ParsedPlan


def _names(names: list[str], locale: str) -> str:
    return esc(t(locale, "list.sep").join(names)) if names else t(locale, "none")


def _deadline(item: ParsedItem, locale: str) -> str:
    if item.deadline is None:
        return esc(item.deadline_text) if item.deadline_text else t(locale, "none")
    if item.deadline_text:
        return f"{esc(item.deadline_text)}（{item.deadline.isoformat()}）"
    return item.deadline.isoformat()


def _refs(refs: list[ItemRef]) -> str:
    return esc("、".join(f"{r.seq}. {r.title}" for r in refs))


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
            departments=_names(item.departments, locale),
            deadline=_deadline(item, locale),
        ),
    ]


def change_lines(outcome: ImportOutcome, locale: str) -> list[str]:
    if outcome.created:
        return []
    lines = [t(locale, "import.existing", year=outcome.year, month=outcome.month)]
    if outcome.added:
        lines.append(t(locale, "import.added", n=len(outcome.added), items=_refs(outcome.added)))
    if outcome.changed:
        lines.append(
            t(locale, "import.changed", n=len(outcome.changed), items=_refs(outcome.changed))
        )
    if outcome.removed:
        lines.append(
            t(locale, "import.removed", n=len(outcome.removed), items=_refs(outcome.removed))
        )
    if not (outcome.added or outcome.changed or outcome.removed):
        lines.append(t(locale, "import.unchanged"))
    return lines


def preview_lines(parsed: ParsedPlan, outcome: ImportOutcome, locale: str) -> list[str]:
    lines = [
        t(
            locale,
            "import.preview_title",
            title=esc(parsed.title or ""),
            year=outcome.year,
            month=outcome.month,
            n=len(parsed.items),
        )
    ]
    for item in parsed.items:
        lines += item_lines(item, locale)
    for warning in parsed.warnings:
        lines.append("⚠️ " + esc(warning))
    lines += change_lines(outcome, locale)
    lines.append(t(locale, "import.confirm_prompt"))
    return lines


def result_line(outcome: ImportOutcome, locale: str) -> str:
    text = t(
        locale,
        "import.done",
        year=outcome.year,
        month=outcome.month,
        n=outcome.item_count,
        added=len(outcome.added),
        changed=len(outcome.changed),
    )
    if outcome.removed:
        key = "import.done_removed" if outcome.removed_deleted else "import.done_kept"
        text += t(locale, key, n=len(outcome.removed))
    return text
