"""The sandbox's in-memory world: users, chats, messages and files, in Bot API shape."""

from __future__ import annotations

import copy
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

ChatType = Literal["private", "group", "supergroup"]
JSONDict = dict[str, Any]


class ApiError(Exception):
    """An error answer of the Bot API: rendered as ``{"ok": false, "error_code": ..., ...}``."""

    def __init__(self, code: int, description: str, parameters: JSONDict | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def to_api(self) -> JSONDict:
        body: JSONDict = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


@dataclass(eq=False)
class User:
    id: int
    first_name: str
    username: str | None = None
    last_name: str | None = None
    language_code: str | None = None
    is_bot: bool = False

    def to_api(self) -> JSONDict:
        data: JSONDict = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.last_name is not None:
            data["last_name"] = self.last_name
        if self.username is not None:
            data["username"] = self.username
        if self.language_code is not None:
            data["language_code"] = self.language_code
        return data


@dataclass(eq=False)
class Chat:
    id: int
    type: ChatType
    title: str | None = None
    is_forum: bool = False
    username: str | None = None
    # Set for private chats: the user on the other side.
    user: User | None = None
    member_ids: set[int] = field(default_factory=set)
    admin_ids: set[int] = field(default_factory=set)
    creator_id: int | None = None
    # Private chats only: the user blocked the bot (sends get 403 like on Telegram).
    bot_blocked: bool = False

    def __repr__(self) -> str:
        name = self.title if self.type != "private" or self.user is None else self.user.first_name
        return f"<Chat {self.id} {self.type} {name!r}>"

    def to_api(self) -> JSONDict:
        data: JSONDict = {"id": self.id, "type": self.type}
        if self.type == "private" and self.user is not None:
            data["first_name"] = self.user.first_name
            if self.user.last_name is not None:
                data["last_name"] = self.user.last_name
            if self.user.username is not None:
                data["username"] = self.user.username
        else:
            data["title"] = self.title or ""
            if self.username is not None:
                data["username"] = self.username
            if self.is_forum:
                data["is_forum"] = True
        return data

    def full_info(self) -> JSONDict:
        """getChat's ChatFullInfo: the fields PTB requires plus what the sandbox knows."""
        data = self.to_api()
        data.update(
            accent_color_id=0,
            max_reaction_count=11,
            accepted_gift_types={
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        )
        return data


@dataclass(eq=False)
class StoredFile:
    """A file the sandbox holds: uploaded by the bot or sent by a user."""

    file_id: str
    file_unique_id: str
    file_path: str
    filename: str | None
    content: bytes
    mime_type: str | None = None
    # A photo's width and height when not read from its content (the smaller sizes Telegram
    # makes of a user's photo).
    dimensions: tuple[int, int] | None = None

    @property
    def size(self) -> int:
        return len(self.content)

    def document_api(self) -> JSONDict:
        data: JSONDict = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.size,
        }
        if self.filename is not None:
            data["file_name"] = self.filename
        if self.mime_type is not None:
            data["mime_type"] = self.mime_type
        return data

    def photo_api(self) -> list[JSONDict]:
        width, height = self.dimensions or _image_size(self.content)
        return [
            {
                "file_id": self.file_id,
                "file_unique_id": self.file_unique_id,
                "file_size": self.size,
                "width": width,
                "height": height,
            }
        ]

    def file_api(self) -> JSONDict:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.size,
            "file_path": self.file_path,
        }


def _image_size(content: bytes) -> tuple[int, int]:
    # Only PNG is worth decoding here; anything else reports 0x0, which PTB accepts.
    if content[:8] == b"\x89PNG\r\n\x1a\n" and len(content) >= 24:
        return int.from_bytes(content[16:20], "big"), int.from_bytes(content[20:24], "big")
    return 0, 0


@dataclass(frozen=True)
class MessageVersion:
    """The editable state of a message at one point in time."""

    text: str | None
    html: str | None
    parse_mode: str | None
    entities: tuple[JSONDict, ...]
    reply_markup: JSONDict | None
    caption: str | None

    def content(self) -> tuple[Any, ...]:
        return (self.text, self.entities, self.reply_markup, self.caption)


@dataclass(frozen=True)
class Edit:
    method: str
    before: MessageVersion
    after: MessageVersion
    date: int


