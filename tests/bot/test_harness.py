"""The chat harness fails a test when the bot crashes, even though the user got a polite reply."""

from __future__ import annotations

import logging

import pytest
from telegram import Update
from telegram.ext import CallbackContext, CommandHandler

from bot.i18n import t
from tests.support.harness import Harness, running_bot


def _plant_crash(bot: Harness) -> None:
    """A command whose handler raises, the way a bug in a real one would."""

    async def crash(update: Update, context: CallbackContext) -> None:
        raise ZeroDivisionError("a bug")

    bot.application.add_handler(CommandHandler("crash", crash))


async def test_a_crash_fails_the_test_though_the_user_was_answered(tmp_path):
    with pytest.raises(AssertionError, match="the bot crashed") as failure:
        async with running_bot(tmp_path) as bot:
            _plant_crash(bot)
            replies = await bot.say("/crash")
            assert len(replies) == 1 and replies[0].text.startswith(t("zh_CN", "error.generic"))
    assert "ZeroDivisionError: a bug" in str(failure.value)


async def test_a_declared_crash_passes_and_is_there_to_inspect(tmp_path):
    async with running_bot(tmp_path) as bot:
        _plant_crash(bot)
        bot.expect_errors(ZeroDivisionError)
        await bot.say("/crash")
        assert [type(e) for e in bot.errors] == [ZeroDivisionError]


async def test_a_declared_crash_that_never_comes_fails_the_test(tmp_path):
    with pytest.raises(AssertionError, match="expected the bot to crash with ZeroDivisionError"):
        async with running_bot(tmp_path) as bot:
            bot.expect_errors(ZeroDivisionError)
            assert await bot.say("/help")


async def test_another_crash_than_the_declared_one_still_fails(tmp_path):
    with pytest.raises(AssertionError, match="the bot crashed"):
        async with running_bot(tmp_path) as bot:
            _plant_crash(bot)
            bot.expect_errors(KeyError)
            await bot.say("/crash")


async def test_a_crash_our_code_catches_and_logs_fails_the_test_too(tmp_path):
    # The reminder scheduler catches what a job raises and logs it; no user ever sees it.
    with pytest.raises(AssertionError, match="the bot crashed") as failure:
        async with running_bot(tmp_path) as bot:
            try:
                {}["missing"]
            except KeyError:
                logging.getLogger("jobs.scheduler").exception("reminder job failed")
            assert await bot.say("/help")
    assert "KeyError: 'missing'" in str(failure.value)
