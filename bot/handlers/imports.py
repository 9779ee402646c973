"""/import: a plan pasted after the command, sent as the next message, or as a file.

The preview is computed by running the real import and rolling it back; only the Confirm
button writes. The preview waits for it in the database (storage.pending) with the plan's text,
which Confirm parses and imports again: a restart in between does not lose it, and of two
presses only the first imports. A bare `/import` waiting for the next message is only kept in
chat_data: after a restart that message is ordinary chat, and the sender sends /import again.
"""

from __future__ import annotations

import asyncio
import re
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update, User
from telegram.ext import ContextTypes

from bot.i18n import t
from bot.imports import (
    ImportRefused,
    TelegramChat,
    import_plan,
    parse_for_import_async,
)
from bot.item_access import (
    PendingPress,
    Refusal,
    checked_press,
    pressed_pending,
    take_pressed,
)
from bot.permissions import is_admin
from bot.replies import chat_locale, reply_html
from bot.services import services
from bot.views.imports import preview_lines, refusal_html, result_line
from plans.document import DocumentRefused, check_upload, document_text
from storage.models import PendingKind
from storage.pending import Where, put_question

CALLBACK_PREFIX = "imp:"
# How long `/import` alone waits for the text, and a preview for its button.
AWAIT_SECONDS = 10 * 60
PREVIEW_SECONDS = 60 * 60
_COMMAND = re.compile(r"^/import(@\w+)?(?=\s|$)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class PendingImport:
    """What a preview's Confirm needs to redo the import: the plan's text, parsed again then
    (parsing depends on nothing else but today's date, which Confirm takes as it is then)."""

    text: str

    def payload(self) -> dict[str, Any]:
        return {"text": self.text}

    @classmethod
    def of(cls, payload: dict[str, Any]) -> PendingImport:
        return cls(str(payload["text"]))


def _awaiting(context: ContextTypes.DEFAULT_TYPE) -> dict[int, float]:
    return context.chat_data.setdefault("import_awaiting", {})  # type: ignore[union-attr]


def strip_command(text: str) -> str:
    return _COMMAND.sub("", text, count=1).strip()


async def _may_import(update: Update, context: ContextTypes.DEFAULT_TYPE, locale: str) -> bool:
    chat, user = update.effective_chat, update.effective_user
    if chat and user and await is_admin(context, chat.id, chat.type, user.id):
        return True
    await reply_html(update, t(locale, "import.admins_only"))
    return False


async def _text_of(message: Message, locale: str, update: Update) -> str | None:
    """The plan text a message carries (its text, or its document's); None after refusing."""
    document = message.document
    if document is None:
        return strip_command(message.text or "")
    try:
        check_upload(document.file_name or "", document.file_size or 0)
        data = bytes(await (await document.get_file()).download_as_bytearray())
        # Reading a long .docx/.xlsx/.pdf takes a while: not on the event loop.
        return await asyncio.to_thread(document_text, document.file_name or "", data)
    except DocumentRefused as refused:
        reason = f"import.refused.{refused.reason.value}"
        await reply_html(update, t(locale, reason, **refused.values))
        return None


async def _preview(
    update: Update, context: ContextTypes.DEFAULT_TYPE, text: str, locale: str
) -> None:
    svc = services(context)
    chat = update.effective_chat
    user = update.effective_user
    assert chat is not None and user is not None
    try:
        parsed = await parse_for_import_async(text, today=svc.today())
    except ImportRefused as refused:
        await reply_html(update, refusal_html(locale, refused))
        return
    outcome = await import_plan(
        svc.db, svc.planner, _chat(update), parsed, text, dry_run=True, author_tg_user_id=user.id
    )
    token = secrets.token_hex(6)
    async with svc.db.session() as session:
        await put_question(
            session,
            Where(chat.id, PendingKind.IMPORT, token),
            PendingImport(text).payload(),
            user.id,
            svc.now(),
            timedelta(seconds=PREVIEW_SECONDS),
        )
    buttons = [
        InlineKeyboardButton(
            t(locale, "import.button.confirm"), callback_data=f"{CALLBACK_PREFIX}ok:{token}"
        )
    ]
    if outcome.removed:
        buttons.append(
            InlineKeyboardButton(
                t(locale, "import.button.confirm_delete", n=len(outcome.removed)),
                callback_data=f"{CALLBACK_PREFIX}del:{token}",
            )
        )
    buttons.append(
        InlineKeyboardButton(
            t(locale, "import.button.cancel"), callback_data=f"{CALLBACK_PREFIX}no:{token}"
        )
    )
    await reply_html(
        update, preview_lines(parsed, outcome, locale), reply_markup=InlineKeyboardMarkup([buttons])
    )


def _chat(update: Update) -> TelegramChat:
    chat = update.effective_chat
    assert chat is not None
    return TelegramChat(chat.id, chat.title or chat.full_name or "", chat.type, bool(chat.is_forum))


async def import_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/import` with text, `/import` alone, or a file captioned `/import`."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None or update.effective_user is None:
        return
    # A new /import replaces one still waiting for its text (and the group-1 handler then
    # finds nothing to wait for in this very message).
    _awaiting(context).pop(update.effective_user.id, None)
    locale = await chat_locale(context, chat.id)
    if not await _may_import(update, context, locale):
        return
    text = await _text_of(message, locale, update)
    if text is None:
        return
    if not text.strip() and message.document is None:
        _awaiting(context)[update.effective_user.id] = time.monotonic()
        await reply_html(update, t(locale, "import.send_text"))
        return
    await _preview(update, context, text, locale)


async def awaited_input(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The message after a bare `/import` from the same person: that is the plan."""
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    if message is None or user is None or chat is None:
        return
    since = _awaiting(context).get(user.id)
    if since is None:
        return
    del _awaiting(context)[user.id]
    if time.monotonic() - since > AWAIT_SECONDS:
        return
    locale = await chat_locale(context, chat.id)
    text = await _text_of(message, locale, update)
    if text is not None:
        await _preview(update, context, text, locale)


async def _pressed_import(
    context: ContextTypes.DEFAULT_TYPE, update: Update, data: str
) -> PendingPress[PendingImport] | Refusal:
    return await pressed_pending(
        context,
        update,
        data,
        CALLBACK_PREFIX,
        PendingKind.IMPORT,
        PendingImport.of,
        "import.expired",
    )


async def _importer_or_admin(
    context: ContextTypes.DEFAULT_TYPE, press: PendingPress[PendingImport], user: User
) -> Refusal | None:
    if user.id == press.asked_by or await is_admin(
        context, press.tg_chat.id, press.tg_chat.type, user.id
    ):
        return None
    return Refusal(t(press.locale, "import.not_yours"))


async def import_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    pressed = await checked_press(update, context, _pressed_import, _importer_or_admin)
    if pressed is None:
        return
    query, press = pressed
    action, pending, locale = press.action, press.pending, press.locale
    if not await take_pressed(context, query, press):
        return
    await query.answer()
    await query.edit_message_reply_markup(None)
    if action == "no":
        await reply_html(update, t(locale, "import.cancelled"))
        return
    svc = services(context)
    try:
        parsed = await parse_for_import_async(pending.text, today=svc.today())
    except ImportRefused as refused:  # the calendar moved on since the preview
        await reply_html(update, refusal_html(locale, refused))
        return
    outcome = await import_plan(
        svc.db,
        svc.planner,
        _chat(update),
        parsed,
        pending.text,
        remove_missing=action == "del",
        author_tg_user_id=query.from_user.id,
        author_name=query.from_user.full_name,
    )
    await reply_html(update, result_line(outcome, locale))
