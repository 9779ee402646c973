"""The Bot API from the command line: one-off calls (getMe, getChat) outside the Application."""

from __future__ import annotations

from telegram import Bot

from bot.config import Config


def api_bot(config: Config) -> Bot:
    """A Bot pointed where the running bot talks (Telegram, or a self-hosted Bot API)."""
    return Bot(
        config.token,
        base_url=config.telegram.base_url,
        base_file_url=config.telegram.base_file_url,
    )
