"""Logging set-up: one line per event, and the bot token and the webhook secret never written
anywhere.

httpx logs every request URL at INFO and the URL contains the token; the same URL also ends up
inside exception texts; at DEBUG, PTB logs setWebhook's parameters, the secret among them.
Raising httpx's level is not enough, so every formatted line (message, arguments and traceback
alike) passes through `redact`, which knows the secrets `setup_logging` was given.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.config import Config

# The shape of a real token (bot id, colon, 35 url-safe characters) so that a token we were
# not told about (say, a second bot's in an exception) is still hidden.
_TOKEN_SHAPE = re.compile(r"(?<!\d)\d{6,12}:[A-Za-z0-9_-]{30,}")
REDACTED = "<token>"
# A secret token by where it stands (a parameter, a header), for one we were not told about.
_SECRET_FIELD = re.compile(r"""(?i)(secret[_-]token\\?["']?\s*[:=]\s*\\?["']?)[A-Za-z0-9_-]+""")
SECRET_REDACTED = "<secret>"
# Every secret setup_logging was given, for `redact` callers that do not hold the config.
_KNOWN: set[str] = set()


def secrets_of(config: Config) -> list[str]:
    """What must never be written out: the bot token and the webhook's secret token."""
    return [config.token, config.telegram.webhook.secret_token.get_secret_value()]


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with the secrets given, those setup_logging knows, anything shaped like a token
    and any value of a secret_token parameter or header replaced."""
    # Longest first: a secret inside another must not leave the other's remains.
    for secret in sorted({*secrets, *_KNOWN}, key=len, reverse=True):
        if secret:
            text = text.replace(secret, REDACTED)
    text = _SECRET_FIELD.sub(lambda found: found[1] + SECRET_REDACTED, text)
    return _TOKEN_SHAPE.sub(REDACTED, text)


class RedactingFormatter(logging.Formatter):
    def __init__(self, fmt: str | None = None, *, secrets: Iterable[str] = (), json_lines=False):
        super().__init__(fmt, datefmt="%Y-%m-%dT%H:%M:%S%z")
        self.secrets = [s for s in secrets if s]
        self.json_lines = json_lines

    def format(self, record: logging.LogRecord) -> str:
        if not self.json_lines:
            return redact(super().format(record), self.secrets).replace("\n", "\n    ")
        entry = {
            "time": self.formatTime(record, self.datefmt),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return redact(json.dumps(entry, ensure_ascii=False), self.secrets)


def setup_logging(
    *, level: str = "INFO", fmt: str = "text", secrets: Iterable[str] = (), stream=None
) -> None:
    """Configure the root logger; call again when the token becomes known. `secrets` are
    also remembered for every later `redact`."""
    _KNOWN.update(s for s in secrets if s)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(
        RedactingFormatter(
            "%(asctime)s %(levelname)s %(name)s: %(message)s",
            secrets=secrets,
            json_lines=fmt == "json",
        )
    )
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # Request URLs carry the token; at WARNING these libraries only speak of real problems.
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # Seven lines about its own plug-ins at every start, and nothing an operator needs.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
