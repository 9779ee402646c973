"""Every example /help shows, in Chinese and in English, works as written: the short /help
members get and the whole one (`/help all`, and what admins get).

Each example is read from the /help answer itself and sent by 董军 (@dongjun), a leader in the
sample October 2020 plan and an administrator of the group, into a group with that plan; the
answer must be the one the command gives when it does its job — not the generic error, not a
refusal, and no crash (the harness fails on any exception that reaches the error handler).
"""

from __future__ import annotations

import re
from itertools import pairwise

import pytest

from bot.handlers import COMMANDS
from bot.handlers.help import help_lines
from bot.i18n import CATALOGUES, t
from tests.support.catalogue import as_sent, says
from tests.support.chat import joined, office_time, seed
from tests.support.harness import Harness, running_bot

_EXAMPLE = re.compile(r"^\s+(?:例：|e\.g\. )(/\S.*)$")

# The answer each example should get, by its catalogue key; None: a file, no text.
ANSWER: dict[str, str | None] = {
    "help": "help.title",
    "start": "start.group",
    "plan": "plan.header",
    "mine": "mine.header",
    "done": "done.ok",
    "progress": "progress.ok",
    "item": "items.fields",
    "undo": "undo.ok",
    "import": "import.preview_title",
    "summary": "summary.title",
    "export": None,
    "stats": "stats.title",
    "bulletin": "bulletin.title",
    "iam": "iam.done",
    "people": "people.title",
    "extend": "extend.request.title",
    "ack": "ack.ok",
    "remind": "remind.set_at",
    "dept": "dept.added",
    "lang": "lang.set",
    "id": "chat_id.group",
    "board": "board.link",
    "bind": "bind.done",
    "unbind": "unbind.done",
    "add": "add.ok",
    "edit": "edit.ok",
    "delete": "delete.confirm",
    "reopen": "reopen.ok_zero",
    "review": "review.turned_on",
    # The sample group does not review: the answer says nothing awaits review and how a
    # part would (an admin's /review on, then a department's /done).
    "return": "review.none_waiting_off",
    "calendar": "calendar.for.department",
}
# An example that builds on another's effect comes after that one, as a reader would try it.
AFTER: dict[str, str] = {
    # Only the item's responsible people acknowledge: 董军 leads item 10, once bound.
    "ack": "iam",
    "mine": "iam",
    "undo": "done",
    "reopen": "done",
    "unbind": "bind",
    "dept": "iam",
}


def help_examples(help_text: str) -> dict[str, str]:
    """Command name → the example line under it in /help's answer."""
    examples: dict[str, str] = {}
    lines = help_text.splitlines()
    for line, following in pairwise(lines):
        match = _EXAMPLE.match(following)
        if line.startswith("/") and match:
            examples[line[1:].split()[0]] = match.group(1)
    return examples


async def _office(bot: Harness):
    """The sample plan in the group, and 董军 who has spoken there and administers it."""
    await seed(bot)
    dongjun = bot.sandbox.add_user("董军", username="dongjun")
    bot.sandbox.set_admin(bot.group, dongjun)
    assert await bot.say("收到", user=dongjun) == []
    return dongjun


def test_help_shows_one_example_per_command_in_both_languages():
    everyday = {c.name for c in COMMANDS if c.everyday}
    for locale in CATALOGUES:
        help_text = re.sub(r"<[^>]+>", "", "\n".join(help_lines(locale, COMMANDS)))
        assert help_examples(help_text).keys() == ANSWER.keys() == {c.name for c in COMMANDS}
        short = re.sub(r"<[^>]+>", "", "\n".join(help_lines(locale, COMMANDS, everything=False)))
        assert help_examples(short).keys() == everyday


_EVERYDAY = [c.name for c in COMMANDS if c.everyday]


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
@pytest.mark.parametrize(
    ("which", "name"),
    [("all", c.name) for c in COMMANDS] + [("short", name) for name in _EVERYDAY],
)
async def test_every_help_example_gets_the_answer_of_a_command_that_did_its_job(
    tmp_path, locale, which, name
):
    with office_time(2020, 10, 20):
        # An address for the board's and the calendar's links (without one, /board and
        # /calendar say what to set).
        http = {"public_url": "https://plan.example.gov.cn"}
        async with running_bot(tmp_path, i18n={"locale": locale}, http=http) as bot:
            dongjun = await _office(bot)
            # The whole /help as an admin gets it; the short one as a member (张三) gets it.
            asker = dongjun if which == "all" else bot.member
            examples = help_examples(joined(await bot.say("/help", user=asker)))
            assert name in examples, f"/help as {which} shows no example of /{name}"
            if name in AFTER:
                assert await bot.say(as_sent(examples[AFTER[name]]), user=dongjun)
            replies = await bot.say(as_sent(examples[name]), user=dongjun)
    text = joined(replies)
    assert replies, f"{examples[name]!r} went unanswered"
    assert t(locale, "error.generic") not in text
    expected = ANSWER[name]
    if expected is None:
        assert all(m.document is not None for m in replies), text
        return
    # In any language: /lang answers in the one it switches to.
    assert says(text, expected), f"{examples[name]!r} was answered:\n{text}"
