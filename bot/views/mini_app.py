"""The Mini App's buttons: the web_app button under a private /board and the bot's menu
button. Telegram opens only HTTPS pages as Mini Apps and sends web_app buttons only into
private chats (a group gets the board's token link instead)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, MenuButtonWebApp, WebAppInfo

from bot.i18n import t
from bot.views.url_buttons import button_url_ok

# Where the Mini App's page is served, below `[http] public_url`.
APP_PATH = "/app"


def app_url(public_url: str) -> str | None:
    """The Mini App's address, or None when `public_url` cannot be one: unset, not HTTPS, or
    an address Telegram refuses on a button (a local network's, bot/views/url_buttons.py)."""
    if not public_url.startswith("https://") or not button_url_ok(public_url):
        return None
    return public_url.rstrip("/") + APP_PATH


def app_keyboard(locale: str, url: str) -> InlineKeyboardMarkup:
    button = InlineKeyboardButton(t(locale, "miniapp.button"), web_app=WebAppInfo(url))
    return InlineKeyboardMarkup([[button]])


def app_menu_button(locale: str, url: str) -> MenuButtonWebApp:
    return MenuButtonWebApp(t(locale, "miniapp.menu_button"), WebAppInfo(url))
