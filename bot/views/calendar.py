"""/calendar's answer: the feed's https link and its webcal:// form (one tap on a phone)."""

from __future__ import annotations

from bot.i18n import t
from bot.operations.feeds import CalendarLink, CalendarProblem, CalendarRefusal
from bot.views.render import esc, quoted
from storage.feeds import ScopeKind


def feed_url(public_url: str, token: str) -> str:
    return f"{public_url.rstrip('/')}/ics/{token}.ics"


def webcal_url(url: str) -> str:
    """The same address as webcal://, which calendar apps subscribe to when it is opened."""
    return "webcal://" + url.split("://", 1)[1]


def link_lines(link: CalendarLink, public_url: str) -> list[str]:
    locale = link.locale
    url = feed_url(public_url, link.token)
    named = f"{link.name} " if link.kind is ScopeKind.DEPARTMENT else ""
    reset = f"/calendar {named}reset"
    lines = [
        t(locale, f"calendar.for.{link.kind.value}", name=esc(link.name)),
        t(locale, "calendar.https", url=esc(url)),
        t(locale, "calendar.webcal", url=esc(webcal_url(url))),
        t(locale, "calendar.refresh"),
    ]
    if link.reset:
        lines.append(t(locale, "calendar.reset_done"))
    else:
        lines.append(t(locale, "calendar.reset_hint", command=esc(reset)))
    return lines


def refusal_line(refusal: CalendarRefusal, text: str) -> str:
    locale, names = refusal.locale, refusal.names
    if refusal.problem is CalendarProblem.UNBOUND:
        return t(locale, "calendar.unbound")
    if refusal.problem is CalendarProblem.ADMINS_ONLY:
        return t(locale, "calendar.admins_only")
    listed = esc(t(locale, "list.sep").join(names)) if names else t(locale, "none")
    if refusal.problem is CalendarProblem.SEVERAL:
        return t(locale, "calendar.several", text=quoted(text), names=listed, first=esc(names[0]))
    return t(locale, "calendar.no_department", text=quoted(text), names=listed)
