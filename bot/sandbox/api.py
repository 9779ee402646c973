"""The Bot API methods the sandbox implements, with Telegram's validation and error wording."""

from __future__ import annotations

import dataclasses
import ipaddress
import json
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .markup import EntityParseError, parse_html, trim, utf16_len
from .models import (
    ApiError,
    Chat,
    JSONDict,
    Message,
    MessageVersion,
    StoredFile,
    User,
    bad_request,
)
from .webhook import WebhookTarget

if TYPE_CHECKING:
    from .core import Sandbox

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_UPLOAD = 50 * 1024 * 1024
MAX_DOWNLOAD = 20 * 1024 * 1024
MAX_LONG_POLL = 50.0
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
UPDATE_TYPES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "message_reaction",
        "message_reaction_count",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)
# Left out when the bot names no allowed_updates (Telegram: "specify them explicitly").
ONLY_BY_NAME = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
# Parameters whose form values are plain strings; everything else PTB JSON-encodes.
_STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "file_id",
        "language_code",
        "url",
        "inline_message_id",
        "action",
        "business_connection_id",
        "message_effect_id",
    }
)
_BUTTON_ACTIONS = (
    "callback_data",
    "url",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
    "web_app",
)
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_VERSION_FIELDS = frozenset(f.name for f in dataclasses.fields(MessageVersion))
_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off", ""}


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request."""

    filename: str | None
    content: bytes
    content_type: str | None

    def __repr__(self) -> str:  # keep call logs readable when files are large
        return f"Upload({self.filename!r}, {len(self.content)} bytes, {self.content_type!r})"


class Params:
    """Request parameters with Telegram's loose typing.

    Form bodies carry strings (PTB JSON-encodes every non-string value), JSON bodies carry typed
    values; the getters accept both, as the real Bot API does.
    """

    def __init__(self, values: dict[str, Any], files: dict[str, Upload] | None = None) -> None:
        self.values = values
        self.files = files or {}

    def raw(self, name: str) -> Any:
        return self.values.get(name)

    def get_str(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        raise bad_request(f'field "{name}" must be of type String')

    def get_int(self, name: str) -> int | None:
        value = self.values.get(name)
        if value is None:
            return None
        if isinstance(value, bool):
            raise bad_request(f'field "{name}" must be of type Integer')
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str):
            try:
                return int(value.strip())
            except ValueError:
                pass
        raise bad_request(f'field "{name}" must be of type Integer')

    def get_number(self, name: str) -> float | None:
        value = self.values.get(name)
        if value is None:
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value.strip())
            except ValueError:
                pass
        raise bad_request(f'field "{name}" must be of type Number')

    def get_bool(self, name: str, default: bool = False) -> bool:
        value = self.values.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return value != 0
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        raise bad_request(f'field "{name}" must be of type Boolean')

    def get_json(self, name: str, description: str | None = None) -> Any:
        """A JSON-serialized parameter (object or array), decoded."""
        value = self.values.get(name)
        if not isinstance(value, str):
            return value
        if not value.strip():
            return None
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(description or f"can't parse {name} JSON object") from None

    def chat_id(self, name: str = "chat_id") -> int | str:
        value = self.values.get(name)
        if value is None or value == "":
            raise bad_request(f"{name} is empty")
        if isinstance(value, str):
            value = value.strip()
            if value.startswith("@"):
                return value
            try:
                return int(value)
            except ValueError:
                raise bad_request("chat not found") from None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise bad_request("chat not found")

    def logged(self) -> JSONDict:
        """Best-effort typed view for the call log: JSON-decoded where PTB JSON-encoded."""
        out: JSONDict = {}
        for key, value in self.values.items():
            if isinstance(value, str) and key not in _STRING_PARAMS:
                try:
                    value = json.loads(value)
                except ValueError:
                    pass
            out[key] = value
        out.update(self.files)
        return out


@dataclass
class RequestContext:
    """Per-HTTP-request flags the long-running methods (long poll, hang) watch."""

    closed: bool = False


Handler = Callable[[Params, RequestContext], Awaitable[Any]]


def _url_button_refused(url: Any, refused_hosts: set[str]) -> bool:
    """What Telegram answers BUTTON_URL_INVALID for (its own check, which planbot's
    bot/views/url_buttons.py only predicts): no address; a scheme but http(s) and tg; a host
    `localhost` or of one word; an IP address of a loopback, private or link-local network;
    a host the test named (`Sandbox.refused_button_hosts`)."""
    if not isinstance(url, str) or not url.strip():
        return True
    scheme, _, rest = url.strip().partition("://")
    if scheme.lower() == "tg":
        return False
    if scheme.lower() not in ("http", "https") or not rest:
        return True
    host = re.split(r"[/?#]", rest, maxsplit=1)[0].rpartition("@")[2]
    host = host[1:].partition("]")[0] if host.startswith("[") else host.partition(":")[0]
    host = host.lower().rstrip(".")
    if host in refused_hosts or host == "localhost" or host.endswith(".localhost"):
        return True
    if "." not in host and ":" not in host:
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_private or address.is_loopback or address.is_link_local


def _check_web_app(web_app: Any, what: str) -> None:
    """A WebAppInfo: an HTTPS URL, as Telegram requires of every Mini App."""
    url = web_app.get("url") if isinstance(web_app, dict) else None
    if not isinstance(url, str):
        raise bad_request(f"can't parse {what}: WebAppInfo expected")
    if not url.startswith("https://") or len(url) <= len("https://"):
        raise bad_request(f"{what} Web App URL '{url}' is invalid: Only HTTPS links are allowed")


class BotApi:
    """Bot API method implementations operating on a Sandbox's state."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sb = sandbox
        self.methods: dict[str, tuple[str, Handler]] = {}
        for name in (
            "getMe",
            "getUpdates",
            "sendMessage",
            "editMessageText",
            "editMessageCaption",
            "editMessageReplyMarkup",
            "deleteMessage",
            "sendChatAction",
            "answerCallbackQuery",
            "sendDocument",
            "sendPhoto",
            "setMyCommands",
            "getMyCommands",
            "deleteMyCommands",
            "setChatMenuButton",
            "getChatMenuButton",
            "setWebhook",
            "deleteWebhook",
            "getWebhookInfo",
            "getChatMember",
            "getChat",
            "getFile",
            "close",
            "logOut",
        ):
            # Telegram matches method names case-insensitively.
            self.methods[name.lower()] = (name, getattr(self, f"m_{name}"))

    def lookup(self, method: str) -> tuple[str, Handler] | None:
        return self.methods.get(method.lower())

    # -- helpers ---------------------------------------------------------------------------

    def _chat(self, p: Params, name: str = "chat_id") -> Chat:
        chat = self.sb._find_chat(p.chat_id(name))
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def _writable_chat(self, p: Params) -> Chat:
        ref = p.chat_id()
        chat = self.sb._find_chat(ref)
        if chat is None and isinstance(ref, int) and ref in self.sb.users:
            # A user who never opened the bot (no private_chat() yet) can't be written to.
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        if chat is None:
            raise bad_request("chat not found")
        if chat.bot_blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    def _formatted(
        self, p: Params, field: str, *, entities_field: str, limit: int, required: bool
    ) -> tuple[str | None, str | None, str | None, list[JSONDict]]:
        """(visible text, raw text, parse_mode, entities) of a text or caption parameter."""
        raw = p.get_str(field)
        parse_mode = p.get_str("parse_mode") or None
        if raw is None or raw == "":
            if required:
                raise bad_request("message text is empty")
            return None, None, parse_mode, []
        mode = (parse_mode or "").lower()
        if mode == "html":
            try:
                visible, entities = parse_html(raw)
            except EntityParseError as exc:
                raise bad_request(f"can't parse entities: {exc}") from None
        elif mode in ("", "markdown", "markdownv2"):
            # Markdown is not parsed (planbot uses HTML): the text is taken verbatim.
            visible = raw
            entities = self._explicit_entities(p, entities_field) if not mode else []
        else:
            raise bad_request("unsupported parse_mode")
        visible, entities = trim(visible, entities)
        if not visible:
            if required:
                raise bad_request("message text is empty")
            return None, raw, parse_mode, []
        if utf16_len(visible) > limit:
            raise bad_request("message is too long" if required else "message caption is too long")
        return visible, raw, parse_mode, entities

    def _explicit_entities(self, p: Params, name: str) -> list[JSONDict]:
        entities = p.get_json(name, "can't parse entities JSON object")
        if entities is None:
            return []
        if not isinstance(entities, list) or not all(
            isinstance(e, dict)
            and isinstance(e.get("type"), str)
            and isinstance(e.get("offset"), int)
            and isinstance(e.get("length"), int)
            for e in entities
        ):
            raise bad_request("can't parse entities: entities must be an array of MessageEntity")
        return entities

    def _reply_markup(self, p: Params, chat: Chat, *, inline_only: bool) -> JSONDict | None:
        markup = p.get_json("reply_markup", "can't parse reply keyboard markup JSON object")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            rows = markup["inline_keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise bad_request(
                    'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
                )
            for row in rows:
                for button in row:
                    self._check_button(button, chat)
            return markup
        if inline_only:
            raise bad_request("inline keyboard expected")
        if any(k in markup for k in ("keyboard", "remove_keyboard", "force_reply")):
            return markup
        raise bad_request("can't parse reply keyboard markup JSON object")

    def _check_button(self, button: Any, chat: Chat) -> None:
        if not isinstance(button, dict) or not isinstance(button.get("text"), str):
            raise bad_request("can't parse inline keyboard button: InlineKeyboardButton expected")
        if not button["text"]:
            raise bad_request("BUTTON_TEXT_INVALID")
        actions = [k for k in _BUTTON_ACTIONS if k in button]
        if not actions:
            raise bad_request(
                "can't parse inline keyboard button: Text buttons are unallowed in the inline "
                "keyboard"
            )
        data = button.get("callback_data")
        if "callback_data" in button and (
            not isinstance(data, str) or not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA
        ):
            raise bad_request("BUTTON_DATA_INVALID")
        if "url" in button and _url_button_refused(button["url"], self.sb.refused_button_hosts):
            raise bad_request("BUTTON_URL_INVALID")
        if "web_app" in button:
            # The Bot API: web_app buttons are "available only in private chats between a user
            # and the bot"; Telegram answers a group BUTTON_TYPE_INVALID.
            if chat.type != "private":
                raise bad_request("BUTTON_TYPE_INVALID")
            _check_web_app(button["web_app"], "inline keyboard button")

    def _reply_target(self, p: Params, chat: Chat) -> Message | None:
        params = p.get_json("reply_parameters", "can't parse reply parameters JSON object")
        allow_missing = p.get_bool("allow_sending_without_reply")
        if params is not None:
            if not isinstance(params, dict):
                raise bad_request("can't parse reply parameters JSON object")
            sub = Params(params)
            message_id = sub.get_int("message_id")
            allow_missing = sub.get_bool("allow_sending_without_reply", allow_missing)
            if "chat_id" in params:
                target_chat = self._chat(sub)
            else:
                target_chat = chat
        else:
            message_id = p.get_int("reply_to_message_id")
            target_chat = chat
        if message_id is None:
            return None
        target = self.sb._find_message(target_chat.id, message_id)
        if target is None and not allow_missing:
            raise bad_request("message to be replied not found")
        return target

    def _link_preview(self, p: Params) -> JSONDict | None:
        options = p.get_json("link_preview_options", "can't parse link preview options")
        if options is not None and not isinstance(options, dict):
            raise bad_request("can't parse link preview options")
        if options is None and p.get_bool("disable_web_page_preview"):
            options = {"is_disabled": True}
        return options

    def _thread(self, p: Params, chat: Chat, reply_to: Message | None) -> int | None:
        thread_id = p.get_int("message_thread_id")
        if thread_id is None and reply_to is not None and chat.is_forum:
            # Replies in a forum stay in the topic of the message they answer.
            thread_id = reply_to.thread_id
        return thread_id

    def _upload(self, p: Params, field: str, kind: str) -> StoredFile:
        upload = p.files.get(field)
        value = p.get_str(field)
        if upload is None and value and value.startswith("attach://"):
            upload = p.files.get(value.removeprefix("attach://"))
        if upload is not None:
            if not upload.content:
                raise bad_request("file must be non-empty")
            if len(upload.content) > MAX_UPLOAD:
                raise ApiError(413, "Request Entity Too Large")
            return self.sb._store_file(kind, upload.filename, upload.content, upload.content_type)
        if not value:
            raise bad_request(f"there is no {field} in the request")
        existing = self.sb.files.get(value)
        if existing is not None:
            # Telegram sends a file again only as what it is: a photo's file_id is no document.
            if existing.file_path.split("/", 1)[0] != kind:
                raise bad_request("type of file mismatch")
            return existing
        if value.startswith(("http://", "https://")):
            # The sandbox has no internet to fetch from, like a URL Telegram can't reach.
            raise bad_request("failed to get HTTP URL content")
        raise bad_request("wrong file identifier/HTTP URL specified")

    def _send(
        self, p: Params, chat: Chat, **fields: Any
    ) -> JSONDict:  # the part every send* shares
        reply_to = self._reply_target(p, chat)
        reply_markup = self._reply_markup(p, chat, inline_only=False)
        thread_id = self._thread(p, chat, reply_to)
        self.sb._flood.acquire(chat.id, chat.type)
        message = self.sb._add_message(
            chat,
            self.sb.bot,
            reply_to=reply_to,
            reply_markup=reply_markup,
            thread_id=thread_id,
            disable_notification=p.get_bool("disable_notification"),
            **fields,
        )
        return message.to_api()

    def _own_message(self, p: Params) -> Message:
        if p.raw("inline_message_id"):
            raise bad_request("inline messages are not supported by the sandbox")
        chat = self._chat(p)
        message_id = p.get_int("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        message = self.sb._find_message(chat.id, message_id)
        if message is None:
            raise bad_request("message to edit not found")
        if not message.from_bot or not message.editable:
            raise bad_request("message can't be edited")
        return message

    def _apply_edit(self, method: str, message: Message, **changes: Any) -> JSONDict:
        before = message.version()
        edited: dict[str, Any] = {
            key: tuple(value) if key == "entities" else value
            for key, value in changes.items()
            if key in _VERSION_FIELDS
        }
        after = dataclasses.replace(before, **edited)
        # Telegram compares what the user sees, so <b> vs <strong> is still "not modified".
        if after.content() == before.content():
            raise bad_request(NOT_MODIFIED)
        for key, value in changes.items():
            setattr(message, key, value)
        self.sb._record_edit(method, message, before)
        return message.to_api()

    # -- methods ---------------------------------------------------------------------------

    async def m_getMe(self, p: Params, ctx: RequestContext) -> JSONDict:
        return {
            **self.sb.bot.to_api(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def m_getUpdates(self, p: Params, ctx: RequestContext) -> list[JSONDict]:
        sb = self.sb
        if sb.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use "
                "deleteWebhook to delete the webhook first",
            )
        offset = p.get_int("offset")
        limit = min(max(p.get_int("limit") or 100, 1), 100)
        timeout = min(max(p.get_number("timeout") or 0.0, 0.0), MAX_LONG_POLL)
        allowed = p.get_json("allowed_updates", "can't parse allowed updates")
        if allowed is not None:
            if not isinstance(allowed, list) or not all(isinstance(a, str) for a in allowed):
                raise bad_request("can't parse allowed updates")
            # Telegram keeps the setting until the next call that passes it.
            sb._allowed_updates = frozenset(allowed) & UPDATE_TYPES or None
        sb._confirm_updates(offset)
        # A newer getUpdates terminates an older one, as on Telegram.
        sb._poll_generation += 1
        generation = sb._poll_generation
        deadline = time.monotonic() + timeout
        while True:
            batch = sb._deliverable_updates(limit)
            remaining = deadline - time.monotonic()
            if batch or remaining <= 0 or sb._stopping or ctx.closed:
                return batch
            if sb._poll_generation != generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only one "
                    "bot instance is running",
                )
            await sb._wait_change(remaining)

    async def m_sendMessage(self, p: Params, ctx: RequestContext) -> JSONDict:
        chat = self._writable_chat(p)
        text, html, parse_mode, entities = self._formatted(
            p, "text", entities_field="entities", limit=MAX_TEXT, required=True
        )
        return self._send(
            p,
            chat,
            text=text,
            html=html,
            parse_mode=parse_mode,
            entities=entities,
            link_preview_options=self._link_preview(p),
        )

    async def m_sendDocument(self, p: Params, ctx: RequestContext) -> JSONDict:
        chat = self._writable_chat(p)
        caption, html, parse_mode, entities = self._formatted(
            p, "caption", entities_field="caption_entities", limit=MAX_CAPTION, required=False
        )
        stored = self._upload(p, "document", "documents")
        return self._send(
            p,
            chat,
            document=stored,
            caption=caption,
            html=html,
            parse_mode=parse_mode,
            entities=entities,
        )

    async def m_sendPhoto(self, p: Params, ctx: RequestContext) -> JSONDict:
        chat = self._writable_chat(p)
        caption, html, parse_mode, entities = self._formatted(
            p, "caption", entities_field="caption_entities", limit=MAX_CAPTION, required=False
        )
        stored = self._upload(p, "photo", "photos")
        return self._send(
            p,
            chat,
            photo_file=stored,
            caption=caption,
            html=html,
            parse_mode=parse_mode,
            entities=entities,
        )

    async def m_editMessageText(self, p: Params, ctx: RequestContext) -> JSONDict:
        message = self._own_message(p)
        text, html, parse_mode, entities = self._formatted(
            p, "text", entities_field="entities", limit=MAX_TEXT, required=True
        )
        reply_markup = self._reply_markup(p, message.chat, inline_only=True)
        if message.text is None:
            raise bad_request("there is no text in the message to edit")
        return self._apply_edit(
            "editMessageText",
            message,
            text=text,
            html=html,
            parse_mode=parse_mode,
            entities=entities,
            # Like Telegram: an edit without reply_markup drops the inline keyboard.
            reply_markup=reply_markup,
            link_preview_options=self._link_preview(p) or message.link_preview_options,
        )

    async def m_editMessageCaption(self, p: Params, ctx: RequestContext) -> JSONDict:
        message = self._own_message(p)
        caption, html, parse_mode, entities = self._formatted(
            p, "caption", entities_field="caption_entities", limit=MAX_CAPTION, required=False
        )
        reply_markup = self._reply_markup(p, message.chat, inline_only=True)
        if message.document is None and message.photo_file is None:
            raise bad_request("there is no caption in the message to edit")
        return self._apply_edit(
            "editMessageCaption",
            message,
            caption=caption,
            html=html,
            parse_mode=parse_mode,
            entities=entities,
            reply_markup=reply_markup,
        )

    async def m_editMessageReplyMarkup(self, p: Params, ctx: RequestContext) -> JSONDict:
        message = self._own_message(p)
        reply_markup = self._reply_markup(p, message.chat, inline_only=True)
        return self._apply_edit("editMessageReplyMarkup", message, reply_markup=reply_markup)

    async def m_deleteMessage(self, p: Params, ctx: RequestContext) -> bool:
        chat = self._chat(p)
        message_id = p.get_int("message_id")
        message = None if message_id is None else self.sb._find_message(chat.id, message_id)
        if message is None:
            raise bad_request("message to delete not found")
        if not message.from_bot and chat.type == "private":
            raise bad_request("message can't be deleted")
        self.sb._delete_message(message)
        return True

    async def m_sendChatAction(self, p: Params, ctx: RequestContext) -> bool:
        self._writable_chat(p)
        if not p.get_str("action"):
            raise bad_request("action is empty")
        return True

    async def m_answerCallbackQuery(self, p: Params, ctx: RequestContext) -> bool:
        query_id = p.get_str("callback_query_id") or ""
        pending = self.sb._open_queries.pop(query_id, None)
        if pending is None:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        text = p.get_str("text")
        if text is not None and len(text) > 200:
            self.sb._open_queries[query_id] = pending
            raise bad_request("MESSAGE_TOO_LONG")
        self.sb._record_callback_answer(
            query_id=query_id,
            text=text,
            show_alert=p.get_bool("show_alert"),
            url=p.get_str("url"),
            cache_time=p.get_int("cache_time"),
            pending=pending,
        )
        return True

    def _scope_key(self, p: Params) -> str:
        scope = p.get_json("scope", "can't parse BotCommandScope JSON object")
        if scope is None:
            return "default"
        if not isinstance(scope, dict) or not isinstance(scope.get("type"), str):
            raise bad_request("can't parse BotCommandScope JSON object")
        kind = scope["type"]
        if kind in ("default", "all_private_chats", "all_group_chats", "all_chat_administrators"):
            return kind
        sub = Params(scope)
        if kind in ("chat", "chat_administrators"):
            return f"{kind}:{self._chat(sub).id}"
        if kind == "chat_member":
            user_id = sub.get_int("user_id")
            return f"{kind}:{self._chat(sub).id}:{user_id}"
        raise bad_request("wrong scope type specified")

    def _language(self, p: Params) -> str:
        language = p.get_str("language_code") or ""
        if language and not re.fullmatch(r"[a-z]{2}", language):
            raise bad_request("invalid language code specified")
        return language

    async def m_setMyCommands(self, p: Params, ctx: RequestContext) -> bool:
        commands = p.get_json("commands", "can't parse commands JSON object")
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
        if len(commands) > 100:
            raise bad_request("too many commands specified")
        parsed: list[tuple[str, str]] = []
        for item in commands:
            if not isinstance(item, dict):
                raise bad_request("can't parse BotCommand JSON object")
            command = item.get("command")
            description = item.get("description")
            if not isinstance(command, str) or not _COMMAND.fullmatch(command):
                raise bad_request("BOT_COMMAND_INVALID")
            if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            parsed.append((command, description))
        key = (self._scope_key(p), self._language(p))
        if parsed:
            self.sb.commands[key] = parsed
        else:
            self.sb.commands.pop(key, None)
        return True

    async def m_getMyCommands(self, p: Params, ctx: RequestContext) -> list[JSONDict]:
        key = (self._scope_key(p), self._language(p))
        return [{"command": c, "description": d} for c, d in self.sb.commands.get(key, [])]

    async def m_deleteMyCommands(self, p: Params, ctx: RequestContext) -> bool:
        self.sb.commands.pop((self._scope_key(p), self._language(p)), None)
        return True

    def _menu_chat(self, p: Params) -> int | None:
        """The private chat a menu button call names; None for the bot's default button."""
        if p.raw("chat_id") in (None, ""):
            return None
        chat = self._chat(p)
        if chat.type != "private":
            # The Bot API: "Unique identifier for the target private chat".
            raise bad_request("chat_id must be a private chat")
        return chat.id

    async def m_setChatMenuButton(self, p: Params, ctx: RequestContext) -> bool:
        chat_id = self._menu_chat(p)
        button = p.get_json("menu_button", "can't parse menu button JSON object")
        if button is None:
            button = {"type": "default"}
        if not isinstance(button, dict):
            raise bad_request("can't parse menu button JSON object")
        kind = button.get("type")
        if kind == "web_app":
            text = button.get("text")
            if not isinstance(text, str) or not text.strip():
                raise bad_request("menu button text must be non-empty")
            _check_web_app(button.get("web_app"), "menu button")
            kept: JSONDict = {
                "type": kind,
                "text": text,
                "web_app": {"url": button["web_app"]["url"]},
            }
        elif kind in ("commands", "default"):
            kept = {"type": kind}
        else:
            raise bad_request("unsupported menu button type")
        if kind == "default":
            self.sb.menu_buttons.pop(chat_id, None)
        else:
            self.sb.menu_buttons[chat_id] = kept
        return True

    async def m_getChatMenuButton(self, p: Params, ctx: RequestContext) -> JSONDict:
        chat_id = self._menu_chat(p)
        if chat_id is not None and chat_id in self.sb.menu_buttons:
            return dict(self.sb.menu_buttons[chat_id])
        if chat_id is not None:
            # No button of its own: the chat shows the bot's default one.
            return {"type": "default"}
        # The bot's default button opens the command list until the bot sets another.
        return dict(self.sb.menu_buttons.get(None, {"type": "commands"}))

    async def m_setWebhook(self, p: Params, ctx: RequestContext) -> bool:
        url = p.get_str("url") or ""
        if not url:
            await self.sb.set_webhook(None)
            return True
        if not url.startswith(("http://", "https://")):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = p.get_str("secret_token")
        if secret is not None and not (
            1 <= len(secret) <= 256 and all(c.isalnum() or c in "_-" for c in secret)
        ):
            raise bad_request("bad webhook: secret token contains unallowed characters")
        allowed = p.get_json("allowed_updates", "can't parse allowed updates")
        if p.get_bool("drop_pending_updates"):
            self.sb._updates.clear()
        if allowed:
            # Telegram applies the same filter whichever way updates are fetched.
            self.sb._allowed_updates = frozenset(allowed) & UPDATE_TYPES or None
        await self.sb.set_webhook(WebhookTarget(url, secret))
        return True

    async def m_deleteWebhook(self, p: Params, ctx: RequestContext) -> bool:
        if p.get_bool("drop_pending_updates"):
            self.sb._updates.clear()
        await self.sb.set_webhook(None)
        return True

    async def m_getWebhookInfo(self, p: Params, ctx: RequestContext) -> JSONDict:
        target = self.sb.webhook
        return {
            "url": target.url if target else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self.sb._updates),
        }

    async def m_getChatMember(self, p: Params, ctx: RequestContext) -> JSONDict:
        chat = self._chat(p)
        user_id = p.get_int("user_id")
        if user_id is None:
            raise bad_request("user_id is empty")
        user: User | None = self.sb.bot if user_id == self.sb.bot.id else self.sb.users.get(user_id)
        if user is None:
            raise bad_request("user not found")
        return self.sb._member_api(chat, user)

    async def m_getChat(self, p: Params, ctx: RequestContext) -> JSONDict:
        return self._chat(p).full_info()

    async def m_getFile(self, p: Params, ctx: RequestContext) -> JSONDict:
        stored = self.sb.files.get(p.get_str("file_id") or "")
        if stored is None:
            raise bad_request("invalid file_id")
        if stored.size > MAX_DOWNLOAD:
            raise bad_request("file is too big")
        return stored.file_api()

    async def m_close(self, p: Params, ctx: RequestContext) -> bool:
        return True

    async def m_logOut(self, p: Params, ctx: RequestContext) -> bool:
        return True
