"""The dispatcher's Telegram side: render a chat's content, send it, say how it went.

Sending goes through `application.bot`, so the bot's WindowRateLimiter paces it to Telegram's
limits and retries a 429 after the `retry_after` Telegram names. What still fails comes back to
the dispatcher as a `Retry`: a 429 that outlasted the limiter's retries (wait what Telegram
said, not an attempt), a network error, timeout or 5xx (back off and try again), or a refusal no
retry changes (the bot was removed from the chat, the chat is gone: failed at once).
"""

from __future__ import annotations

import asyncio
import logging
import time
import warnings
from collections.abc import Sequence
from typing import Any

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError
from telegram.ext import ExtBot
from telegram.warnings import PTBUserWarning

from bot.delivery.edits import edit
from bot.delivery.ratelimit import Abandoned, SendOptions, retry_after_seconds
from bot.exports.chart import ChartFontMissing, bulletin_png
from bot.i18n import t
from bot.views.bulletin import bulletin_caption
from bot.views.reminder import Part, render
from bot.views.render import esc, split_lines
from jobs.claims import STOPPED, Retry
from jobs.dispatcher import DeliveryResult, FailureNote, Recording, SentPart
from jobs.entries import MessageContent
from plans.bulletin import Bulletin

log = logging.getLogger(__name__)


def _retry(exc: TelegramError) -> Retry:
    text = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, RetryAfter):
        return Retry(text, retry_after=retry_after_seconds(exc))
    return Retry(text, permanent=isinstance(exc, Forbidden | BadRequest))


class Pacer:
    """Spaces the starts of sends evenly at the overall rate.

    The rate limiter would let a whole second's quota (30) start at once; the server then
    answers them slowly, and since the limiter counts a send when its answer arrives, each
    second's window stretches by that delay. Starting one every 1/30 s keeps answers quick and
    the pace at the limit. Slots missed while the event loop was busy are made up (up to
    `catch_up` seconds' worth), so preparing the next messages does not slow the sending;
    the limiter still guards the hard limits, for these and everything else the bot sends.
    """

    def __init__(self, per_second: float, catch_up: float = 0.5) -> None:
        self.gap = 1.0 / per_second
        self.catch_up = catch_up
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self._lock:
            now = time.monotonic()
            slot = max(self._next, now - self.catch_up)
            if slot > now:
                await asyncio.sleep(slot - now)
            self._next = slot + self.gap


