"""/import: a plan pasted after the command, sent as the next message, or as a file.

`/import 2023-03` (or 三月, 一季度, 2023) names the period for a document whose heading does not
say it; when neither does, the bot asks with buttons (本月 / 下月 / 全年) before the preview.
The preview is computed by running the real import and rolling it back; only the Confirm
button writes (or 作为存档导入, offered when every deadline is past: stored, never reminded).
The preview waits for it in the database (storage.pending) with the plan's text,
which Confirm parses and imports again: a restart in between does not lose it, and of two
presses only the first imports. A bare `/import` waiting for the next message is only kept in
chat_data: after a restart that message is ordinary chat, and the sender sends /import again.

What it waits for is a plan: a file whose caption is a command (`/done 3` on a scan of the
signed report) is that command's, and a file replying to one of the bot's messages with a
caption read as a report (已完成, 进度60%) is that report's (bot/handlers/plain_replies.py).
Neither is taken: no answer from the import, which goes on waiting for the plan. A file with no
caption, or any other caption, is the plan.
"""

from __future__ import annotations

import asyncio
import re
import secrets
import time
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from telegram import Chat as TgChat
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update, User

from bot.chat.acting import origin_of
from bot.chat.command_words import normalise_command
from bot.chat.item_access import incoming
from bot.chat.presses import Press, asker_or_admin, on_press, take_waiting, waiting
from bot.chat.replies import chat_locale, reply_html
from bot.context import PlanbotContext
from bot.i18n import t
from bot.operations.imports import (
    ImportProblem,
    ImportRefused,
    all_deadlines_past,
    import_plan,
    parse_for_import_async,
    past_deadlines,
)
from bot.operations.policy import Action
from bot.views.buttons import parse_token_callback
from bot.views.imports import past_lines, preview_lines, refusal_html, result_line
from bot.views.periods import period_label
from bot.views.render import quoted
from plans.document import DocumentRefused, check_upload, document_text
from plans.months import Period, looks_like_period, parse_period
from plans.reply_words import read_reply
from storage.models import PendingKind
from storage.pending import Where, put_question

CALLBACK_PREFIX = "imp:"
# The buttons' actions: a period (this month, next month, the year), confirm, confirm and
# archive, confirm and delete what the plan leaves out, cancel.
IMPORT_ACTIONS = ("pm", "pn", "py", "ok", "arc", "del", "no")
# How long `/import` alone waits for the text, and a preview for its button.
AWAIT_SECONDS = 10 * 60
PREVIEW_SECONDS = 60 * 60
_COMMAND = re.compile(r"^/import(@\w+)?(?=\s|$)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class PendingImport:
    """What a preview's Confirm needs to redo the import: the plan's text and the period the
    importer named or chose, parsed again then (parsing depends on nothing else but today's
    date, which Confirm takes as it is then)."""

    text: str
    period: Period | None = None

    def payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {"text": self.text}
        if self.period is not None:
            payload["period"] = [self.period.year, self.period.month, self.period.quarter]
        return payload

    @classmethod
    def of(cls, payload: dict[str, Any]) -> PendingImport:
        period = payload.get("period")
        return cls(str(payload["text"]), Period(*period) if period else None)


def split_period(text: str) -> tuple[Period | None, str]:
    """(the period named on the command's own line, the plan text after it): "/import 2023-03"
    then the plan on the next lines, in a caption, or in the next message."""
    first, _, rest = text.partition("\n")
    period = parse_period(first) if first.strip() else None
    return (period, rest.strip()) if period is not None else (None, text)


def _month_after(today: date) -> tuple[int, int]:
    """(year, month) of the month after `today`'s."""
    return (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)


def _next_month(today: date) -> Period:
    return Period(*_month_after(today))


def _awaiting(context: PlanbotContext) -> dict[int, tuple[float, Period | None]]:
    """Who sent a bare `/import` (with the period it named), and when."""
    chat_data = context.chat_data
    if chat_data is None:  # an update from no chat (never a message): nobody waits there
        return {}
    awaiting: dict[int, tuple[float, Period | None]] = chat_data.setdefault("import_awaiting", {})
    return awaiting


def is_plan_for(message: Message, bot_id: int) -> bool:
    """Whether the message after a bare `/import` may be the plan: not a file captioned as a
    command, nor a file whose caption reports on one of the bot's messages it replies to."""
    caption = message.caption
    if message.document is None or not caption:
        return True
    if normalise_command(caption) is not None:
        return False
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.from_user.id != bot_id:
        return True
    return read_reply(caption) is None


# chat_data: the update the awaited /import last took, so a later group leaves it alone.
_TOOK = "import_took"


def took_as_plan(context: PlanbotContext, update: Update) -> bool:
    """Whether the awaited `/import` took this update as the plan (a captionless file replying
    to a reminder is then the plan's, not a reply to answer)."""
    chat_data = context.chat_data
    return chat_data is not None and chat_data.get(_TOOK) == update.update_id


def strip_command(text: str) -> str:
    return _COMMAND.sub("", text, count=1).strip()


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


def _button(locale: str, key: str, action: str, token: str, **values: Any) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        t(locale, key, **values), callback_data=f"{CALLBACK_PREFIX}{action}:{token}"
    )


