"""How reminders and digests look: one chat's content as Telegram messages, and /remind.

A reminder lists every item due in the chat, each as a small block (title; deadline and days
left or overdue; leaders and departments with the people pinged; supervisors when escalated;
who has confirmed). Edited in place after a change, a done item reads ✅ without its buttons
and a snoozed one says the day it is reminded again. A digest lists items one per line, with
its 🔵🟡🔴 marker. When there is more than fits one message (4096 characters, or more items
than buttons fit under it), it goes out as several, each with the header and the buttons of
its own items, so a reply or a button maps back to exactly the items that message shows.

Every value from users or documents is escaped here; the catalogue's markup is trusted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot.i18n import t
from bot.views.bulletin import bulletin_lines
from bot.views.buttons import item_buttons
from bot.views.mentions import mention
from bot.views.parts import departments_label
from bot.views.periods import period_label, ref_label
from bot.views.render import MAX_MESSAGE, esc, plain, split_lines, visible_length
from jobs.digests import BULLETIN, bulletin_time
from jobs.entries import DepartmentRef, Entry, MessageContent, PersonRef, Section
from jobs.policy import ReminderPolicy
from jobs.settings import Upcoming
from jobs.status import MARKERS
from plans.bulletin import Bulletin

# Reminder items per message: three buttons each, and Telegram takes about 100 per keyboard.
MAX_ITEMS = 30
# Characters of an item's title shown in a reminder or digest.
MAX_TITLE = 300
# Room left for Telegram's own counting quirks.
_LIMIT = MAX_MESSAGE - 96
# Characters of a deadline's wording that only restate its date ("十月份", "10月15日前").
_DATE_WORDS = re.compile(
    r"[\d〇零一二两三四五六七八九十年月日号份底前初中下上旬末止内\s\-/.,，、；;()（）]"
)
_INDENT = "　　"


@dataclass(frozen=True, slots=True)
class Part:
    """One Telegram message of a chat's content."""

    text: str
    item_ids: tuple[int, ...]
    # (item id, seq) of the reminders in it: they get buttons.
    buttons: tuple[tuple[int, int], ...]
    # "reminder" when it carries reminders, "plan" for the month's plan, else "digest".
    kind: str

    def keyboard(self, locale: str) -> InlineKeyboardMarkup | None:
        return item_buttons(list(self.buttons), locale) if self.buttons else None


# --- small labels ---------------------------------------------------------------------------


def day_label(day: date, locale: str) -> str:
    weekday = t(locale, "reminder.weekdays").split(",")[day.weekday()]
    return t(locale, "reminder.day", month=day.month, day=day.day, weekday=weekday)


def time_label(at: datetime, tz: ZoneInfo, locale: str) -> str:
    local = at.astimezone(tz)
    weekday = t(locale, "reminder.weekdays").split(",")[local.weekday()]
    return t(
        locale,
        "reminder.time",
        month=local.month,
        day=local.day,
        weekday=weekday,
        time=f"{local:%H:%M}",
    )


def plan_label(year: int, month: int, locale: str, quarter: int = 0) -> str:
    if not month:  # a quarter's or the year's plan
        return period_label(year, month, quarter, locale)
    return t(locale, "digest.plan", year=year, month=month)


def seq_ranges(seqs: Sequence[int], locale: str) -> str:
    """1, 2, 3, 5 → "1–3、5": a reminder often lists a whole plan."""
    ordered = sorted(set(seqs))
    runs: list[tuple[int, int]] = []
    for n in ordered:
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    parts = [str(a) if a == b else f"{a}–{b}" for a, b in runs]
    return t(locale, "list.sep").join(parts)


def _person(person: PersonRef, locale: str) -> str:
    if person.mention and person.tg_user_id is not None:
        return mention(person.name or t(locale, "reminder.supervisor"), person.tg_user_id)
    return esc(person.name or t(locale, "reminder.supervisor"))


def _people(people: Sequence[PersonRef], locale: str) -> str:
    return t(locale, "list.sep").join(_person(p, locale) for p in people) or t(locale, "none")


def _department(department: DepartmentRef, locale: str) -> str:
    pinged = [p for p in department.people if p.mention]
    if not pinged:
        return esc(department.name)
    return f"{esc(department.name)}（{_people(pinged, locale)}）"


