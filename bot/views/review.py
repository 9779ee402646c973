"""Completion review in the chat (issue 16 §3): the question to the reviewers with its ✅ 销号 /
↩️ 退回 buttons per part, and the answers to a claim, an approval and a return.

Button data: `rv:<ok|no>:<item id>:<department id>`; both ids are checked against the message
pressed and the item's parts (bot/operations/review.py), since data can be forged.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import t
from bot.operations.reviewers import ReviewAsk
from bot.views.buttons import split_callback
from bot.views.item import names_label, ref_label
from bot.views.mentions import mention
from bot.views.part_answers import done_count
from bot.views.render import esc
from jobs.entries import PersonRef
from plans.numbers import parse_row_id
from storage.models import Item
from storage.part_states import awaiting_review

REVIEW_PREFIX = "rv:"
APPROVE = "ok"
RETURN = "no"


def review_callback(action: str, item_id: int, department_id: int) -> str:
    return f"{REVIEW_PREFIX}{action}:{item_id}:{department_id}"


def parse_review_callback(data: str) -> tuple[str, int, int] | None:
    """(action, item id, department id) of our review buttons' data; None for anything else."""
    split = split_callback(data, REVIEW_PREFIX, (APPROVE, RETURN))
    if split is None:
        return None
    item, colon, department = split[1].partition(":")
    item_id, department_id = parse_row_id(item), parse_row_id(department)
    if not colon or item_id is None or department_id is None:
        return None
    return split[0], item_id, department_id


def people_label(people: Sequence[PersonRef], locale: str, fallback: str) -> str:
    if not people:
        return t(locale, fallback)
    return t(locale, "list.sep").join(
        mention(p.name or t(locale, "review.admin"), p.tg_user_id if p.mention else None)
        for p in people
    )


def ask_lines(ask: ReviewAsk, item: Item, locale: str) -> str:
    return t(
        locale,
        "review.ask",
        item=ref_label(item, locale),
        departments=names_label([name for _, name in ask.parts], locale),
        reviewers=people_label(ask.reviewers, locale, "review.reviewers_none"),
    )


def ask_keyboard(ask: ReviewAsk, locale: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t(locale, f"review.button.{key}", department=name),
                    callback_data=review_callback(action, ask.item_id, department_id),
                )
                for action, key in ((APPROVE, "ok"), (RETURN, "back"))
            ]
            for department_id, name in ask.parts
        ]
    )


def claimed_line(item: Item, departments: Sequence[str], author: str, locale: str) -> str:
    """A department's claim; when it was the last part owed, that the item awaits review."""
    line = t(
        locale,
        "review.claimed",
        item=ref_label(item, locale),
        departments=names_label(departments, locale),
        author=esc(author),
    )
    return f"{line}{t(locale, 'review.item_waiting')}" if awaiting_review(item) else line


def approved_line(item: Item, department: str, by: str, locale: str) -> str:
    done, total = done_count(item)
    key = "review.approved_all" if done == total else "review.approved"
    label = ref_label(item, locale)
    return t(
        locale, key, item=label, department=esc(department), by=esc(by), done=done, total=total
    )


def returned_lines(
    item: Item, department: str, by: str, reason: str, people: Sequence[PersonRef], locale: str
) -> list[str]:
    lines = [
        t(
            locale,
            "review.returned",
            item=ref_label(item, locale),
            department=esc(department),
            by=esc(by),
            reason=esc(reason),
        )
    ]
    bound = [PersonRef(p.name, p.tg_user_id, True) for p in people if p.tg_user_id is not None]
    if bound:
        lines.append(t(locale, "review.returned_people", people=people_label(bound, locale, "")))
    return lines
