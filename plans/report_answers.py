"""What a reply to a progress-report ask (进展报送) says: a line of progress per item, each
starting with the item's number (`3 已完成一半`, `3 60%`, `第3项：初稿已完成`), or for a
department asked about one item just the text.

A line without a number continues the answer above it. A reply that is no answer at all (收到,
好的, 👍) is left to the ordinary plain-reply handling (plans/reply_words.py).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from plans.numbers import narrow
from plans.percent import BadPercent, ProgressReport, read_progress
from plans.reply_words import ReplyKind, read_reply

# "3 …", "3. …", "3、…", "第3项：…"; not "60%", "6成", "3.5".
_NUMBERED = re.compile(
    r"\s*(?:第\s*)?(?P<seq>\d{1,4})(?![\d%％.．成])\s*(?:项|号|条)?\s*[.、．:：,，)）]?\s*(?P<rest>.*)",
    re.S,
)
# Shorter than this without a number or any word about the work: chatter (好的, 谢谢, 👍).
_CHATTER_LENGTH = 4


class Problem(StrEnum):
    # Several items asked and no number says which.
    NEED_NUMBER = "need_number"
    # A number the ask did not list.
    NOT_LISTED = "not_listed"
    # A percentage out of 0..100.
    BAD_PERCENT = "bad_percent"


@dataclass(frozen=True, slots=True)
class Answer:
    seq: int
    report: ProgressReport


@dataclass(frozen=True, slots=True)
class Unread:
    problem: Problem
    # The number not listed, or the percentage as written.
    value: str = ""


def read_answers(
    text: str, listed: Collection[int], sole: int | None
) -> list[Answer] | Unread | None:
    """The answers in a reply to an ask listing items `listed`; `sole` is the one item the
    replier's department was asked about, if just one. None: no answer (chatter, 收到)."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if not lines:
        return None
    pieces: list[tuple[int, list[str]]] = []
    for line in lines:
        m = _NUMBERED.fullmatch(narrow(line))
        seq = int(m["seq"]) if m else None
        if seq is not None and seq in listed:
            pieces.append((seq, [line[len(line) - len(m["rest"]) :].strip()] if m else []))
        elif seq is not None and not pieces and sole is None:
            return Unread(Problem.NOT_LISTED, str(seq))
        elif pieces:
            pieces[-1][1].append(line)
        elif sole is not None:
            pieces.append((sole, [line]))
        else:
            return None if _chatter(text) else Unread(Problem.NEED_NUMBER)
    if len(pieces) == 1 and pieces[0][0] == sole and _chatter(text):
        return None
    answers = []
    for seq, words in pieces:
        report = read_progress("\n".join(w for w in words if w))
        if isinstance(report, BadPercent):
            return Unread(Problem.BAD_PERCENT, report.value)
        if report is None:
            return Unread(Problem.NEED_NUMBER) if sole is None else None
        answers.append(Answer(seq, report))
    return answers


def _chatter(text: str) -> bool:
    """收到, 好的, 👍: a reply that reports nothing."""
    meaning = read_reply(text)
    if meaning is not None:
        return meaning.kind is ReplyKind.ACK
    return len(narrow(text).strip()) < _CHATTER_LENGTH
