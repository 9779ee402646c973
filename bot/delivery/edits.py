"""Editing a message we sent: the one place that knows an edit to the same content is no
failure.

Telegram answers "Bad Request: message is not modified" when an edit would leave a message as
it reads (a second tap on Confirm processed after the first took the buttons off, a reminder
rebuilt the same after a change that did not show, a forged press). The message reads as we
wanted, so every edit of ours (buttons taken off, a question answered in place, a reminder
rebuilt) goes through `edit` and treats that answer as done.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable

from telegram.error import BadRequest

log = logging.getLogger(__name__)

_NOT_MODIFIED = "message is not modified"


def not_modified(error: BadRequest) -> bool:
    """Whether Telegram refused an edit only because the message already reads so."""
    return _NOT_MODIFIED in str(error).lower()


async def edit(call: Awaitable[object]) -> bool:
    """Await an edit of one of our messages; False when Telegram said it already read so.
    Any other refusal is raised for the caller to judge."""
    try:
        await call
    except BadRequest as error:
        if not not_modified(error):
            raise
        log.debug("edit skipped: the message already reads so")
        return False
    return True