class TelegramNotifier:
    def __init__(
        self,
        bot: ExtBot[Any],
        *,
        notice_chats: Sequence[int],
        locale: str,
        per_second: float = 30.0,
    ) -> None:
        self.bot = bot
        # Where failed reminders are reported (`AccessConfig.notice_chats`).
        self.notice_chats = list(notice_chats)
        self.locale = locale
        self.pacer = Pacer(per_second)
        # PTB nudges do_api_request callers towards send_message; _send uses it on purpose.
        # (Set here rather than at import: test runners reset the filters for each test.)
        warnings.filterwarnings(
            "ignore", message=r"Please use 'Bot\.send_message' instead", category=PTBUserWarning
        )

    async def _send(
        self,
        tg_chat_id: int,
        part: Part,
        locale: str,
        stopped: asyncio.Event,
        recording: Recording,
    ) -> int:
        markup = part.keyboard(locale)
        kwargs: dict[str, object] = {
            "chat_id": tg_chat_id,
            "text": part.text,
            "parse_mode": ParseMode.HTML.value,
            "link_preview_options": {"is_disabled": True},
        }
        if markup is not None:
            kwargs["reply_markup"] = markup.to_dict()

        # Through the same request path (and rate limiter) as send_message, without turning
        # Telegram's answer into a Message: it echoes the whole keyboard and every mention,
        # and building those objects cost more than everything else in a large pass.
        # A send still waiting for its chat's window (or a 429's retry_after) when the
        # instance stops is given up: nothing was sent, so its reminders go back.
        # The message is recorded (`then`) before the gate lets any other reminder leave.
        async def record(result: Any) -> None:
            await recording.record(SentPart(int(result["message_id"]), part.item_ids, part.kind))

        options = SendOptions(abandon=stopped, gate=recording.gate, then=record)
        result = await self.bot.do_api_request(
            "send_message", api_kwargs=kwargs, rate_limit_args=options
        )
        return int(result["message_id"])

    async def deliver(
        self, content: MessageContent, *, stopped: asyncio.Event, recording: Recording
    ) -> DeliveryResult:
        locale = content.locale or self.locale
        delivery = DeliveryResult()
        for part in render(content):
            await self.pacer.wait()
            if stopped.is_set():
                # Shutting down: what is not yet sent goes back to the outbox.
                delivery.failure = STOPPED
                return delivery
            try:
                message_id = await self._send(content.tg_chat_id, part, locale, stopped, recording)
            except Abandoned:
                delivery.failure = STOPPED
                return delivery
            except ChatMigrated as exc:
                delivery.failure = _retry(exc)
                delivery.migrated_to = int(exc.new_chat_id)
                return delivery
            except TelegramError as exc:
                log.warning("reminder to chat %s not sent: %s", content.tg_chat_id, exc)
                delivery.failure = _retry(exc)
                return delivery
            delivery.parts.append(SentPart(message_id, part.item_ids, part.kind))
        if content.bulletin is not None:
            await self._bulletin_chart(content.tg_chat_id, content.bulletin, locale, stopped)
        return delivery

    async def _bulletin_chart(
        self, tg_chat_id: int, bulletin: Bulletin, locale: str, stopped: asyncio.Event
    ) -> None:
        """The month-end 通报's chart, after its text: /stats's renderer, departments ranked.

        An illustration of a bulletin already sent and recorded: one that cannot go (or a stop
        meanwhile) is logged, never a reason to send the bulletin's text again."""
        try:
            png = await asyncio.to_thread(bulletin_png, bulletin, locale=locale)
            await self.pacer.wait()
            await self.bot.send_photo(
                tg_chat_id,
                png,
                caption=bulletin_caption(bulletin, locale),
                rate_limit_args=SendOptions(abandon=stopped),
            )
        except (Abandoned, TelegramError, ChartFontMissing) as exc:
            log.warning("the bulletin's chart to chat %s not sent: %s", tg_chat_id, exc)

    async def report_failures(self, failures: Sequence[FailureNote]) -> None:
        lines = []
        for note in failures:
            items = "；".join(f"{seq}. {title}" for seq, title in note.items)
            lines.append(
                t(
                    self.locale,
                    "reminder.failed",
                    chat=note.tg_chat_id,
                    items=esc(items),
                    error=esc(note.error[:300]),
                )
            )
        for chat in self.notice_chats:
            for chunk in split_lines(lines):
                try:
                    await self.bot.send_message(chat, chunk, parse_mode=ParseMode.HTML)
                except TelegramError as exc:
                    log.warning("could not tell chat %s about failed reminders: %s", chat, exc)
                    break


async def edit_in_place(bot: Bot, content: MessageContent, message_id: int) -> None:
    """Show `content` (a recorded reminder as it reads now) in the message that carried it.

    "Message is not modified" is no failure: it already reads so. Other refusals are raised
    (bot/chat/reminder_edits.py decides what to do with them).
    """
    parts = render(content)
    part = parts[0]
    if len(parts) > 1:
        # The confirmations made it longer than one message can hold: keep the first part.
        log.info("reminder %s/%s outgrew one message when edited", content.tg_chat_id, message_id)
    await edit(
        bot.edit_message_text(
            part.text,
            chat_id=content.tg_chat_id,
            message_id=message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=part.keyboard(content.locale or "zh_CN"),
            disable_web_page_preview=True,
        )
    )