def _departments(departments: Sequence[DepartmentRef], locale: str, *, states: bool) -> str:
    """The lead departments with their pings (and their parts' states when there are
    several), the partners apart, as every view shows them (bot/views/parts.py)."""
    return departments_label(
        departments, locale, name=lambda d: _department(d, locale), states=states
    )


def deadline_label(entry: Entry, locale: str) -> str:
    """The date, plus the document's words when they say more than the date does."""
    words = entry.deadline_text.strip()
    if entry.deadline is None:
        return esc(words) if words else t(locale, "reminder.no_deadline")
    shown = entry.deadline.isoformat()
    if entry.recurring and not words:
        words = t(locale, "reminder.recurring")
    if words and _DATE_WORDS.sub("", words):
        return f"{shown}（{esc(words)}）"
    return shown


def when_label(days_left: int | None, locale: str) -> str:
    if days_left is None:
        return ""
    if days_left < 0:
        return t(locale, "reminder.overdue", n=-days_left)
    if days_left == 0:
        return t(locale, "reminder.due_today")
    if days_left == 1:
        return t(locale, "reminder.due_tomorrow")
    return t(locale, "reminder.days_left", n=days_left)


def _short(title: str) -> str:
    # A title pasted with its whole paragraph must not make one item outgrow a message.
    return title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1] + "…"


def _label(entry: Entry, several_plans: bool) -> str:
    if several_plans:
        return ref_label(entry.plan_year, entry.plan_month, entry.plan_quarter, entry.seq)
    return f"{entry.seq}."


def _ack_line(entry: Entry, locale: str) -> str | None:
    if entry.acks is None:
        return None
    sep = t(locale, "list.sep")
    parts = []
    if entry.acks.confirmed:
        parts.append(t(locale, "reminder.confirmed", names=esc(sep.join(entry.acks.confirmed))))
    if entry.acks.waiting:
        parts.append(t(locale, "reminder.waiting", names=esc(sep.join(entry.acks.waiting))))
    return "　".join(parts) if parts else None


# --- blocks ---------------------------------------------------------------------------------


def _done(entry: Entry) -> bool:
    """Done since the reminder went out (a new reminder never lists a done item)."""
    return entry.marker == "done"


def reminder_block(entry: Entry, locale: str, *, several_plans: bool = False) -> list[str]:
    done = _done(entry)
    head = f"{MARKERS['done']} " if done else "🔴 " if entry.escalated else ""
    title = esc(_short(entry.title))
    when = t(locale, "reminder.done") if done else when_label(entry.days_left, locale)
    lines = [
        head + t(locale, "reminder.item", label=_label(entry, several_plans), title=title),
        _INDENT + t(locale, "reminder.deadline", deadline=deadline_label(entry, locale), when=when),
        _INDENT
        + t(
            locale,
            "reminder.people",
            leaders=_people(entry.leaders, locale),
            departments=_departments(entry.departments, locale, states=not done),
        ),
    ]
    if done:
        # Nothing is left to confirm or snooze once it is done.
        return lines
    if entry.snoozed_until is not None:
        lines.append(
            _INDENT + t(locale, "reminder.snoozed", day=day_label(entry.snoozed_until, locale))
        )
    ack = _ack_line(entry, locale)
    if ack:
        lines.append(_INDENT + ack)
    return lines


def digest_line(entry: Entry, locale: str, *, several_plans: bool = False) -> str:
    sign = MARKERS[entry.marker]
    when = when_label(entry.days_left, locale)
    deadline = deadline_label(entry, locale)
    extra = []
    if when and entry.marker != "done":
        deadline = f"{deadline}，{when}" if locale == "zh_CN" else f"{deadline}, {when}"
    if entry.progress and entry.marker != "done":
        extra.append(t(locale, "reminder.progress", percent=entry.progress))
    if entry.acks is not None and entry.acks.waiting and entry.marker != "done":
        sep = t(locale, "list.sep")
        extra.append(t(locale, "reminder.waiting", names=esc(sep.join(entry.acks.waiting))))
    return t(
        locale,
        "digest.line",
        marker=f"{sign} " if sign else "",
        label=_label(entry, several_plans),
        title=esc(_short(entry.title)),
        deadline=deadline,
        extra="".join(f" · {x}" for x in extra),
    )


def _header(content: MessageContent, locale: str) -> str:
    first = content.sections[0]
    day = day_label(content.as_of, locale)
    if first.kind == "reminders":
        if content.department:
            return t(
                locale, "reminder.title_department", department=esc(content.department), day=day
            )
        return t(locale, "reminder.title", day=day)
    return _section_title(first, locale, day=day, alone=True)


