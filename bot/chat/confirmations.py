"""The question an understood reply asks: what the bot read and the button(s) confirming it.

A plain reply to one of our item messages (bot/handlers/plain_replies.py) and `/progress` sent
as a reply to a message listing several items both ask it; the presses are answered in
bot/handlers/plain_replies.py. What was understood waits in the database (storage.pending, kind
REPLY) until a press, so a restart keeps it. A photo or file whose caption is such a reply keeps
its file there too (by Telegram's file_id), attached as evidence when the press records it.

Button data: `rp:<item id>:<token>`, the item confirmed and the waiting question's token.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.chat.replies import reply_html
from bot.context import PlanbotContext
from bot.i18n import t
from bot.operations.finding import OnMessage
from bot.operations.who import Actor
from bot.views.buttons import CONFIRM_PREFIX
from bot.views.item import choice_keyboard, note_line, ref_label
from plans.reply_words import ReplyKind, ReplyMeaning
from storage.attachments import FileRef
from storage.models import AttachmentKind, Item, ItemStatus, PendingKind
from storage.pending import Where, put_question
from storage.rows import row_id

# More choices than this and a keyboard stops helping: ask for the command instead.
MAX_CHOICES = 30
# How long an understood reply waits for its press.
CONFIRM_LIFETIME = timedelta(days=7)
_MARKS = {ReplyKind.DONE: "✅", ReplyKind.PROGRESS: "📝", ReplyKind.NOTE: "📝"}
_EXAMPLES = {
    ReplyKind.DONE: "/done {seq}",
    ReplyKind.PROGRESS: "/progress {seq} {percent}%",
    ReplyKind.NOTE: "/progress {seq} …",
}


@dataclass(frozen=True, slots=True)
class Confirmation:
    """What a reply was understood as, kept until its button is pressed."""

    meaning: ReplyMeaning
    # The items its buttons offer: a press naming another is refused.
    item_ids: list[int]
    # The message replied to: a 收到 acknowledges that reminder.
    message_id: int
    # Who replied, named when someone else presses.
    name: str
    # The photo or file the reply was the caption of: the report's evidence (佐证材料).
    file: FileRef | None = None

    def payload(self) -> dict[str, Any]:
        m = self.meaning
        payload: dict[str, Any] = {
            "kind": m.kind.value,
            "percent": m.percent,
            # "note" as /done's "which one?" keeps it: mark_done reads it for the asker.
            "note": m.note,
            "vague": m.vague,
            "items": self.item_ids,
            "message_id": self.message_id,
            "name": self.name,
        }
        if self.file is not None:
            payload["file"] = _file_payload(self.file)
        return payload

    @classmethod
    def of(cls, payload: dict[str, Any]) -> Confirmation:
        meaning = ReplyMeaning(
            ReplyKind(payload["kind"]),
            payload.get("percent"),
            str(payload.get("note", "")),
            bool(payload.get("vague", False)),
        )
        items = [int(i) for i in payload.get("items", [])]
        file = payload.get("file")
        return cls(
            meaning,
            items,
            int(payload["message_id"]),
            str(payload.get("name", "")),
            _file_of_payload(file) if isinstance(file, dict) else None,
        )


def _file_payload(file: FileRef) -> dict[str, Any]:
    return {
        "kind": file.kind.value,
        "id": file.file_id,
        "unique": file.file_unique_id,
        "name": file.name,
        "size": file.size,
        "mime": file.mime_type,
    }


def _file_of_payload(payload: dict[str, Any]) -> FileRef:
    size = payload.get("size")
    return FileRef(
        AttachmentKind(payload["kind"]),
        str(payload["id"]),
        str(payload.get("unique", "")),
        str(payload.get("name", "")),
        int(size) if size is not None else None,
        str(payload.get("mime", "")),
    )


async def ask_to_confirm(
    update: Update,
    context: PlanbotContext,
    asker: Actor,
    locale: str,
    items: list[Item],
    meaning: ReplyMeaning,
    on: OnMessage,
    file: FileRef | None = None,
) -> None:
    """Answer `update` with what `meaning` would record about `items` (the items of the
    message `on`) and the button(s) confirming it; keep the meaning until a press, with
    `file`, the photo or file the reply came as, to attach then (a 收到 keeps none: an
    acknowledgement records no update to attach it to)."""
    offered = items
    if meaning.kind is not ReplyKind.NOTE:
        # Done, a percentage, a 收到: only open items can take them.
        offered = [i for i in items if i.status == ItemStatus.OPEN.value]
    if not offered:
        await reply_html(update, t(locale, "done.all_done"))
        return
    if meaning.kind is not ReplyKind.ACK and len(offered) > MAX_CHOICES:
        example = _EXAMPLES[meaning.kind].format(seq=offered[0].seq, percent=meaning.percent)
        await reply_html(update, t(locale, "confirm.too_many", n=len(offered), example=example))
        return
    token = secrets.token_hex(6)
    lines, keyboard = _question(locale, offered, meaning, token)
    if meaning.kind is ReplyKind.ACK:
        file = None
    elif file is not None:
        lines[1:1] = [t(locale, "confirm.with_file")]
    svc = context.services
    ids = [row_id(i) for i in offered]
    confirmation = Confirmation(meaning, ids, on.message_id, asker.name, file)
    async with svc.db.session() as session:
        # Kept before the buttons go out, so that no press can come before it.
        await put_question(
            session,
            Where(on.tg_chat_id, PendingKind.REPLY, token),
            confirmation.payload(),
            asker.tg_user_id,
            svc.now(),
            CONFIRM_LIFETIME,
        )
    await reply_html(update, lines, reply_markup=keyboard)


def _question(
    locale: str, items: list[Item], meaning: ReplyMeaning, token: str
) -> tuple[list[str], InlineKeyboardMarkup]:
    """The sentences saying what was understood, and the keyboard confirming it."""
    data = partial(_data, token=token)
    kind, percent = meaning.kind, meaning.percent
    if kind is ReplyKind.ACK:
        # One 👀 for the reminder, as /ack in reply: every item of it the presser answers for.
        button = InlineKeyboardButton(
            t(locale, "confirm.button.ack"), callback_data=data(row_id(items[0]))
        )
        return [t(locale, "confirm.ack"), t(locale, "confirm.press")], InlineKeyboardMarkup(
            [[button]]
        )
    notes = note_line(meaning.note, locale)
    if len(items) > 1:
        line = t(locale, f"confirm.which.{kind.value}", n=len(items), percent=percent)
        keyboard = choice_keyboard(items, mark=_MARKS[kind], callback=data)
        return [line, *notes], keyboard
    item = items[0]
    line = t(locale, f"confirm.{kind.value}", item=ref_label(item, locale), percent=percent)
    button = InlineKeyboardButton(
        t(locale, f"confirm.button.{kind.value}", percent=percent),
        callback_data=data(row_id(item)),
    )
    return [line, *notes, t(locale, "confirm.press")], InlineKeyboardMarkup([[button]])


def _data(item_id: int, *, token: str) -> str:
    return f"{CONFIRM_PREFIX}{item_id}:{token}"
