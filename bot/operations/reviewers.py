"""Completion review (issue 16 §3): whether a group reviews its departments' /done, and who
reviews (its `[reminders] supervisors` and the configured admins; the group's Telegram
administrators may too, without being mentioned).

A department's /done with review on is a claim: its part goes to review (storage.parts), and
the group is asked, mentioning the reviewers, to approve it (✅ 销号) or return it (↩️ 退回).
A leader's or an admin's /done closes the item directly: they are the ones who review.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.operations.deps import Deps
from jobs.entries import PersonRef, chat_people, resolve_supervisors
from storage.models import Chat, Item, ItemEvent
from storage.parts import Review

# Chat.settings key of the group's supervision choices ({"review": bool}).
SETTINGS_KEY = "supervision"


def review_on(chat: Chat, default: bool) -> bool:
    """The group's own choice (/review on|off), else `[supervision] review`."""
    own: Any = (chat.settings or {}).get(SETTINGS_KEY)
    value = own.get("review") if isinstance(own, dict) else None
    return value if isinstance(value, bool) else default


def set_review(chat: Chat, on: bool) -> None:
    own = dict((chat.settings or {}).get(SETTINGS_KEY) or {})
    own["review"] = on
    # Reassigned, not changed in place: MutableDict notices only the top-level key.
    chat.settings[SETTINGS_KEY] = own


@dataclass(frozen=True, slots=True)
class ReviewAsk:
    """Parts a department claimed done, for the group's reviewers: what the message asking them
    shows (the item, the parts by department id and name) and whom it mentions."""

    item_id: int
    parts: tuple[tuple[int, str], ...]
    reviewers: tuple[PersonRef, ...]
    # The plan group's Telegram id: the question goes there, wherever the claim was made.
    tg_chat_id: int


async def reviewers(session: AsyncSession, deps: Deps, chat_id: int) -> tuple[PersonRef, ...]:
    """The supervisors (by plan name or Telegram id, as configured) and the configured admins,
    each once, pinged when bound."""
    people = (await chat_people(session, [chat_id])).get(chat_id, []) if deps.supervisors else []
    found = list(resolve_supervisors(deps.supervisors, people))
    known = {p.tg_user_id for p in found if p.tg_user_id is not None}
    found += [PersonRef("", admin, True) for admin in sorted(deps.admins) if admin not in known]
    return tuple(found)


async def is_supervisor(session: AsyncSession, deps: Deps, chat_id: int, tg_user_id: int) -> bool:
    if not deps.supervisors:
        return False
    people = (await chat_people(session, [chat_id])).get(chat_id, [])
    return any(p.tg_user_id == tg_user_id for p in resolve_supervisors(deps.supervisors, people))


async def review_ask(
    session: AsyncSession, deps: Deps, item: Item, event: ItemEvent | None, tg_chat_id: int
) -> ReviewAsk | None:
    """What to ask the reviewers about a claim (`event`, a history row of storage.parts whose
    "review" is "claimed"); None for any other change."""
    data = (event.data or {}) if event is not None else {}
    if data.get("review") != Review.CLAIMED.value:
        return None
    claimed = set(data.get("parts") or {})
    parts = tuple(
        (link.department_id, link.department.name)
        for link in item.department_links
        if link.department_id is not None and str(link.department_id) in claimed
    )
    return ReviewAsk(
        item.id or 0, parts, await reviewers(session, deps, item.plan.chat_id), tg_chat_id
    )