def _section_title(section: Section, locale: str, *, day: str, alone: bool) -> str:
    plan = plan_label(
        section.plan_year or 0, section.plan_month or 0, locale, section.plan_quarter or 0
    )
    if section.kind == "month":
        key = "digest.month_title" if alone else "digest.month_rest"
        return t(locale, key, plan=plan, n=len(section.entries), day=day)
    key = "digest.weekly_title" if alone else "digest.weekly_rest"
    return t(locale, key, plan=plan, day=day)


# --- the whole content ----------------------------------------------------------------------


@dataclass(slots=True)
class _Block:
    lines: list[str]
    entry: Entry
    reminder: bool
    section: Section


def render(content: MessageContent) -> list[Part]:
    """The Telegram messages carrying `content`, in order."""
    if content.collection is not None:
        # Progress collection's own layout; imported here, as that module builds on this one.
        from bot.views.collection import render_round

        return render_round(content)
    locale = content.locale or "zh_CN"
    if content.bulletin is not None:
        return bulletin_parts(content.bulletin, locale)
    plans = {
        (e.plan_year, e.plan_month, e.plan_quarter) for s in content.sections for e in s.entries
    }
    several = len(plans) > 1
    blocks: list[_Block] = []
    for section in content.sections:
        for entry in section.entries:
            if section.kind == "reminders":
                lines = reminder_block(entry, locale, several_plans=several)
                blocks.append(_Block(lines, entry, True, section))
            else:
                line = digest_line(entry, locale, several_plans=several)
                blocks.append(_Block([line], entry, False, section))
    header = _header(content, locale)
    day = day_label(content.as_of, locale)

    parts: list[Part] = []
    current: list[_Block] = []
    body: list[str] = []
    size = visible_length(header)

    def lines_for(block: _Block, previous: _Block | None) -> list[str]:
        """What adding `block` after `previous` adds to a message's lines."""
        if block.reminder:
            return ["", *block.lines]
        if previous is None or previous.section is not block.section:
            if block.section is not content.sections[0]:
                title = _section_title(block.section, locale, day=day, alone=False)
                return ["", title, *block.lines]
            return ["", *block.lines]
        return block.lines

    def footer(chunk: list[_Block]) -> list[str]:
        supervised = [
            b.entry for b in chunk if b.reminder and b.entry.supervisors and not _done(b.entry)
        ]
        if not supervised:
            return []
        # Once per message, not under every item: the supervisors see the list above.
        names = _people(supervised[0].supervisors, locale)
        numbers = seq_ranges([e.seq for e in supervised], locale)
        return ["", t(locale, "reminder.supervisors", names=names, seqs=numbers)]

    def flush() -> None:
        if not current:
            return
        reminders = [b for b in current if b.reminder]
        if reminders:
            kind = "reminder"
        else:
            kind = "plan" if current[0].section.kind == "month" else "digest"
        parts.append(
            Part(
                text="\n".join([header, *body, *footer(current)]),
                item_ids=tuple(b.entry.item_id for b in current),
                # A done item's buttons are gone: there is nothing left to press for it.
                buttons=tuple(
                    (b.entry.item_id, b.entry.seq) for b in reminders if not _done(b.entry)
                ),
                kind=kind,
            )
        )
        current.clear()
        body.clear()

    # Room for the supervisors' line, which comes last.
    reserve = visible_length("\n".join(footer([b for b in blocks if b.reminder])))
    for block in blocks:
        added = lines_for(block, current[-1] if current else None)
        grow = sum(visible_length(line) + 1 for line in added)
        too_many = block.reminder and sum(b.reminder for b in current) >= MAX_ITEMS
        if current and (too_many or size + grow + reserve > _LIMIT):
            flush()
            size = visible_length(header)
            added = lines_for(block, None)
            grow = sum(visible_length(line) + 1 for line in added)
        current.append(block)
        body.extend(added)
        size += grow
    flush()
    return parts


def bulletin_parts(bulletin: Bulletin, locale: str) -> list[Part]:
    """The month-end 通报's text, as /bulletin shows it (its chart follows: the notifier)."""
    return [Part(text, (), (), BULLETIN) for text in split_lines(bulletin_lines(bulletin, locale))]


