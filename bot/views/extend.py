"""The extension request message: what is asked, who decides, and later who decided when.

The message is rendered from the stored request both times, so the edited version after a
decision reads exactly like the original plus one line.
"""

from __future__ import annotations

from datetime import date, tzinfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import t
from bot.operations.extensions import AskedKind, Deciders
from bot.views.buttons import parse_id_callback
from bot.views.mentions import mention
from bot.views.render import esc
from storage.models import ExtensionRequest, ExtensionState, Item

EXT_PREFIX = "ext:"
APPROVE, REJECT = "ok", "no"
# A reason longer than this is cut in the message (it is stored whole).
REASON_SHOWN = 500


def day(value: date | None, locale: str) -> str:
    return value.isoformat() if value else t(locale, "none")


def extension_callback(action: str, request_id: int) -> str:
    return f"{EXT_PREFIX}{action}:{request_id}"


def parse_extension_callback(data: str) -> tuple[str, int] | None:
    """(approve or reject, request id); None for any other data."""
    return parse_id_callback(data, EXT_PREFIX, (APPROVE, REJECT))


def extension_buttons(request_id: int, locale: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t(locale, "extend.button.approve"),
                    callback_data=extension_callback(APPROVE, request_id),
                ),
                InlineKeyboardButton(
                    t(locale, "extend.button.reject"),
                    callback_data=extension_callback(REJECT, request_id),
                ),
            ]
        ]
    )


def decider_mentions(asked: Deciders, locale: str) -> str:
    return t(locale, "list.sep").join(mention(p.name, p.tg_user_id) for p in asked.people)


def decider_names(asked: Deciders, locale: str) -> str:
    return t(locale, "list.sep").join(p.name for p in asked.people)


_ASK = {
    AskedKind.LEADERS: "extend.request.ask",
    AskedKind.SUPERVISORS: "extend.request.ask_supervisors",
    AskedKind.ADMINS: "extend.request.ask_admins",
}
_NOT_ALLOWED = {
    AskedKind.LEADERS: "extend.not_allowed",
    AskedKind.SUPERVISORS: "extend.not_allowed_supervisors",
    AskedKind.ADMINS: "extend.not_allowed_admins",
}


def not_allowed_line(asked: Deciders, locale: str) -> str:
    """Why a press of Approve / Reject by someone not asked (and no admin) does nothing."""
    return t(locale, _NOT_ALLOWED[asked.kind], leaders=decider_names(asked, locale))


def request_lines(
    request: ExtensionRequest,
    item: Item,
    asked: Deciders,
    locale: str,
    tz: tzinfo,
) -> list[str]:
    """The request as people see it: while pending it asks who decides (never the requester),
    then says who decided."""
    reason = request.reason
    if len(reason) > REASON_SHOWN:
        reason = reason[:REASON_SHOWN] + "…"
    lines = [
        t(locale, "extend.request.title", seq=item.seq, title=esc(item.title)),
        t(
            locale,
            "extend.request.requester",
            requester=mention(request.requester_name, request.requester_tg_user_id),
        ),
        t(
            locale,
            "extend.request.dates",
            old=day(request.old_deadline, locale),
            new=day(request.new_deadline, locale),
        ),
    ]
    if reason:
        lines.append(t(locale, "extend.request.reason", reason=esc(reason)))
    if request.state == ExtensionState.PENDING.value:
        lines.append(t(locale, _ASK[asked.kind], leaders=decider_mentions(asked, locale)))
        return lines
    approved = request.state == ExtensionState.APPROVED.value
    at = request.decided_at.astimezone(tz).strftime("%Y-%m-%d %H:%M") if request.decided_at else ""
    by = mention(request.decided_by_name, request.decided_by_tg_user_id)
    lines.append(t(locale, "extend.approved" if approved else "extend.rejected", by=by, at=at))
    return lines
