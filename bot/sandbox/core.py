"""The Sandbox: a fake Telegram Bot API server plus the test/console API around its state."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import mimetypes
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http import HTTPStatus
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from .api import ONLY_BY_NAME, BotApi, Handler, Params, RequestContext
from .limits import FaultKind, FaultPlan, FloodControl, Window
from .markup import command_entity, trim
from .models import (
    ApiError,
    Call,
    CallbackAnswer,
    Chat,
    ChatType,
    Edit,
    JSONDict,
    Message,
    MessageVersion,
    Stats,
    StoredFile,
    User,
)
from .server import make_app
from .web_app import signed_init_data
from .webhook import WebhookDeliverer, WebhookDelivery, WebhookTarget

if TYPE_CHECKING:
    from telegram.ext import ApplicationBuilder

log = logging.getLogger("bot.sandbox")

ChatRef = Chat | User | int
MessageEvent = Literal["sent", "edited", "deleted"]
Listener = Callable[[MessageEvent, Message], None]
AnswerListener = Callable[[CallbackAnswer], None]


@dataclass
class _OpenQuery:
    message: Message | None
    user: User
    data: str | None


class Sandbox:
    """A fake Telegram Bot API server running inside the caller's event loop.

    Point PTB at it with ``ApplicationBuilder().base_url(sb.base_url)
    .base_file_url(sb.base_file_url)``. Test-side methods are synchronous: they only change
    in-memory state and wake waiting long polls.
    """

    def __init__(
        self,
        token: str = "123456:SANDBOX-TOKEN",
        bot_username: str = "planbot_bot",
        *,
        bot_name: str = "Planbot",
        private_limit: Window = (1, 1.0),
        group_limit: Window = (20, 60.0),
        group_burst_limit: Window | None = (1, 1.0),
        overall_limit: Window = (30, 1.0),
        hang_seconds: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        for name, window in (
            ("private_limit", private_limit),
            ("group_limit", group_limit),
            ("group_burst_limit", group_burst_limit),
            ("overall_limit", overall_limit),
        ):
            if window is None:
                continue
            count, seconds = window
            if count < 1 or seconds <= 0:
                raise ValueError(f"{name} must be (count >= 1, seconds > 0)")
        self.token = token
        prefix = token.split(":", 1)[0]
        self.bot = User(
            id=int(prefix) if prefix.isdigit() else 1,
            first_name=bot_name,
            username=bot_username,
            is_bot=True,
        )
        self.hang_seconds = hang_seconds
        self.users: dict[int, User] = {}
        self.chats: dict[int, Chat] = {}
        self.files: dict[str, StoredFile] = {}
        # (scope key, language_code) -> [(command, description)]; scope keys look like
        # "default", "all_private_chats", "chat:-100123", "chat_member:-100123:42".
        self.commands: dict[tuple[str, str], list[tuple[str, str]]] = {}
        # Private chat id (None: the bot's default) -> the MenuButton set by setChatMenuButton.
        self.menu_buttons: dict[int | None, JSONDict] = {}
        self.callback_answers: list[CallbackAnswer] = []
        # Hosts refused on URL buttons (BUTTON_URL_INVALID) besides the local ones the sandbox
        # always refuses: Telegram publishes no list, so a test can play a stricter Telegram.
        self.refused_button_hosts: set[str] = set()
        self.calls: list[Call] = []
        self.stats = Stats()
        # Exceptions inside the sandbox itself (answered as 500): a test can assert it's empty.
        self.errors: list[BaseException] = []

        self._api = BotApi(self)
        self._flood = FloodControl(
            private=private_limit,
            group=group_limit,
            group_burst=group_burst_limit,
            overall=overall_limit,
            clock=clock,
        )
        self._faults = FaultPlan()
        self._messages: dict[int, dict[int, Message]] = {}
        self._last_message_id: dict[int, int] = {}
        self._sent: list[Message] = []
        self._updates: list[JSONDict] = []
        self._next_update_id = 1
        self._allowed_updates: frozenset[str] | None = None
        # (chat id, message id, user id) -> the emoji that user has set on that message now.
        self._reactions: dict[tuple[int, int, int], tuple[str, ...]] = {}
        self._poll_generation = 0
        self._open_queries: dict[str, _OpenQuery] = {}
        self._next_query = 1
        self._next_user_id = 100001
        self._next_group = 1
        self._next_file = 1
        self._listeners: list[Listener] = []
        self._answer_listeners: list[AnswerListener] = []

        self._changed = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None
        self._server: HTTPServer | None = None
        self._host = "127.0.0.1"
        self._port: int | None = None
        self._stopping = False
        self._inflight = 0
        self._webhook: WebhookDeliverer | None = None

    def __repr__(self) -> str:  # never show the token
        where = f"http://{self._host}:{self._port}" if self._port else "not started"
        return f"<Sandbox @{self.bot.username} {where}>"

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> Sandbox:
        if self._server is not None:
            raise RuntimeError("sandbox already started")
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        self._stopping = False
        self._changed = asyncio.Event()  # an event used in an earlier loop is bound to it
        server = HTTPServer(make_app(self))
        sockets = bind_sockets(port, address=host)
        server.add_sockets(sockets)
        self._server = server
        self._host = "127.0.0.1" if host in ("0.0.0.0", "", "::") else host
        self._port = sockets[0].getsockname()[1]
        return self

    @property
    def webhook(self) -> WebhookTarget | None:
        """Where updates are POSTed (setWebhook), or None while the bot polls."""
        return self._webhook.target if self._webhook is not None else None

    @property
    def webhook_deliveries(self) -> list[WebhookDelivery]:
        """Every delivery attempt to the current webhook, with the status the bot answered."""
        return self._webhook.deliveries if self._webhook is not None else []

    async def set_webhook(self, target: WebhookTarget | None) -> None:
        if self._webhook is not None:
            await self._webhook.stop()
            self._webhook = None
        if target is not None:
            self._webhook = WebhookDeliverer(self, target)
            self._webhook.start()

    async def stop(self) -> None:
        await self.set_webhook(None)
        server = self._server
        if server is None:
            return
        # Long polls and hangs watch _stopping: wake them so they answer at once, and give
        # them a moment to write before the connections are cut.
        self._stopping = True
        self._notify()
        await self._wait_condition(lambda: self._inflight == 0, 1.0)
        server.stop()
        await server.close_all_connections()
        self._server = None
        self._port = None

    async def __aenter__(self) -> Sandbox:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("sandbox not started")
        return self._port

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder().base_url()``; PTB appends the token."""
        return f"http://{self._host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self._host}:{self.port}/file/bot"

    def application_builder(self) -> ApplicationBuilder:
        """``ApplicationBuilder`` pointed at this sandbox (token and both base URLs set)."""
        from telegram.ext import ApplicationBuilder

        return (
            ApplicationBuilder()
            .token(self.token)
            .base_url(self.base_url)
            .base_file_url(self.base_file_url)
        )

    # -- the world -------------------------------------------------------------------------

    def add_user(
        self,
        first_name: str,
        *,
        username: str | None = None,
        last_name: str | None = None,
        user_id: int | None = None,
        language_code: str | None = None,
    ) -> User:
        if user_id is None:
            while self._next_user_id in self.users:
                self._next_user_id += 1
            user_id = self._next_user_id
            self._next_user_id += 1
        if user_id in self.users or user_id == self.bot.id or user_id <= 0:
            raise ValueError(f"user id {user_id} is taken or invalid")
        user = User(
            id=user_id,
            first_name=first_name,
            username=username,
            last_name=last_name,
            language_code=language_code,
        )
        self.users[user_id] = user
        return user

    def add_chat(
        self,
        type: ChatType = "supergroup",
        *,
        title: str | None = None,
        is_forum: bool = False,
        chat_id: int | None = None,
        members: Iterable[User] = (),
        username: str | None = None,
    ) -> Chat:
        members = list(members)
        if type == "private":
            if len(members) != 1:
                raise ValueError("a private chat needs exactly one member: the user")
            return self.private_chat(members[0])
        if type not in ("group", "supergroup"):
            raise ValueError(f"unknown chat type {type!r}")
        if is_forum and type != "supergroup":
            raise ValueError("only supergroups can be forums")
        n = self._next_group
        self._next_group += 1
        if chat_id is None:
            # Telegram's shapes: supergroups -100XXXXXXXXXX, basic groups a small negative.
            chat_id = -(1_001_000_000_000 + n) if type == "supergroup" else -(400_000_000 + n)
        if chat_id >= 0 or chat_id in self.chats:
            raise ValueError(f"chat id {chat_id} is taken or not negative")
        chat = Chat(
            id=chat_id,
            type=type,
            title=title or f"Group {n}",
            is_forum=is_forum,
            username=username,
        )
        for user in members:
            self._register(user)
            chat.member_ids.add(user.id)
        self.chats[chat_id] = chat
        return chat

    def private_chat(self, user: User) -> Chat:
        """The bot's private chat with ``user`` (its id is the user's id, like Telegram)."""
        self._register(user)
        chat = self.chats.get(user.id)
        if chat is None:
            chat = Chat(id=user.id, type="private", user=user, member_ids={user.id})
            self.chats[user.id] = chat
        return chat

    def web_app_init_data(
        self, user: User, *, auth_date: int | None = None, language_code: str | None = None
    ) -> str:
        """The initData Telegram gives the bot's Mini App when `user` opens it (from the menu
        button or a web_app button of their private chat with the bot)."""
        self.private_chat(user)
        return signed_init_data(self.token, user, auth_date=auth_date, language_code=language_code)

    def set_admin(
        self, chat: Chat, user: User, *, creator: bool = False, admin: bool = True
    ) -> None:
        """Make ``user`` an administrator (or the creator) of ``chat``; admin=False demotes."""
        self._register(user)
        chat.member_ids.add(user.id)
        if creator:
            chat.creator_id = user.id
        elif chat.creator_id == user.id and not admin:
            chat.creator_id = None
        if admin:
            chat.admin_ids.add(user.id)
        else:
            chat.admin_ids.discard(user.id)

    def block_bot(self, user: User, blocked: bool = True) -> None:
        """The user blocks the bot: sends to their private chat get 403 like on Telegram."""
        self.private_chat(user).bot_blocked = blocked

    # -- pushing updates -------------------------------------------------------------------

    def send_text(
        self,
        chat: ChatRef,
        user: User,
        text: str,
        *,
        reply_to: int | Message | None = None,
        thread_id: int | None = None,
        entities: list[JSONDict] | None = None,
    ) -> Message:
        """``user`` writes ``text`` in ``chat``; the bot gets a ``message`` update.

        ``entities`` are added after the command's own, e.g. the ``text_mention`` a client
        attaches when a name is picked from the member list (offsets in UTF-16 units).
        """
        target = self._chat_for(chat, user)
        text = text.strip()  # Telegram trims messages; clients can't send blank ones
        if not text:
            raise ValueError("a Telegram client cannot send an empty message")
        if target.type == "private":
            target.bot_blocked = False  # writing to a blocked bot again restarts it
        entity = command_entity(text)
        reply = self._resolve_reply(target, reply_to)
        message = self._add_message(
            target,
            user,
            text=text,
            entities=([entity] if entity else []) + list(entities or []),
            reply_to=reply,
            thread_id=self._user_thread(target, reply, thread_id),
        )
        self._push_update({"message": message.to_api()})
        return message

    def edit_text(self, message: Message, text: str) -> Message:
        """The user who wrote ``message`` edits it to ``text``; the bot gets an
        ``edited_message`` update carrying the new text (and its command entity)."""
        if message.from_bot or message.deleted or message.text is None:
            raise ValueError(f"message {message.message_id} is not a live text message of a user")
        text = text.strip()
        if not text:
            raise ValueError("a Telegram client cannot edit a message to nothing")
        entity = command_entity(text)
        message.text = text
        message.entities = [entity] if entity else []
        message.edit_date = int(time.time())
        self._push_update({"edited_message": message.to_api()})
        return message

    def send_document(
        self,
        chat: ChatRef,
        user: User,
        filename: str,
        content: bytes,
        *,
        caption: str | None = None,
        mime_type: str | None = None,
        reply_to: int | Message | None = None,
        thread_id: int | None = None,
    ) -> Message:
        """``user`` sends a file; the bot can fetch it with getFile and download it."""
        target = self._chat_for(chat, user)
        if not content:
            raise ValueError("Telegram does not deliver empty files")
        mime = mime_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        stored = self._store_file("documents", filename, content, mime)
        visible, entities = self._caption(caption)
        reply = self._resolve_reply(target, reply_to)
        message = self._add_message(
            target,
            user,
            document=stored,
            caption=visible or None,
            entities=entities,
            reply_to=reply,
            thread_id=self._user_thread(target, reply, thread_id),
        )
        self._push_update({"message": message.to_api()})
        return message

    def send_photo(
        self,
        chat: ChatRef,
        user: User,
        content: bytes,
        *,
        caption: str | None = None,
        size: tuple[int, int] = (1280, 960),
        reply_to: int | Message | None = None,
        thread_id: int | None = None,
    ) -> Message:
        """``user`` sends a photo of ``size`` pixels. As on Telegram the bot gets it in several
        sizes, smallest first, each with a file_id of its own; the last is the photo sent."""
        target = self._chat_for(chat, user)
        if not content:
            raise ValueError("Telegram does not deliver empty files")
        width, height = size
        original = self._store_file("photos", None, content, None)
        original.dimensions = size
        smaller = []
        for scale in (16, 4):  # a thumbnail and a preview, as Telegram makes them
            if width // scale and height // scale:
                part = self._store_file(
                    "photos", None, content[: max(1, len(content) // scale)], None
                )
                part.dimensions = (width // scale, height // scale)
                smaller.append(part)
        visible, entities = self._caption(caption)
        reply = self._resolve_reply(target, reply_to)
        message = self._add_message(
            target,
            user,
            photo_file=original,
            photo_sizes=smaller,
            caption=visible or None,
            entities=entities,
            reply_to=reply,
            thread_id=self._user_thread(target, reply, thread_id),
        )
        self._push_update({"message": message.to_api()})
        return message

    def send_video(
        self, chat: ChatRef, user: User, content: bytes, *, caption: str | None = None
    ) -> Message:
        """``user`` sends a video (as a video: Telegram's ``video``, not a ``document``)."""
        target = self._chat_for(chat, user)
        if not content:
            raise ValueError("Telegram does not deliver empty files")
        stored = self._store_file("videos", "video.mp4", content, "video/mp4")
        stored.dimensions = (640, 360)
        visible, entities = self._caption(caption)
        message = self._add_message(
            target, user, video=stored, caption=visible or None, entities=entities
        )
        self._push_update({"message": message.to_api()})
        return message

    @staticmethod
    def _caption(caption: str | None) -> tuple[str, list[JSONDict]]:
        """A user's caption as Telegram delivers it: trimmed, a command at its start marked
        with a bot_command entity as in a text."""
        visible, _ = trim(caption or "", [])
        entity = command_entity(visible)
        return visible, [entity] if entity else []

    def press_button(self, message: Message, user: User, callback_data: str) -> str:
        """``user`` presses the inline button carrying ``callback_data`` on ``message``.

        Returns the callback query id. Raises ValueError if the message (as it is now, after
        any edits) has no such button, which is what a real client could not press either.
        """
        if message.deleted or not message.from_bot:
            raise ValueError(f"message {message.message_id} is not a live bot message")
        available = [b.get("callback_data") for b in message.buttons if "callback_data" in b]
        if callback_data not in available:
            raise ValueError(
                f"message {message.message_id} has no button with callback_data "
                f"{callback_data!r}; it has {available!r}"
            )
        return self.press_forged(user, message=message, data=callback_data)

    def press_forged(
        self,
        user: User,
        *,
        message: Message | None = None,
        data: str | None = None,
        game_short_name: str | None = None,
    ) -> str:
        """A press no button of the bot offers, as a modified client (or a game, or an inline
        message) sends it: any ``data`` or none, under ``message`` or (without one) under an
        inline message. Returns the callback query id; the bot's answer is recorded as for
        any press."""
        query_id = str(4_000_000_000_000_000_000 + self._next_query)
        self._next_query += 1
        self._open_queries[query_id] = _OpenQuery(message, user, data)
        query: JSONDict = {"id": query_id, "from": user.to_api()}
        if message is not None:
            self._chat_for(message.chat, user)
            query["message"] = message.to_api()
            query["chat_instance"] = str(abs(message.chat.id) * 7 + 13)
        else:
            query["inline_message_id"] = f"INLINE-{query_id}"
            query["chat_instance"] = "1"
        if data is not None:
            query["data"] = data
        if game_short_name is not None:
            query["game_short_name"] = game_short_name
        self._push_update({"callback_query": query})
        return query_id

    def react(self, user: User, message: Message | tuple[Chat, int], *emoji: str) -> bool:
        """``user`` sets their reactions on a message to ``emoji`` (none: removes them), as a
        client does; ``message`` may be (chat, message id) for a message that does not exist.

        Like Telegram, a ``message_reaction`` update (old and new reactions) is made only when
        the bot administers the chat (or it is the private chat with the user); whether it is
        delivered also depends on allowed_updates naming it. Returns whether an update was made.
        """
        chat, message_id = (
            (message.chat, message.message_id) if isinstance(message, Message) else message
        )
        self._register(user)
        key = (chat.id, message_id, user.id)
        old = self._reactions.get(key, ())
        new = tuple(dict.fromkeys(emoji))
        self._reactions[key] = new
        if chat.type != "private" and self.bot.id not in chat.admin_ids:
            return False
        self._push_update(
            {
                "message_reaction": {
                    "chat": chat.to_api(),
                    "message_id": message_id,
                    "user": user.to_api(),
                    "date": int(time.time()),
                    "old_reaction": [{"type": "emoji", "emoji": e} for e in old],
                    "new_reaction": [{"type": "emoji", "emoji": e} for e in new],
                }
            }
        )
        return True

    def delete_message(self, message: Message) -> None:
        """Someone deletes ``message`` in their client: the bot's edits of it answer "message
        to edit not found" from now on."""
        self._delete_message(message)

    def refuse_edits(self, message: Message) -> None:
        """Telegram no longer lets the bot edit ``message`` (as it may for an old one): edits
        answer "message can't be edited"."""
        message.editable = False

    # -- reading what the bot did ----------------------------------------------------------

    def sent(self, chat: ChatRef | None = None) -> list[Message]:
        """Messages the bot sent (not deleted), oldest first, as they are now after edits."""
        chat_id = None if chat is None else self._chat_id(chat)
        return [
            m for m in self._sent if not m.deleted and (chat_id is None or m.chat.id == chat_id)
        ]

    def history(self, chat: ChatRef) -> list[Message]:
        """Every live message in ``chat``, from users and the bot, in message id order."""
        return [m for m in self._messages.get(self._chat_id(chat), {}).values() if not m.deleted]

    @property
    def edits(self) -> dict[tuple[int, int], list[Edit]]:
        """(chat id, message id) -> edits of that bot message, oldest first."""
        return {(m.chat.id, m.message_id): list(m.edits) for m in self._sent if m.edits}

    @property
    def pending_updates(self) -> list[JSONDict]:
        """Updates not yet confirmed by a getUpdates offset."""
        return list(self._updates)

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method.lower() == method.lower()]

    def add_listener(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(event, message)`` when the bot sends, edits or deletes a message.

        For the console: print the bot's output as it happens. Returns an unsubscribe function.
        """
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def add_answer_listener(self, listener: AnswerListener) -> Callable[[], None]:
        """Call ``listener(answer)`` when the bot answers a button press (answerCallbackQuery):
        the console shows its text as the pop-up a client would. Returns an unsubscribe."""
        self._answer_listeners.append(listener)
        return lambda: self._answer_listeners.remove(listener)

    def continue_message_ids(self, chat: ChatRef, after: int) -> None:
        """Number ``chat``'s next messages from ``after`` + 1 on, as Telegram would for a chat
        that already has that many: a console reopening a database keeps the ids it recorded
        distinct from the new ones."""
        chat_id = self._chat_id(chat)
        self._last_message_id[chat_id] = max(self._last_message_id.get(chat_id, 0), after)

    async def wait_for(
        self,
        condition: int | Callable[[Message], bool],
        *,
        chat: ChatRef | None = None,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109 - the spec'd test API; the wait is event-driven
    ) -> list[Message]:
        """Wait until the bot has sent ``condition`` messages (an int), or until ``count``
        of its messages satisfy ``condition`` (a predicate on a Message, re-checked after
        edits). Returns the bot's messages (in ``chat``), resp. the matching ones.
        """

        def matching() -> list[Message] | None:
            messages = self.sent(chat)
            if isinstance(condition, int):
                return messages if len(messages) >= condition else None
            hits = [m for m in messages if condition(m)]
            return hits if len(hits) >= count else None

        if await self._wait_condition(lambda: matching() is not None, timeout):
            result = matching()
            # The condition just held and nothing ran since (no await in between).
            assert result is not None
            return result
        wanted = f"{condition} messages" if isinstance(condition, int) else "a matching message"
        raise AssertionError(
            f"timed out after {timeout}s waiting for {wanted}"
            + (f" in chat {self._chat_id(chat)}" if chat is not None else "")
            + "\n"
            + self.describe()
        )

    async def wait_until(
        self,
        predicate: Callable[[], bool],
        *,
        timeout: float = 5.0,  # noqa: ASYNC109 - same shape as wait_for
        what: str = "condition",
    ) -> None:
        """Wait until ``predicate()`` holds; re-checked whenever the sandbox's state changes."""
        if not await self._wait_condition(predicate, timeout):
            raise AssertionError(
                f"timed out after {timeout}s waiting for {what}\n{self.describe()}"
            )

    def describe(self) -> str:
        """What the bot sent and which of its requests failed: for assertion messages."""
        lines = ["bot sent:"]
        for m in self.sent():
            body = m.text if m.text is not None else f"[{self._kind(m)}] {m.caption or ''}"
            lines.append(f"  chat {m.chat.id} #{m.message_id}: {body!r}")
        if len(lines) == 1:
            lines.append("  (nothing)")
        failed = [c for c in self.calls if c.status >= 400][-10:]
        if failed:
            lines.append("failed requests (last 10):")
            lines.extend(f"  {c.method} -> {c.status} {c.error}" for c in failed)
        if self.errors:
            lines.append(f"sandbox errors: {self.errors!r}")
        return "\n".join(lines)

    # -- fault injection -------------------------------------------------------------------

    def inject_faults(
        self,
        n: int,
        kind: FaultKind = "5xx",
        *,
        retry_after: int = 1,
        methods: Iterable[str] | None = None,
        status: int = 500,
    ) -> None:
        """Make the next ``n`` calls of ``methods`` fail.

        ``kind``: "5xx" answers ``status`` (500 Internal Server Error by default, 502 Bad
        Gateway...), "429" answers Too Many Requests with ``retry_after``, "hang" answers
        nothing for ``hang_seconds`` (until the client disconnects or the sandbox stops).
        ``methods=None`` means every method except getUpdates, so that a polling Application
        running alongside does not swallow faults meant for the bot's sends; name getUpdates
        explicitly to break polling.
        """
        self._faults.add(n, kind, retry_after=retry_after, status=status, methods=methods)

    # -- internals used by the API and HTTP layers -----------------------------------------

    def _register(self, user: User) -> None:
        known = self.users.get(user.id)
        if known is None:
            self.users[user.id] = user
        elif known is not user:
            raise ValueError(f"another User object already has id {user.id}")

    def _chat_id(self, chat: ChatRef) -> int:
        if isinstance(chat, User):
            return chat.id
        if isinstance(chat, Chat):
            return chat.id
        return chat

    def _chat_for(self, chat: ChatRef, user: User) -> Chat:
        """The chat a user acts in, checking that they could: private chats are one-to-one."""
        self._register(user)
        if isinstance(chat, User):
            chat = self.private_chat(chat)
        elif isinstance(chat, int):
            found = self.chats.get(chat)
            if found is None:
                raise ValueError(f"unknown chat {chat}")
            chat = found
        if chat.type == "private":
            if chat.id != user.id:
                raise ValueError(f"user {user.id} cannot write in {user.id}'s private chat")
        else:
            chat.member_ids.add(user.id)
        return chat

    def _resolve_reply(self, chat: Chat, reply_to: int | Message | None) -> Message | None:
        if reply_to is None:
            return None
        message_id = reply_to if isinstance(reply_to, int) else reply_to.message_id
        if isinstance(reply_to, Message) and reply_to.chat.id != chat.id:
            raise ValueError("reply_to is a message of another chat")
        found = self._find_message(chat.id, message_id)
        if found is None:
            raise ValueError(f"no message {message_id} in chat {chat.id}")
        return found

    @staticmethod
    def _user_thread(chat: Chat, reply: Message | None, thread_id: int | None) -> int | None:
        if thread_id is None and reply is not None and chat.is_forum:
            return reply.thread_id
        return thread_id

    @staticmethod
    def _kind(message: Message) -> str:
        if message.document is not None:
            return f"document {message.document.filename}"
        if message.photo_file is not None:
            return "photo"
        return "message"

    def _find_chat(self, ref: int | str) -> Chat | None:
        if isinstance(ref, str):
            name = ref.removeprefix("@").lower()
            return next(
                (c for c in self.chats.values() if c.username and c.username.lower() == name),
                None,
            )
        return self.chats.get(ref)

    def _find_message(self, chat_id: int, message_id: int) -> Message | None:
        message = self._messages.get(chat_id, {}).get(message_id)
        return None if message is None or message.deleted else message

    def _add_message(self, chat: Chat, sender: User, **fields: Any) -> Message:
        # Ids grow per chat and user and bot messages share the sequence, like on Telegram.
        message_id = self._last_message_id.get(chat.id, 0) + 1
        self._last_message_id[chat.id] = message_id
        message = Message(
            message_id=message_id, chat=chat, from_user=sender, date=int(time.time()), **fields
        )
        self._messages.setdefault(chat.id, {})[message_id] = message
        if sender.is_bot:
            self._sent.append(message)
            self._emit("sent", message)
        self._notify()
        return message

    def _record_edit(self, method: str, message: Message, before: MessageVersion) -> None:
        message.edit_date = int(time.time())
        message.edits.append(Edit(method, before, message.version(), message.edit_date))
        self._emit("edited", message)
        self._notify()

    def _delete_message(self, message: Message) -> None:
        message.deleted = True
        if message.from_bot:
            self._emit("deleted", message)
        self._notify()

    def _record_callback_answer(
        self,
        *,
        query_id: str,
        text: str | None,
        show_alert: bool,
        url: str | None,
        cache_time: int | None,
        pending: _OpenQuery,
    ) -> None:
        answer = CallbackAnswer(
            callback_query_id=query_id,
            text=text,
            show_alert=show_alert,
            url=url,
            cache_time=cache_time,
            data=pending.data,
            message=pending.message,
            user=pending.user,
        )
        self.callback_answers.append(answer)
        for listener in list(self._answer_listeners):
            try:
                listener(answer)
            except Exception:  # as for message listeners: the bot's request must not break
                log.exception("sandbox: answer listener failed")
        self._notify()

    def _store_file(
        self, kind: str, filename: str | None, content: bytes, mime_type: str | None
    ) -> StoredFile:
        n = self._next_file
        self._next_file += 1
        suffix = ""
        if filename and "." in filename:
            suffix = "." + filename.rsplit(".", 1)[1][:10]
        elif kind == "photos":
            suffix = ".jpg"
        stored = StoredFile(
            file_id=f"SANDBOX-{kind[:-1].upper()}-{n:06d}",
            file_unique_id=f"U{n:06d}",
            file_path=f"{kind}/file_{n}{suffix}",
            filename=filename,
            content=content,
            mime_type=mime_type,
        )
        self.files[stored.file_id] = stored
        return stored

    def _file_by_path(self, path: str) -> StoredFile | None:
        return next((f for f in self.files.values() if f.file_path == path), None)

    def _member_api(self, chat: Chat, user: User) -> JSONDict:
        data: JSONDict = {"user": user.to_api()}
        if user.id == chat.creator_id:
            data.update(status="creator", is_anonymous=False)
        elif user.id in chat.admin_ids:
            rights = (
                "can_manage_chat",
                "can_delete_messages",
                "can_manage_video_chats",
                "can_restrict_members",
                "can_promote_members",
                "can_change_info",
                "can_invite_users",
                "can_post_stories",
                "can_edit_stories",
                "can_delete_stories",
                "can_pin_messages",
                "can_manage_topics",
            )
            data.update(status="administrator", can_be_edited=False, is_anonymous=False)
            data.update(dict.fromkeys(rights, True))
        elif user.id in chat.member_ids or user.is_bot:
            # The bot is in every chat it is asked about; nobody else is unless they joined.
            data["status"] = "member"
        else:
            data["status"] = "left"
        return data

    def _push_update(self, payload: JSONDict) -> None:
        self._updates.append({"update_id": self._next_update_id, **payload})
        self._next_update_id += 1
        self._notify()

    def _confirm_updates(self, offset: int | None) -> None:
        if offset is None:
            return
        if offset < 0:
            # Telegram: a negative offset keeps only the last |offset| updates.
            del self._updates[: max(len(self._updates) + offset, 0)]
        else:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]

    def _deliverable_updates(self, limit: int) -> list[JSONDict]:
        allowed = self._allowed_updates
        # Telegram never queues updates of types the bot opted out of; without a list, all
        # but those that must be asked for by name.
        self._updates = [
            u
            for u in self._updates
            if (
                _update_type(u) in allowed
                if allowed is not None
                else _update_type(u) not in ONLY_BY_NAME
            )
        ]
        return self._updates[:limit]

    async def _dispatch(
        self, entry: tuple[str, Handler], params: Params, ctx: RequestContext
    ) -> tuple[int, JSONDict]:
        name, handler = entry
        call = Call(name, params.logged())
        self.calls.append(call)
        self.stats.requests[name] += 1
        self._notify()  # tests may wait for a call to arrive (e.g. a long poll to start)
        try:
            fault = self._faults.take(name)
            if fault is not None:
                await self._fault(fault.kind, fault.status, fault.retry_after, ctx)
            status, body = 200, {"ok": True, "result": await handler(params, ctx)}
        except ApiError as exc:
            status, body = exc.code, exc.to_api()
            call.error = exc.description
        except Exception as exc:
            self.errors.append(exc)
            log.error("sandbox: %s crashed:\n%s", name, traceback.format_exc())
            status = 500
            body = {
                "ok": False,
                "error_code": 500,
                "description": f"Internal Server Error: sandbox bug ({type(exc).__name__})",
            }
            call.error = body["description"]
        call.status = status
        return status, body

    async def _fault(self, kind: str, status: int, retry_after: int, ctx: RequestContext) -> None:
        if kind == "429":
            raise ApiError(
                429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
            )
        if kind == "5xx":
            raise ApiError(status, HTTPStatus(status).phrase)
        deadline = time.monotonic() + self.hang_seconds
        while not (self._stopping or ctx.closed):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            await self._wait_change(remaining)
        raise ApiError(504, "Gateway Timeout")

    def _count_status(self, status: int) -> None:
        self.stats.statuses[status] += 1
        if status == 429:
            self.stats.too_many_requests += 1

    def _redact(self, text: str) -> str:
        return text.replace(self.token, "<token>") if self.token else text

    def _emit(self, event: MessageEvent, message: Message) -> None:
        for listener in list(self._listeners):
            try:
                listener(event, message)
            except Exception:  # a broken console printer must not break the bot's request
                log.exception("sandbox: listener failed")

    def _notify(self) -> None:
        """Wake everything waiting for a state change (long polls, hangs, wait_for)."""
        loop = self._loop
        if loop is not None and self._loop_thread != threading.get_ident() and not loop.is_closed():
            # Console input may come from another thread; events belong to the loop's.
            loop.call_soon_threadsafe(self._wake)
            return
        self._wake()

    def _wake(self) -> None:
        event, self._changed = self._changed, asyncio.Event()
        event.set()

    async def _wait_change(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), seconds)

    async def _wait_condition(self, predicate: Callable[[], bool], seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while not predicate():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            await self._wait_change(remaining)
        return True


def _update_type(update: JSONDict) -> str:
    return next(k for k in update if k != "update_id")
