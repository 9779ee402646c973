"""What every hostile example checks, and the figures it adds to (tests/support/hostile_tally.py).

- no crash: no exception reached the bot's error handlers or was logged by our code, the
  sandbox did not fail, and no message the bot sent is the generic error reply;
- nothing Telegram would refuse: no send or edit answered 400 for its text (invalid HTML,
  too long, empty) or its buttons;
- data kept: for an input the bot must refuse, every table holds the same rows afterwards;
- answered: a typed command gets exactly one answer, a button press exactly one
  answerCallbackQuery.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from bot.i18n import CATALOGUES, t
from bot.sandbox import Chat, Message
from tests.support import hostile_tally
from tests.support.chat import database_rows
from tests.support.harness import Harness

_GENERIC = tuple(t(locale, "error.generic") for locale in CATALOGUES)
# Refusals by Telegram of what the bot sent (text or buttons), as opposed to refusals about the
# state of the chat (a message deleted meanwhile), which the bot handles.
_REFUSED_CONTENT = (
    "can't parse entities",
    "is too long",
    "text is empty",
    "MESSAGE_TOO_LONG",
    "BUTTON_",
    "can't parse inline keyboard",
)
# Bookkeeping, not data an input changed: when someone was last seen (every message updates
# it), and which items a message the bot sent shows (every /plan or /mine answer is recorded, so
# that a reply to it can name its items).
_BOOKKEEPING = frozenset({"tg_account", "reminder_message", "reminder_message_item"})

Rows = dict[str, list[tuple[object, ...]]]


async def data_rows(bot: Harness) -> Rows:
    rows = await database_rows(bot)
    return {name: table for name, table in rows.items() if name not in _BOOKKEEPING}


class Ledger:
    """Every data row as the last example left it. Read once per example, after it: before
    the next one the rows are the same (or that example failed), so one read serves both."""

    def __init__(self) -> None:
        self.rows: Rows | None = None

    async def open(self, bot: Harness) -> None:
        if self.rows is None:
            self.rows = await data_rows(bot)

    async def changes(self, bot: Harness) -> list[str]:
        """The tables whose rows changed since the last call (or `open`)."""
        before, after = self.rows or {}, await data_rows(bot)
        self.rows = after
        return [
            f"{name}: {len(before.get(name, []))} -> {len(rows)} rows"
            + ("" if len(rows) != len(before.get(name, [])) else " (values changed)")
            for name, rows in after.items()
            if rows != before.get(name, [])
        ]


@dataclass
class Mark:
    """Where the bot's records stood before an example."""

    errors: int
    sandbox_errors: int
    calls: int
    sent: frozenset[tuple[int, int]]
    answers: int


async def mark(bot: Harness, ledger: Ledger | None = None) -> Mark:
    """Note the records (and, with a ledger, make sure it holds the rows as they are now)."""
    if ledger is not None:
        await ledger.open(bot)
    sandbox = bot.sandbox
    return Mark(
        errors=len(bot.errors),
        sandbox_errors=len(sandbox.errors),
        calls=len(sandbox.calls),
        sent=frozenset((m.chat.id, m.message_id) for m in sandbox.sent()),
        answers=len(sandbox.callback_answers),
    )


@dataclass
class Findings:
    """What went wrong in one example, by figure; empty lists when it went right."""

    crashes: list[str] = field(default_factory=list)
    invalid_html: list[str] = field(default_factory=list)
    data_changed: list[str] = field(default_factory=list)
    unanswered_callbacks: list[str] = field(default_factory=list)
    commands_not_answered_once: list[str] = field(default_factory=list)

    def count(self) -> None:
        hostile_tally.count(
            inputs=1,
            crashes=bool(self.crashes),
            invalid_html=bool(self.invalid_html),
            data_changed=bool(self.data_changed),
            unanswered_callbacks=bool(self.unanswered_callbacks),
            commands_not_answered_once=bool(self.commands_not_answered_once),
        )

    def problems(self) -> dict[str, list[str]]:
        return {name: found for name, found in vars(self).items() if found}


async def findings(bot: Harness, before: Mark, ledger: Ledger | None = None) -> Findings:
    """Crashes, refused content and (with a ledger: the input must change nothing) changed rows
    since `before`."""
    sandbox = bot.sandbox
    found = Findings()
    found.crashes += [f"{type(e).__name__}: {e}" for e in bot.errors[before.errors :]]
    found.crashes += [f"sandbox: {e!r}" for e in sandbox.errors[before.sandbox_errors :]]
    found.crashes += [
        f"answered {m.text[:60]!r}"
        for m in sent_since(bot, before)
        if m.text and any(m.text.startswith(g) for g in _GENERIC)
    ]
    found.invalid_html += [
        f"{c.method} -> {c.status} {c.error}"
        for c in sandbox.calls[before.calls :]
        if c.status == 400 and any(r in (c.error or "") for r in _REFUSED_CONTENT)
    ]
    if ledger is not None:
        found.data_changed += await ledger.changes(bot)
    return found


def sent_since(bot: Harness, before: Mark, chat: Chat | None = None) -> list[Message]:
    """The bot's messages sent after `before` (in `chat`, if given)."""
    return [m for m in bot.sandbox.sent(chat) if (m.chat.id, m.message_id) not in before.sent]


def answers_to(
    bot: Harness, before: Mark, message: Message, *, edited: bool = False
) -> list[Message]:
    """The bot's answers to `message`: in a group the messages quoting it; in a private chat,
    or to an edit (answers quote only new messages), every message the bot sent there since
    `before` (one example at a time, and no reminders by the clock: nothing else is sent)."""
    fresh = sent_since(bot, before, message.chat)
    if edited or message.chat.type == "private":
        return fresh
    return [
        m for m in fresh if m.reply_to is not None and m.reply_to.message_id == message.message_id
    ]


# A reply too long for one message goes out in parts (bot/views/render.py:split_lines), each
# but the last filled close to Telegram's 4096 characters; short parts are separate answers.
_SPLIT_PART = 1000


def one_answer_each(replies: list[Message]) -> list[Message]:
    """`replies` (answers_to) with the parts of one long answer counted once, and a chart or a
    file that came with a text answer (/stats) not counted: what the user reads as answers."""
    texts = [m for m in replies if m.text is not None]
    if not texts:
        return replies[:1]  # a file alone (/export)
    answers = [texts[0]]
    for previous, part in itertools.pairwise(texts):
        if len(previous.text or "") < _SPLIT_PART:
            answers.append(part)
    return answers
