"""What the bot shows about people and departments: the /people and /dept lists."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.i18n import t
from bot.views.mentions import mention
from bot.views.render import esc
from storage.models import Department, Person


def person_label(person: Person) -> str:
    """A person by their plan name, clickable when bound."""
    return mention(person.name, person.tg_user_id)


def account_label(tg_user_id: int, username: str | None, full_name: str | None = None) -> str:
    """A Telegram account by @username, else its name, else its id; always clickable."""
    if username:
        label = "@" + username
    elif full_name:
        label = full_name
    else:
        label = f"ID {tg_user_id}"
    return mention(label, tg_user_id)


def _person_line(person: Person, locale: str) -> str:
    if person.tg_user_id is None:
        return f"• {esc(person.name)}{t(locale, 'people.unbound')}"
    username = f" @{esc(person.username)}" if person.username else ""
    return f"• {person_label(person)}{username}"


def people_lines(people: Sequence[Person], leader_ids: set[int], locale: str) -> list[str]:
    """The chat's people: leaders named in plans first, then everyone else; who is bound."""
    if not people:
        return [t(locale, "people.empty")]
    bound = sum(1 for p in people if p.tg_user_id is not None)
    lines = [t(locale, "people.title", n=len(people), bound=bound)]
    leaders = [p for p in people if p.id in leader_ids]
    others = [p for p in people if p.id not in leader_ids]
    for heading, group in (("people.leaders", leaders), ("people.others", others)):
        if group:
            lines.append(t(locale, heading))
            lines.extend(_person_line(person, locale) for person in group)
    lines += ["", t(locale, "people.footer")]
    return lines


def department_line(department: Department, locale: str, own_chat_title: str | None = None) -> str:
    """One department with its members (needs `members` loaded) and its own group if set."""
    if department.members:
        members = t(locale, "list.sep").join(person_label(p) for p in department.members)
    else:
        members = t(locale, "dept.no_members")
    line = t(locale, "dept.line", name=esc(department.name), members=members)
    if department.tg_chat_id is not None:
        chat = own_chat_title or str(department.tg_chat_id)
        line += t(locale, "dept.own_chat", chat=esc(chat))
    return line


def department_lines(
    departments: Sequence[Department], own_chat_titles: Mapping[int, str], locale: str
) -> list[str]:
    if not departments:
        return [t(locale, "dept.empty")]
    lines = [t(locale, "dept.title", n=len(departments))]
    for department in departments:
        title = own_chat_titles.get(department.tg_chat_id or 0)
        lines.append(department_line(department, locale, title))
    lines += ["", t(locale, "dept.footer")]
    return lines