async def _ask(context: PlanbotContext, chat: TgChat, user: User, token: str, data: Any) -> None:
    """Keep the question `token` asked of `user` in `chat` until its buttons are pressed."""
    svc = context.services
    async with svc.db.session() as session:
        await put_question(
            session,
            Where(chat.id, PendingKind.IMPORT, token),
            data,
            user.id,
            svc.now(),
            timedelta(seconds=PREVIEW_SECONDS),
        )


async def _ask_period(
    update: Update,
    context: PlanbotContext,
    chat: TgChat,
    user: User,
    text: str,
    locale: str,
) -> None:
    """The document names no period and the importer did not either: which is it?"""
    today = context.services.today()
    token = secrets.token_hex(6)
    await _ask(context, chat, user, token, PendingImport(text).payload())
    this, after = (today.year, today.month), _month_after(today)
    buttons = [
        _button(locale, "import.button.this_month", "pm", token, period=_label(*this, locale)),
        _button(locale, "import.button.next_month", "pn", token, period=_label(*after, locale)),
        _button(locale, "import.button.whole_year", "py", token),
        _button(locale, "import.button.cancel", "no", token),
    ]
    await reply_html(
        update,
        t(locale, "import.ask_period"),
        reply_markup=InlineKeyboardMarkup([buttons[:3], buttons[3:]]),
    )


def _label(year: int, month: int, locale: str) -> str:
    return period_label(year, month, 0, locale)


async def _preview(
    update: Update,
    context: PlanbotContext,
    chat: TgChat,
    user: User,
    text: str,
    locale: str,
    period: Period | None = None,
) -> None:
    """What importing `text` into `chat` would change, with the buttons that do it."""
    svc = context.services
    try:
        parsed = await parse_for_import_async(text, today=svc.today(), period=period)
    except ImportRefused as refused:
        if refused.problem is ImportProblem.NO_MONTH:
            await _ask_period(update, context, chat, user, text, locale)
        else:
            await reply_html(update, refusal_html(locale, refused))
        return
    outcome = await import_plan(
        svc.db, svc.planner, origin_of(chat), parsed, text, dry_run=True, author_tg_user_id=user.id
    )
    token = secrets.token_hex(6)
    await _ask(context, chat, user, token, PendingImport(text, period).payload())
    overdue = past_deadlines(parsed, svc.today())
    past = all_deadlines_past(parsed, svc.today())
    buttons = [_button(locale, "import.button.confirm", "ok", token)]
    if past:
        buttons.append(_button(locale, "import.button.archive", "arc", token))
    if outcome.removed:
        buttons.append(
            _button(locale, "import.button.confirm_delete", "del", token, n=len(outcome.removed))
        )
    buttons.append(_button(locale, "import.button.cancel", "no", token))
    lines = preview_lines(parsed, outcome, locale, past=overdue)
    if past:
        lines[-1:-1] = past_lines(parsed, locale)
    await reply_html(update, lines, reply_markup=InlineKeyboardMarkup([buttons]))