def plain_text(content: MessageContent) -> str:
    """The content as a reader sees it, for `planbot remind --dry-run`."""
    return "\n\n".join(plain(part.text) for part in render(content))


def mentioned(content: MessageContent) -> list[str]:
    """Who the content pings, each once, for the dry run's "to whom"."""
    names: dict[str, None] = {}
    for section in content.sections:
        for e in section.entries:
            people = [*e.leaders, *e.supervisors, *(p for d in e.departments for p in d.people)]
            for p in people:
                if p.mention and p.tg_user_id is not None:
                    names.setdefault(f"{p.name or '?'} ({p.tg_user_id})", None)
    return list(names)


# --- /remind --------------------------------------------------------------------------------


def policy_lines(
    policy: ReminderPolicy, *, tz: ZoneInfo, country: str, workdays_only: bool, locale: str
) -> list[str]:
    at = f"{policy.remind_at:%H:%M}"
    lines = [
        t(locale, "remind.title"),
        t(locale, "remind.enabled" if policy.enabled else "remind.disabled"),
        t(locale, "remind.at" if workdays_only else "remind.at_every_day", time=at, zone=tz.key),
        days_line(policy.days_before, locale),
    ]
    # Without workdays_only every day counts, for the reminders and for the escalation.
    daily = "" if workdays_only else "_every_day"
    if not policy.overdue:
        lines.append(t(locale, "remind.overdue_off"))
    elif policy.escalate_after:
        lines.append(t(locale, "remind.overdue" + daily, n=policy.escalate_after))
    else:
        lines.append(t(locale, "remind.overdue_no_escalation" + daily))
    spec = policy.digest_spec
    lines.append(
        t(locale, "remind.digest", when=digest_when(policy, locale))
        if spec
        else t(locale, "remind.digest_off")
    )
    lines.append(t(locale, "remind.month_post" if policy.month_post else "remind.month_post_off"))
    lines.append(bulletin_line(policy, locale))
    lines.append(
        t(locale, "remind.calendar", country=esc(country))
        if workdays_only
        else t(locale, "remind.calendar_off")
    )
    return lines


def bulletin_line(policy: ReminderPolicy, locale: str) -> str:
    """Whether the month's 通报 is posted on its last working day, and at what time."""
    if not policy.bulletin:
        return t(locale, "remind.bulletin_off")
    return t(locale, "remind.bulletin_on", time=f"{bulletin_time(policy):%H:%M}")


def days_text(days: Sequence[int], locale: str) -> str:
    """(7, 3, 1, 0) → "提前 7、3、1 天和到期当天"."""
    before = [d for d in days if d > 0]
    listed = t(locale, "list.sep").join(map(str, before))
    if before and 0 in days:
        return t(locale, "remind.days_and_due", days=listed)
    if before:
        return t(locale, "remind.days_list", days=listed)
    return t(locale, "remind.days_due") if 0 in days else ""


def days_line(days: Sequence[int], locale: str) -> str:
    if not days:
        return t(locale, "remind.days_none")
    return t(locale, "remind.days", days=days_text(days, locale))


def digest_when(policy: ReminderPolicy, locale: str) -> str:
    spec = policy.digest_spec
    if spec is None:
        return ""
    weekday = t(locale, "reminder.weekdays").split(",")[spec.weekday]
    return t(locale, "remind.digest_when", weekday=weekday, time=f"{spec.at:%H:%M}")


def upcoming_lines(upcoming: Sequence[Upcoming], tz: ZoneInfo, locale: str) -> list[str]:
    lines = [t(locale, "remind.upcoming")]
    if not upcoming:
        lines.append(t(locale, "remind.none_upcoming"))
        return lines
    for u in upcoming:
        plans: dict[tuple[int, int], list[int]] = {}
        for year, month, seq in u.items:
            plans.setdefault((year, month), []).append(seq)
        if len(plans) == 1:
            (seqs,) = plans.values()
            items = t(locale, "remind.upcoming_items", seqs=seq_ranges(seqs, locale))
        else:
            items = "；".join(
                t(
                    locale,
                    "remind.upcoming_plan_items",
                    plan=plan_label(y, m, locale),
                    seqs=seq_ranges(seqs, locale),
                )
                for (y, m), seqs in sorted(plans.items())
            )
        lines.append(
            t(
                locale,
                "remind.upcoming_line",
                marker="🔴 " if u.escalated else "",
                when=time_label(u.fire_at, tz, locale),
                items=items,
            )
        )
    return lines