@dataclass(eq=False)
class Message:
    """A message in a chat, from a user or from the bot.

    ``text``/``caption`` hold the visible text (after HTML parsing, trimmed like Telegram);
    ``html`` holds the text or caption exactly as the bot sent it (markup included).
    """

    message_id: int
    chat: Chat
    from_user: User
    date: int
    text: str | None = None
    html: str | None = None
    parse_mode: str | None = None
    entities: list[JSONDict] = field(default_factory=list)
    caption: str | None = None
    reply_markup: JSONDict | None = None
    thread_id: int | None = None
    document: StoredFile | None = None
    photo_file: StoredFile | None = None
    # The smaller sizes of a user's photo, smallest first; `photo_file` is the largest.
    photo_sizes: list[StoredFile] = field(default_factory=list)
    # A user's video (sent as a video, not as a file).
    video: StoredFile | None = None
    link_preview_options: JSONDict | None = None
    disable_notification: bool = False
    edit_date: int | None = None
    deleted: bool = False
    # False once Telegram would refuse to edit it ("message can't be edited"; see
    # Sandbox.refuse_edits).
    editable: bool = True
    edits: list[Edit] = field(default_factory=list)
    # Set by the sandbox so to_api() can embed the replied-to message like Telegram does.
    reply_to: Message | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        sender = self.from_user.username or self.from_user.first_name
        body = self.text if self.text is not None else f"[file] {self.caption or ''}"
        return f"<Message #{self.message_id} in {self.chat.id} from {sender}: {body!r}>"

    @property
    def from_bot(self) -> bool:
        return self.from_user.is_bot

    @property
    def reply_to_message_id(self) -> int | None:
        return self.reply_to.message_id if self.reply_to is not None else None

    @property
    def photo(self) -> bytes | None:
        return self.photo_file.content if self.photo_file else None

    @property
    def buttons(self) -> list[JSONDict]:
        """All inline keyboard buttons, row by row."""
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [button for row in rows for button in row]

    def version(self) -> MessageVersion:
        return MessageVersion(
            text=self.text,
            html=self.html,
            parse_mode=self.parse_mode,
            entities=tuple(self.entities),
            reply_markup=copy.deepcopy(self.reply_markup),
            caption=self.caption,
        )

    def to_api(self, *, with_reply: bool = True) -> JSONDict:
        data: JSONDict = {
            "message_id": self.message_id,
            "date": self.date,
            "chat": self.chat.to_api(),
            "from": self.from_user.to_api(),
        }
        if self.thread_id is not None:
            data["message_thread_id"] = self.thread_id
            if self.chat.is_forum:
                data["is_topic_message"] = True
        if self.text is not None:
            data["text"] = self.text
            if self.entities:
                data["entities"] = self.entities
        if self.document is not None:
            data["document"] = self.document.document_api()
        if self.photo_file is not None:
            smaller = [size.photo_api()[0] for size in self.photo_sizes]
            data["photo"] = smaller + self.photo_file.photo_api()
        if self.video is not None:
            width, height = self.video.dimensions or (0, 0)
            data["video"] = {
                **self.video.document_api(),
                "width": width,
                "height": height,
                "duration": 1,
            }
        if self.caption is not None:
            data["caption"] = self.caption
            if self.entities:
                data["caption_entities"] = self.entities
        if self.reply_markup is not None and "inline_keyboard" in self.reply_markup:
            # Telegram echoes only inline keyboards back; reply keyboards live on the client.
            data["reply_markup"] = self.reply_markup
        if with_reply and self.reply_to is not None:
            # Telegram nests one level only.
            data["reply_to_message"] = self.reply_to.to_api(with_reply=False)
        if self.link_preview_options is not None:
            data["link_preview_options"] = self.link_preview_options
        if self.edit_date is not None:
            data["edit_date"] = self.edit_date
        return data


@dataclass(frozen=True)
class CallbackAnswer:
    """An answerCallbackQuery the bot made, with the press it answered."""

    callback_query_id: str
    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int | None
    data: str | None
    message: Message | None
    user: User | None


@dataclass
class Call:
    """One Bot API request: decoded parameters and how the sandbox answered."""

    method: str
    params: JSONDict
    status: int = 0
    error: str | None = None


@dataclass
class Stats:
    requests: Counter[str] = field(default_factory=Counter)  # per method, all outcomes
    statuses: Counter[int] = field(default_factory=Counter)  # per HTTP status answered
    too_many_requests: int = 0  # 429s answered, from the limiter or injected