async def import_command(update: Update, context: PlanbotContext) -> None:
    """`/import` with text, `/import` alone, or a file captioned `/import`: admins only, which
    the command table enforces before this runs."""
    sent = incoming(update)
    if sent is None:
        return
    message, chat, user = sent.message, sent.chat, sent.user
    # A new /import replaces one still waiting for its text (and the group-1 handler then
    # finds nothing to wait for in this very message).
    _awaiting(context).pop(user.id, None)
    locale = await chat_locale(context, chat.id)
    text = await _text_of(message, locale, update)
    if text is None:
        return
    named = text if message.document is None else strip_command(message.caption or "")
    first = named.partition("\n")[0]
    period, rest = split_period(named)
    if period is None and looks_like_period(first):
        # "/import 2023-13": a period meant but not one; the plan must not be read without it.
        await reply_html(update, t(locale, "import.bad_period", text=quoted(first.strip())))
        return
    if message.document is None:
        text = rest
    if not text.strip() and message.document is None:
        _awaiting(context)[user.id] = (time.monotonic(), period)
        await reply_html(update, t(locale, "import.send_text"))
        return
    await _preview(update, context, chat, user, text, locale, period)


async def awaited_input(update: Update, context: PlanbotContext) -> None:
    """The message after a bare `/import` from the same person: that is the plan."""
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    if message is None or user is None or chat is None:
        return
    if not is_plan_for(message, context.bot.id):
        return  # another handler's; the import keeps waiting for the plan
    waiting = _awaiting(context).pop(user.id, None)
    if waiting is None:
        return
    since, period = waiting
    if time.monotonic() - since > AWAIT_SECONDS:
        return
    if context.chat_data is not None:
        context.chat_data[_TOOK] = update.update_id
    locale = await chat_locale(context, chat.id)
    text = await _text_of(message, locale, update)
    if text is not None:
        await _preview(update, context, chat, user, text, locale, period)


async def _import_pressed(context: PlanbotContext, press: Press[tuple[str, str]]) -> None:
    """A period chosen, the preview confirmed (archiving or deleting what it leaves out), or
    cancelled: by whoever sent the plan, or an admin."""
    action, token = press.data
    asked = await waiting(
        context, press, token, PendingKind.IMPORT, PendingImport.of, "import.expired"
    )
    if asked is None:
        return
    if not await asker_or_admin(context, press, asked, Action.IMPORT):
        await press.refuse(t(asked.locale, "import.not_yours"))
        return
    if not await take_waiting(context, press, asked):
        return
    pending, locale, update = asked.pending, asked.locale, press.update
    await press.answer()
    await press.clear_buttons()
    if action == "no":
        await reply_html(update, t(locale, "import.cancelled"))
        return
    svc = context.services
    chosen = _chosen_period(action, svc.today())
    if chosen is not None:
        await _preview(update, context, press.tg_chat, press.user, pending.text, locale, chosen)
        return
    try:
        parsed = await parse_for_import_async(
            pending.text, today=svc.today(), period=pending.period
        )
    except ImportRefused as refused:  # the calendar moved on since the preview
        await reply_html(update, refusal_html(locale, refused))
        return
    outcome = await import_plan(
        svc.db,
        svc.planner,
        origin_of(press.tg_chat),
        parsed,
        pending.text,
        remove_missing=action == "del",
        archived=action == "arc",
        author_tg_user_id=press.user.id,
        author_name=press.user.full_name,
    )
    await reply_html(update, result_line(outcome, locale))


import_button = on_press(
    lambda data: parse_token_callback(data, CALLBACK_PREFIX, IMPORT_ACTIONS), _import_pressed
)


def _chosen_period(action: str, today: date) -> Period | None:
    """The period a button of the "which period?" question means (None: not one of them)."""
    if action == "pm":
        return Period(today.year, today.month)
    if action == "pn":
        return _next_month(today)
    if action == "py":
        # The year the document mentions, else this one (parse_for_import decides).
        return Period(None)
    return None
