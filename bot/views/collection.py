"""How progress collection (进展报送) looks: the ask, edited as answers arrive, its chase, and
the setting's line in /remind.

The ask lists each department asked, its members pinged where it is the department's to
answer (bot/views/mentions.py), ✅ 已报送 / ⏳ 未报送, and its items by number. A long ask goes
out as several messages, each with whole departments, so an answer edits only its own.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.i18n import t
from bot.views.mentions import mention
from bot.views.reminder import Part, day_label, seq_ranges, time_label
from bot.views.render import MAX_MESSAGE, esc, visible_length
from jobs.collection import AskedItem, DepartmentAsk, RoundContent
from jobs.entries import MessageContent, PersonRef
from jobs.policy import ReminderPolicy

_LIMIT = MAX_MESSAGE - 96
MAX_TITLE = 120
_INDENT = "　　"


def _people(people: tuple[PersonRef, ...], locale: str) -> str:
    pinged = [mention(p.name, p.tg_user_id) for p in people if p.mention]
    return (
        t(locale, "collection.people", names=t(locale, "list.sep").join(pinged)) if pinged else ""
    )


def _short(title: str) -> str:
    return title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1] + "…"


def _ask_header(department: DepartmentAsk, locale: str) -> str:
    state = t(locale, "collection.reported" if department.reported else "collection.waiting")
    return t(
        locale,
        "collection.department",
        name=esc(department.name),
        people=_people(department.people, locale),
        state=state,
    )


def _ask_item(item: AskedItem) -> str:
    mark = "✅ " if item.reported else ""
    return f"{_INDENT}{mark}{item.seq}. {esc(_short(item.title))}"


def _chase_line(department: DepartmentAsk, locale: str) -> str:
    seqs = seq_ranges([i.seq for i in department.items], locale)
    return t(
        locale,
        "collection.chase_department",
        name=esc(department.name),
        people=_people(department.people, locale),
        seqs=seqs,
    )


def _head(content: MessageContent, round_: RoundContent, locale: str) -> list[str]:
    day = day_label(content.as_of, locale)
    first = round_.departments[0].items[0].seq if round_.departments else 1
    if round_.kind == "report":
        title = (
            t(locale, "collection.ask_title_department", department=esc(round_.department), day=day)
            if round_.department
            else t(locale, "collection.ask_title", day=day)
        )
        return [title, t(locale, "collection.ask_intro", seq=first)]
    return [
        t(locale, "collection.chase_title"),
        t(locale, "collection.chase_intro", day=day, seq=first),
    ]


def _blocks(round_: RoundContent, locale: str) -> list[tuple[str, list[tuple[int, str]]]]:
    """Each department's first line and its item lines (item id, line); a chase names the
    items on the department's line."""
    if round_.kind == "report":
        return [
            (_ask_header(d, locale), [(i.item_id, _ask_item(i)) for i in d.items])
            for d in round_.departments
        ]
    return [(_chase_line(d, locale), []) for d in round_.departments]


def render_round(content: MessageContent) -> list[Part]:
    """The messages of a round's ask or chase, in order. Departments are kept whole in one
    message where they fit; one too long for a message goes on in the next, its line again."""
    round_ = content.collection
    assert round_ is not None
    locale = content.locale or "zh_CN"
    head = _head(content, round_, locale)
    tail: list[str] = []
    if round_.kind == "report_chase" and round_.leaders:
        names = t(locale, "list.sep").join(mention(p.name, p.tg_user_id) for p in round_.leaders)
        tail = ["", t(locale, "collection.chase_leaders", leaders=names)]
    elif round_.kind == "report":
        done = sum(d.reported for d in round_.departments)
        tail = ["", t(locale, "collection.tally", done=done, total=len(round_.departments))]
    room = _LIMIT - sum(visible_length(line) + 1 for line in [*head, *tail])
    parts: list[Part] = []
    body: list[str] = []
    items: list[int] = []
    size = 0

    def flush() -> None:
        nonlocal size
        if body:
            text = "\n".join([*head, *body, *tail])
            parts.append(Part(text=text, item_ids=tuple(items), buttons=(), kind=round_.kind))
        body.clear()
        items.clear()
        size = 0

    def add(lines: list[str]) -> None:
        nonlocal size
        body.extend(lines)
        size += sum(visible_length(line) + 1 for line in lines)

    for department, (first, rows) in zip(round_.departments, _blocks(round_, locale), strict=True):
        whole = ["", first, *(line for _, line in rows)]
        if body and size + sum(visible_length(line) + 1 for line in whole) > room:
            flush()
        add(["", first])
        if not rows:  # a chase: the department's items are on its line
            items.extend(i.item_id for i in department.items if i.item_id not in items)
        for item_id, line in rows:
            if size + visible_length(line) + 1 > room:
                flush()
                add(["", first])
            add([line])
            if item_id not in items:  # an item several departments lead: listed once
                items.append(item_id)
    flush()
    return parts


# --- /remind ---------------------------------------------------------------------------------


def report_when(policy: ReminderPolicy, locale: str) -> str | None:
    """ "每周五 16:00" / "每月25日 16:00"; None when the collection is off."""
    spec = policy.report_spec
    if spec is None:
        return None
    if spec.weekday is not None:
        weekday = t(locale, "reminder.weekdays").split(",")[spec.weekday]
        return t(locale, "collection.when_weekly", weekday=weekday, time=f"{spec.at:%H:%M}")
    return t(locale, "collection.when_monthly", day=spec.day, time=f"{spec.at:%H:%M}")


def chase_when(policy: ReminderPolicy, locale: str, *, exact: bool = True) -> str:
    """When the chase goes; `exact=False` leaves the chat's reminder time unnamed."""
    chase = policy.chase_spec
    if chase is None:
        return t(locale, "collection.chase_off")
    if chase.at is None and not exact:
        return t(locale, "collection.chase_morning")
    at = chase.at or policy.remind_at
    return t(locale, "collection.chase_next", time=f"{at:%H:%M}")


def report_lines(
    policy: ReminderPolicy, next_at: datetime | None, tz: ZoneInfo, locale: str
) -> list[str]:
    """The collection's line in /remind (and `/remind report` alone)."""
    when = report_when(policy, locale)
    if when is None:
        return [t(locale, "collection.setting_off")]
    lines = [t(locale, "collection.setting", when=when, chase=chase_when(policy, locale))]
    if next_at is not None:
        lines.append(t(locale, "collection.next", when=time_label(next_at, tz, locale)))
    return lines
