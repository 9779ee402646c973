"""The fake Bot API must look like Telegram to the unmodified PTB client, over real HTTP."""

from __future__ import annotations

import asyncio
import datetime as dtm
import json
import logging
import time
import warnings
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
import time_machine
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyParameters,
    Update,
)
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TimedOut
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest
from telegram.warnings import PTBDeprecationWarning

from bot.context import PlanbotContext
from bot.sandbox import EntityParseError, Sandbox, User, parse_html, utf16_len

ROOMY = {"private_limit": (100, 1.0), "group_limit": (100, 1.0), "overall_limit": (100, 1.0)}
# A bare PTB bot answering twice in a group within a second: Telegram lets such a short burst
# pass, though it asks bots not to count on it (the sandbox refuses it by default).
BURSTS = {"group_burst_limit": None}


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d.upper(), callback_data=d) for d in data]])


def user_with_chat(sb: Sandbox, name: str = "Alice") -> User:
    """A user who has opened the bot's private chat, so the bot may write to them."""
    user = sb.add_user(name)
    sb.private_chat(user)
    return user


def retry_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


@asynccontextmanager
async def polling(app: Application) -> AsyncIterator[Application]:
    async with app:
        await app.start()
        assert app.updater is not None
        # A long poll much longer than any bound below: "promptly" cannot depend on load.
        await app.updater.start_polling(poll_interval=0, timeout=30)
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()


@pytest.fixture
def clock() -> list[float]:
    """A hand-moved monotonic clock for the flood limiter: clock[0] is "now"."""
    return [1000.0]


# -- basics -------------------------------------------------------------------------------


async def test_get_me(sandbox: Sandbox, sandbox_bot: Bot) -> None:
    me = await sandbox_bot.get_me()
    assert me.id == 123456
    assert me.username == "planbot_bot"
    assert me.is_bot
    assert sandbox.stats.requests["getMe"] >= 1


async def test_wrong_token_raises_invalid_token(sandbox: Sandbox) -> None:
    with pytest.raises(InvalidToken):
        async with Bot("999:WRONG", base_url=sandbox.base_url):
            pass


async def test_raw_http_errors_are_json(sandbox: Sandbox) -> None:
    api = f"{sandbox.base_url}{sandbox.token}"
    async with httpx.AsyncClient() as client:
        unknown = await client.post(f"{api}/frobnicate")
        assert unknown.status_code == 404
        assert unknown.json() == {
            "ok": False,
            "error_code": 404,
            "description": "Not Found: method not found",
        }
        # Method names are case-insensitive, like on Telegram.
        assert (await client.get(f"{api}/GETME")).json()["ok"] is True
        bad_json = await client.post(
            f"{api}/sendMessage",
            content=b"{nope",
            headers={"Content-Type": "application/json"},
        )
        assert bad_json.status_code == 400
        assert bad_json.json()["ok"] is False
        bad_bytes = await client.post(
            f"{api}/sendMessage",
            content=b"chat_id=1&text=%FF",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert bad_bytes.status_code == 400
        bad_multipart = await client.post(
            f"{api}/sendDocument",
            content=b"garbage",
            headers={"Content-Type": "multipart/form-data; boundary=xyz"},
        )
        assert bad_multipart.status_code == 400
        assert bad_multipart.json()["ok"] is False
        bad_int = await client.post(f"{api}/getUpdates", data={"offset": "x"})
        assert bad_int.status_code == 400
        assert (await client.get(f"http://127.0.0.1:{sandbox.port}/nowhere")).status_code == 404
        wrong_file_token = await client.get(f"{sandbox.base_file_url}nope/documents/x")
        assert wrong_file_token.status_code == 401
    assert sandbox.errors == []


async def test_json_body_is_accepted(sandbox: Sandbox) -> None:
    alice = user_with_chat(sandbox)
    chat = sandbox.private_chat(alice)
    async with httpx.AsyncClient() as client:
        answer = await client.post(
            f"{sandbox.base_url}{sandbox.token}/sendMessage",
            json={"chat_id": chat.id, "text": "<i>hi</i>", "parse_mode": "HTML"},
        )
    assert answer.json()["result"]["entities"] == [{"type": "italic", "offset": 0, "length": 2}]
    assert sandbox.sent(chat)[0].text == "hi"


async def test_token_never_logged(sandbox: Sandbox, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    user = sandbox.add_user("Alice")
    document = sandbox.send_document(user, user, "a.txt", b"x")
    async with httpx.AsyncClient() as client:
        api = f"{sandbox.base_url}{sandbox.token}"
        await client.post(f"{api}/getMe")
        await client.post(f"{api}/nope")
        await client.post(f"{api}/sendMessage", data={"chat_id": "1"})
        await client.post(f"{api}/getMe", content=b"x", headers={"Content-Type": "multipart/x"})
        assert document.document is not None
        await client.get(f"{sandbox.base_file_url}{sandbox.token}/{document.document.file_path}")
    # The HTTP client logs its own URLs; what matters is the server side.
    server_side = [r.getMessage() for r in caplog.records if r.name.startswith(("bot", "tornado"))]
    assert server_side, "the sandbox should log its requests at DEBUG"
    assert not [line for line in server_side if sandbox.token.split(":")[1] in line]
    assert sandbox.token not in repr(sandbox)


# -- getUpdates and a polling Application ---------------------------------------------------


@pytest.mark.sandbox(**BURSTS)
async def test_polling_application_echoes_a_command(sandbox: Sandbox) -> None:
    async def echo(update: Update, context: PlanbotContext) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text("echo: " + " ".join(context.args or []))

    app = (
        ApplicationBuilder()
        .token(sandbox.token)
        .base_url(sandbox.base_url)
        .base_file_url(sandbox.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("echo", echo))
    alice = sandbox.add_user("Alice", username="alice")
    group = sandbox.add_chat("supergroup", title="Team", members=[alice])
    async with polling(app):
        sandbox.send_text(group, alice, "/echo@planbot_bot hello world")
        sandbox.send_text(group, alice, "/echo again")
        replies = await sandbox.wait_for(2, chat=group, timeout=3)
        stopping = time.monotonic()
    assert time.monotonic() - stopping < 10, "long poll must end promptly when polling stops"
    assert [m.text for m in replies] == ["echo: hello world", "echo: again"]
    assert replies[0].chat is group
    assert replies[0].from_bot
    # The final getUpdates of Updater.stop() confirmed both updates.
    assert sandbox.pending_updates == []


async def test_long_poll_returns_as_soon_as_an_update_arrives(
    sandbox: Sandbox, sandbox_bot: Bot
) -> None:
    alice = user_with_chat(sandbox)
    loop = asyncio.get_running_loop()
    loop.call_later(0.05, sandbox.send_text, alice, alice, "hi")
    # Answered long before the poll's 30 s are up.
    updates = await asyncio.wait_for(sandbox_bot.get_updates(timeout=30), 10)
    assert [u.message.text for u in updates if u.message] == ["hi"]
    # Not confirmed yet: delivered again until an offset above it is passed.
    again = await sandbox_bot.get_updates(timeout=0)
    assert [u.update_id for u in again] == [updates[0].update_id]
    assert await sandbox_bot.get_updates(offset=updates[0].update_id + 1, timeout=0) == ()
    assert sandbox.pending_updates == []


async def test_long_poll_ends_when_sandbox_stops() -> None:
    sb = await Sandbox().start()
    async with Bot(sb.token, base_url=sb.base_url) as tg_bot:
        poll = asyncio.create_task(tg_bot.get_updates(timeout=30))
        await sb.wait_until(lambda: bool(sb.calls_to("getUpdates")), timeout=2)
        await sb.stop()
        assert await asyncio.wait_for(poll, 10) == (), "ended well before its 30 s"


async def test_allowed_updates_filter_and_negative_offset(
    sandbox: Sandbox, sandbox_bot: Bot
) -> None:
    alice = user_with_chat(sandbox)
    await sandbox_bot.send_message(alice.id, "pick", reply_markup=keyboard("a"))
    sandbox.send_text(alice, alice, "one")
    sandbox.press_button(sandbox.sent()[0], alice, "a")
    sandbox.send_text(alice, alice, "two")
    only_last = await sandbox_bot.get_updates(offset=-1, timeout=0)
    assert [u.message.text for u in only_last if u.message] == ["two"]
    sandbox.send_text(alice, alice, "three")
    sandbox.press_button(sandbox.sent()[0], alice, "a")
    updates = await sandbox_bot.get_updates(timeout=0, allowed_updates=["callback_query"])
    assert [u.callback_query.data for u in updates if u.callback_query] == ["a"]
    assert all(u.message is None for u in updates)


async def test_reactions_come_only_from_chats_the_bot_administers_and_only_when_asked_for(
    sandbox: Sandbox, sandbox_bot: Bot
) -> None:
    """As on Telegram: no update where the bot is no admin; an update with the old and new
    reactions where it is, delivered only when allowed_updates names message_reaction."""
    alice = sandbox.add_user("Alice")
    group = sandbox.add_chat("supergroup", title="G", members=[alice])
    sent = await sandbox_bot.send_message(group.id, "reminder")
    assert not sandbox.react(alice, sandbox.sent()[0], "👍")
    assert sandbox.pending_updates == []
    sandbox.set_admin(group, sandbox.bot)
    assert sandbox.react(alice, sandbox.sent()[0], "👍")
    assert await sandbox_bot.get_updates(timeout=0) == (), "not named: never queued"
    sandbox.react(alice, sandbox.sent()[0], "😢", "👍")
    updates = await sandbox_bot.get_updates(timeout=0, allowed_updates=["message_reaction"])
    (update,) = updates
    reaction = update.message_reaction
    assert reaction is not None and reaction.message_id == sent.message_id
    assert reaction.chat.id == group.id and reaction.user is not None
    assert reaction.user.id == alice.id
    assert [r.to_dict() for r in reaction.old_reaction] == [{"type": "emoji", "emoji": "👍"}]
    assert [r.to_dict()["emoji"] for r in reaction.new_reaction] == ["😢", "👍"]


# -- messages -------------------------------------------------------------------------------


async def test_send_message_is_recorded_with_markup(sandbox: Sandbox, sandbox_bot: Bot) -> None:
    alice = user_with_chat(sandbox)
    chat = sandbox.private_chat(alice)
    assert chat.id == alice.id
    sent = await sandbox_bot.send_message(
        chat.id,
        "  <b>Plan</b> for <i>May</i> &amp; more\n",
        parse_mode="HTML",
        reply_markup=keyboard("ok"),
        disable_notification=True,
        link_preview_options={"is_disabled": True},
    )
    assert sent.text == "Plan for May & more"
    assert sent.entities[0].type == "bold"
    [record] = sandbox.sent(alice)
    assert record.message_id == sent.message_id
    assert record.html == "  <b>Plan</b> for <i>May</i> &amp; more\n"
    assert record.parse_mode == "HTML"
    assert record.reply_markup == {"inline_keyboard": [[{"text": "OK", "callback_data": "ok"}]]}
    assert record.disable_notification
    assert record.link_preview_options == {"is_disabled": True}
    call = sandbox.calls_to("sendMessage")[0]
    assert call.params["chat_id"] == chat.id
    assert call.status == 200


async def test_message_ids_increase_per_chat(sandbox: Sandbox, sandbox_bot: Bot) -> None:
    alice = user_with_chat(sandbox)
    group = sandbox.add_chat("supergroup", members=[alice])
    other = sandbox.add_chat("group", members=[alice])
    assert str(group.id).startswith("-100")
    assert other.id < 0 and not str(other.id).startswith("-100")
    first = sandbox.send_text(group, alice, "hi")
    bot_message = await sandbox_bot.send_message(group.id, "hello")
    in_other = await sandbox_bot.send_message(other.id, "hello")
    assert (first.message_id, bot_message.message_id, in_other.message_id) == (1, 2, 1)


@pytest.mark.sandbox(**BURSTS)
async def test_replies_map_both_ways(sandbox: Sandbox) -> None:
    seen: list[tuple[str, int | None]] = []

    async def on_text(update: Update, context: PlanbotContext) -> None:
        message = update.effective_message
        assert message is not None and message.text is not None
        replied = message.reply_to_message
        seen.append((message.text, replied.message_id if replied else None))
        await message.reply_text("got it", reply_parameters=ReplyParameters(message.message_id))

    app = sandbox.application_builder().build()
    app.add_handler(MessageHandler(filters.TEXT, on_text))
    alice = user_with_chat(sandbox)
    group = sandbox.add_chat(members=[alice])
    async with polling(app):
        question = sandbox.send_text(group, alice, "question")
        [answer] = await sandbox.wait_for(1, chat=group, timeout=3)
        followup = sandbox.send_text(group, alice, "follow-up", reply_to=answer)
        await sandbox.wait_for(2, chat=group, timeout=3)
    assert answer.reply_to_message_id == question.message_id
    assert sandbox.sent(group)[1].reply_to_message_id == followup.message_id
    assert seen == [("question", None), ("follow-up", answer.message_id)]


async def test_reply_to_missing_message(sandbox: Sandbox, sandbox_bot: Bot) -> None:
    alice = user_with_chat(sandbox)
    with pytest.raises(BadRequest, match=r"(?i)message to be replied not found"):
        await sandbox_bot.send_message(alice.id, "x", reply_to_message_id=42)
    ok = await sandbox_bot.send_message(
        alice.id, "x", reply_parameters=ReplyParameters(42, allow_sending_without_reply=True)
    )
    assert ok.reply_to_message is None


@pytest.mark.sandbox(**BURSTS)
async def test_forum_topics(sandbox: Sandbox, sandbox_bot: Bot) -> None:
    alice = user_with_chat(sandbox)
    forum = sandbox.add_chat("supergroup", is_forum=True, members=[alice])
    incoming = sandbox.send_text(forum, alice, "/report", thread_id=7)
    update = sandbox.pending_updates[0]["message"]
    assert update["message_thread_id"] == 7
    assert update["is_topic_message"] is True
    assert update["entities"] == [{"type": "bot_command", "offset": 0, "length": 7}]
    await sandbox_bot.send_message(forum.id, "in topic", message_thread_id=7)
    # A reply without an explicit thread stays in the topic of the message it answers.
    await sandbox_bot.send_message(forum.id, "reply", reply_to_message_id=incoming.message_id)
    assert [m.thread_id for m in sandbox.sent(forum)] == [7, 7]


async def test_telegram_errors(sandbox: Sandbox, sandbox_bot: Bot) -> None:
    alice = user_with_chat(sandbox)
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await sandbox_bot.send_message(-100777, "x")
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await sandbox_bot.send_message(alice.id, "  \n ")
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await sandbox_bot.send_message(alice.id, "x", reply_markup=keyboard("d" * 65))
    await sandbox_bot.send_message(alice.id, "x", reply_markup=keyboard("é" * 32))  # 64 bytes
    stranger = sandbox.add_user("Stranger")
    with pytest.raises(Forbidden, match=r"(?i)bot can't initiate conversation"):
        await sandbox_bot.send_message(stranger.id, "x")
    sandbox.block_bot(alice)
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await sandbox_bot.send_message(alice.id, "x")
    assert [m.text for m in sandbox.sent()] == ["x"]
    assert sandbox.errors == []


# -- HTML parse mode and length -----------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "detail"),
    [
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<blink>x</blink>", 'Unsupported start tag "blink" at byte offset 0'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("x<5", "Unclosed start tag at byte offset 1"),
        ("&nbsp;", 'Unsupported HTML entity "&nbsp;" at byte offset 0'),
        ('<span class="x">y</span>', 'Tag "span" must have class "tg-spoiler"'),
        ("<br>", 'Unsupported start tag "br" at byte offset 0'),
    ],
)
async def test_bad_html_is_rejected(
    sandbox: Sandbox, sandbox_bot: Bot, html: str, detail: str
) -> None:
    alice = user_with_chat(sandbox)
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities") as info:
        await sandbox_bot.send_message(alice.id, html, parse_mode="HTML")
    # PTB re-capitalises the description; the sandbox's own wording is Telegram's.
    assert detail.lower() in str(info.value).lower()
    error = sandbox.calls_to("sendMessage")[-1].error
    assert error is not None and error.startswith("Bad Request: can't parse entities: ")
    assert detail in error
    assert sandbox.sent() == []


@pytest.mark.sandbox(**ROOMY)
async def test_length_counts_visible_utf16_units(sandbox: Sandbox, sandbox_bot: Bot) -> None:
    alice = user_with_chat(sandbox)
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await sandbox_bot.send_message(alice.id, "a" * 4097)
    # Markup doesn't count, entities count as one character each.
    fits = await sandbox_bot.send_message(
        alice.id, "<b>" + "a" * 4000 + "</b><i>" + "&lt;" * 96 + "</i>", parse_mode="HTML"
    )
    assert fits.text is not None and len(fits.text) == 4096
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await sandbox_bot.send_message(alice.id, "&amp;" * 4097, parse_mode="HTML")
    # Astral characters are two UTF-16 units, as Telegram counts.
    await sandbox_bot.send_message(alice.id, "😀" * 2048)
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await sandbox_bot.send_message(alice.id, "😀" * 2048 + "a")


def test_parse_html_entities() -> None:
    text, entities = parse_html(
        '<b>B <i>BI</i></b> <a href="https://x.org/?a=1&amp;b=2">link</a> '
        '<pre><code class="language-python">code</code></pre> <code>c</code> '
        "<tg-spoiler>s</tg-spoiler> <blockquote expandable>q</blockquote> &#x1F600;&#33;"
    )
    assert text == "B BI link code c s q 😀!"
    assert entities == [
        {"type": "bold", "offset": 0, "length": 4},
        {"type": "italic", "offset": 2, "length": 2},
        {"type": "text_link", "offset": 5, "length": 4, "url": "https://x.org/?a=1&b=2"},
        {"type": "pre", "offset": 10, "length": 4, "language": "python"},
        {"type": "code", "offset": 15, "length": 1},
        {"type": "spoiler", "offset": 17, "length": 1},
        {"type": "expandable_blockquote", "offset": 19, "length": 1},
    ]
    assert utf16_len(text) == len(text) + 1
    with pytest.raises(EntityParseError):
        parse_html("<b><i>x</b></i>")
    # A bare "&" that is not a reference stays text, as on Telegram.
    assert parse_html("R&D & co") == ("R&D & co", [])


# -- buttons ------------------------------------------------------------------------------


async def test_button_press_reaches_callback_handler(sandbox: Sandbox) -> None:
    async def start(update: Update, context: PlanbotContext) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text("Done?", reply_markup=keyboard("yes", "no"))

    async def on_button(update: Update, context: PlanbotContext) -> None:
        query = update.callback_query
        assert query is not None and query.message is not None
        await query.answer(f"you said {query.data}")
        await query.edit_message_text(f"Answer: {query.data}")

    app = sandbox.application_builder().build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(on_button))
    alice = user_with_chat(sandbox)
    async with polling(app):
        sandbox.send_text(alice, alice, "/start")
        [question] = await sandbox.wait_for(1, timeout=3)
        with pytest.raises(ValueError, match=r"(?i)no button"):
            sandbox.press_button(question, alice, "maybe")
        query_id = sandbox.press_button(question, alice, "yes")
        await sandbox.wait_for(lambda m: m.text == "Answer: yes", timeout=3)
        await sandbox.wait_until(lambda: bool(sandbox.callback_answers), timeout=3)
    [answer] = sandbox.callback_answers
    assert answer.callback_query_id == query_id
    assert answer.text == "you said yes"
    assert answer.data == "yes" and answer.user is alice and answer.message is question
    # The edit dropped the keyboard, so the old button can't be pressed any more.
    assert question.reply_markup is None
    with pytest.raises(ValueError):
        sandbox.press_button(question, alice, "yes")


async def test_answering_unknown_query_fails(sandbox_bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await sandbox_bot.answer_callback_query("12345")


# -- edits --------------------------------------------------------------------------------


async def test_edit_message_text_and_not_modified(sandbox: Sandbox, sandbox_bot: Bot) -> None:
    alice = user_with_chat(sandbox)
    sent = await sandbox_bot.send_message(alice.id, "v1", reply_markup=keyboard("a"))
    edited = await sandbox_bot.edit_message_text(
        "<b>v2</b>", chat_id=alice.id, message_id=sent.message_id, parse_mode="HTML",
        reply_markup=keyboard("a"),
    )  # fmt: skip
    assert not isinstance(edited, bool) and edited.edit_date is not None
    [record] = sandbox.sent(alice)
    assert (record.text, record.html) == ("v2", "<b>v2</b>")
    # Same visible text and entities, different tag spelling: Telegram says "not modified".
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await sandbox_bot.edit_message_text(
            "<strong>v2</strong>", chat_id=alice.id, message_id=sent.message_id,
            parse_mode="HTML", reply_markup=keyboard("a"),
        )  # fmt: skip
    await sandbox_bot.edit_message_reply_markup(
        chat_id=alice.id, message_id=sent.message_id, reply_markup=keyboard("b")
    )
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await sandbox_bot.edit_message_reply_markup(
            chat_id=alice.id, message_id=sent.message_id, reply_markup=keyboard("b")
        )
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await sandbox_bot.edit_message_text("x", chat_id=alice.id, message_id=99)
    history = sandbox.edits[(alice.id, sent.message_id)]
    assert [e.method for e in history] == ["editMessageText", "editMessageReplyMarkup"]
    assert history[0].before.text == "v1" and history[0].after.text == "v2"
    assert record.buttons == [{"text": "B", "callback_data": "b"}]
    # Edits don't count against flood limits (private limit is 1 message/second here).
    assert sandbox.stats.too_many_requests == 0


# -- files --------------------------------------------------------------------------------


async def test_send_document_keeps_name_and_bytes(sandbox: Sandbox, sandbox_bot: Bot) -> None:
    alice = user_with_chat(sandbox)
    payload = bytes(range(256)) * 10
    await sandbox_bot.send_document(
        alice.id, payload, filename="План май.docx", caption="<b>Plan</b>", parse_mode="HTML"
    )
    [record] = sandbox.sent(alice)
    assert record.document is not None
    assert record.document.filename == "План май.docx"
    assert record.document.content == payload
    assert (record.caption, record.html, record.text) == ("Plan", "<b>Plan</b>", None)


@pytest.mark.sandbox(**ROOMY)
async def test_send_photo_and_reuse_file_id(sandbox: Sandbox, sandbox_bot: Bot) -> None:
    alice = user_with_chat(sandbox)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + (3).to_bytes(4) + (2).to_bytes(4)
    sent = await sandbox_bot.send_photo(alice.id, png, caption="chart")
    assert (sent.photo[-1].width, sent.photo[-1].height) == (3, 2)
    await sandbox_bot.send_photo(alice.id, sent.photo[-1].file_id)
    assert [m.photo for m in sandbox.sent(alice)] == [png, png]


async def test_bot_downloads_a_users_document(sandbox: Sandbox, sandbox_bot: Bot) -> None:
    alice = user_with_chat(sandbox)
    incoming = sandbox.send_document(alice, alice, "report.xlsx", b"PK\x03\x04data")
    update = Update.de_json(sandbox.pending_updates[0], sandbox_bot)
    assert update.message is not None and update.message.document is not None
    assert update.message.document.file_name == "report.xlsx"
    tg_file = await update.message.document.get_file()
    assert await tg_file.download_as_bytearray() == bytearray(b"PK\x03\x04data")
    assert incoming.document is not None
    with pytest.raises(BadRequest, match=r"(?i)invalid file_id"):
        await sandbox_bot.get_file("nope")


# -- flood control ------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_group_limit_answers_retry_after(clock: list[float]) -> None:
    async with Sandbox(group_limit=(3, 10.0), clock=lambda: clock[0]) as sb:
        group = sb.add_chat()
        async with Bot(sb.token, base_url=sb.base_url) as tg_bot:
            for i in range(3):
                clock[0] += 1.0
                await tg_bot.send_message(group.id, f"m{i}")
            with pytest.raises(RetryAfter) as info:
                await tg_bot.send_message(group.id, "too many")
            # The first message (at t=1001) leaves the window at t=1011; now is 1003.
            assert retry_seconds(info.value) == 8
            clock[0] += 7.5
            with pytest.raises(RetryAfter) as info:
                await tg_bot.send_message(group.id, "still too many")
            assert retry_seconds(info.value) == 1  # 0.5s rounds up
            clock[0] += 0.5
            await tg_bot.send_message(group.id, "fits again")
        assert sb.stats.too_many_requests == 2
        assert sb.calls_to("sendMessage")[3].params["text"] == "too many"
        assert [m.text for m in sb.sent(group)] == ["m0", "m1", "m2", "fits again"]


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_a_group_takes_one_message_a_second_by_default(clock: list[float]) -> None:
    async with Sandbox(group_limit=(3, 60.0), clock=lambda: clock[0]) as sb:
        group = sb.add_chat()
        async with Bot(sb.token, base_url=sb.base_url) as tg_bot:
            await tg_bot.send_message(group.id, "m0")
            clock[0] += 0.5
            with pytest.raises(RetryAfter) as info:
                await tg_bot.send_message(group.id, "too soon")
            assert retry_seconds(info.value) == 1
            clock[0] += 0.5
            await tg_bot.send_message(group.id, "m1")
            clock[0] += 1.0
            await tg_bot.send_message(group.id, "m2")
            clock[0] += 1.0
            # A second apart each, and still at most 3 a minute next to it.
            with pytest.raises(RetryAfter) as info:
                await tg_bot.send_message(group.id, "fourth in a minute")
            assert retry_seconds(info.value) == 57
        assert [m.text for m in sb.sent(group)] == ["m0", "m1", "m2"]


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_private_and_overall_limits(clock: list[float]) -> None:
    limits = {"private_limit": (1, 1.0), "overall_limit": (2, 1.0)}
    async with Sandbox(**limits, clock=lambda: clock[0]) as sb:
        alice, bob, carol = (
            user_with_chat(sb, "A"),
            user_with_chat(sb, "B"),
            user_with_chat(sb, "C"),
        )
        async with Bot(sb.token, base_url=sb.base_url) as tg_bot:
            await tg_bot.send_message(alice.id, "1")
            with pytest.raises(RetryAfter):
                await tg_bot.send_message(alice.id, "2")
            await tg_bot.send_message(bob.id, "1")
            with pytest.raises(RetryAfter):  # overall: 2 per second across chats
                await tg_bot.send_document(carol.id, b"x", filename="x.txt")
            clock[0] += 1.0
            await tg_bot.send_document(carol.id, b"x", filename="x.txt")


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_flood_control_ignores_wall_clock_travel(sandbox: Sandbox) -> None:
    alice = user_with_chat(sandbox)
    async with Bot(sandbox.token, base_url=sandbox.base_url) as tg_bot:
        with time_machine.travel(dtm.datetime(2030, 1, 1, tzinfo=dtm.UTC), tick=False) as traveller:
            await tg_bot.send_message(alice.id, "1")
            traveller.shift(dtm.timedelta(hours=1))
            with pytest.raises(RetryAfter):
                await tg_bot.send_message(alice.id, "2")
    assert sandbox.sent()[0].date == int(dtm.datetime(2030, 1, 1, tzinfo=dtm.UTC).timestamp())


# -- fault injection ----------------------------------------------------------------------


@pytest.mark.sandbox(**ROOMY)
async def test_injected_5xx_is_a_network_error(sandbox: Sandbox, sandbox_bot: Bot) -> None:
    alice = user_with_chat(sandbox)
    sandbox.inject_faults(1, "5xx")
    sandbox.inject_faults(1, "5xx", status=502, methods=["sendMessage"])
    with pytest.raises(NetworkError, match=r"(?i)Internal Server Error"):
        await sandbox_bot.send_message(alice.id, "a")
    with pytest.raises(NetworkError, match=r"(?i)Bad Gateway"):
        await sandbox_bot.send_message(alice.id, "b")
    await sandbox_bot.send_message(alice.id, "c")
    assert [m.text for m in sandbox.sent()] == ["c"]
    assert sandbox.stats.statuses[500] == 1 and sandbox.stats.statuses[502] == 1


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_injected_429(sandbox: Sandbox, sandbox_bot: Bot) -> None:
    sandbox.inject_faults(2, "429", retry_after=3, methods=["getChat"])
    alice = user_with_chat(sandbox)
    await sandbox_bot.send_message(alice.id, "not affected")
    for _ in range(2):
        with pytest.raises(RetryAfter) as info:
            await sandbox_bot.get_chat(alice.id)
        assert retry_seconds(info.value) == 3
    chat = await sandbox_bot.get_chat(alice.id)
    assert chat.first_name == "Alice"
    assert sandbox.stats.too_many_requests == 2


async def test_injected_hang_times_out_without_blocking_others(sandbox: Sandbox) -> None:
    sandbox.inject_faults(1, "hang", methods=["sendMessage"])
    alice = user_with_chat(sandbox)
    impatient = Bot(
        sandbox.token, base_url=sandbox.base_url, request=HTTPXRequest(read_timeout=0.2)
    )
    async with impatient:
        hanging = asyncio.create_task(impatient.send_message(alice.id, "lost"))
        # While one request hangs, the server keeps answering the others.
        assert (await impatient.get_me()).username == "planbot_bot"
        # The client's 0.2 s ran out; the server would have hung on for 30 s.
        with pytest.raises(TimedOut):
            await hanging
    # The server noticed the client hang up and ended the request without sending anything.
    await sandbox.wait_until(lambda: sandbox.calls_to("sendMessage")[0].status == 504, timeout=10)
    assert sandbox.sent() == []


@pytest.mark.sandbox(hang_seconds=0.05)
async def test_hang_ends_with_gateway_timeout(sandbox: Sandbox, sandbox_bot: Bot) -> None:
    sandbox.inject_faults(1, "hang", methods=["getChat"])
    with pytest.raises(NetworkError, match="Gateway Timeout"):
        await sandbox_bot.get_chat(1)


async def test_stop_does_not_wait_for_hanging_requests() -> None:
    sb = await Sandbox(hang_seconds=30).start()
    sb.inject_faults(1, "hang", methods=["getChat"])
    async with Bot(sb.token, base_url=sb.base_url) as tg_bot:
        hanging = asyncio.create_task(tg_bot.get_chat(1))
        await sb.wait_until(lambda: bool(sb.calls_to("getChat")), timeout=2)
        await asyncio.wait_for(sb.stop(), 10)  # well before the hang's 30 s
        with pytest.raises(NetworkError):
            await hanging


# -- commands and chat members ------------------------------------------------------------


async def test_set_my_commands_per_scope_and_language(sandbox: Sandbox, sandbox_bot: Bot) -> None:
    group = sandbox.add_chat()
    await sandbox_bot.set_my_commands([BotCommand("plan", "Show the plan")])
    await sandbox_bot.set_my_commands([BotCommand("plan", "Показать план")], language_code="ru")
    await sandbox_bot.set_my_commands(
        [BotCommand("report", "Report progress")], scope=BotCommandScopeChat(group.id)
    )
    assert sandbox.commands[("default", "")] == [("plan", "Show the plan")]
    assert sandbox.commands[("default", "ru")] == [("plan", "Показать план")]
    assert sandbox.commands[(f"chat:{group.id}", "")] == [("report", "Report progress")]
    ru = await sandbox_bot.get_my_commands(language_code="ru")
    assert [(c.command, c.description) for c in ru] == [("plan", "Показать план")]
    assert await sandbox_bot.get_my_commands(language_code="de") == ()
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await sandbox_bot.set_my_commands([BotCommand("Bad-Command", "x")])


async def test_get_chat_member_statuses(sandbox: Sandbox, sandbox_bot: Bot) -> None:
    owner, admin, member, stranger = (sandbox.add_user(n) for n in ("O", "A", "M", "S"))
    group = sandbox.add_chat(title="Team", members=[member])
    sandbox.set_admin(group, owner, creator=True)
    sandbox.set_admin(group, admin)
    statuses = [
        (await sandbox_bot.get_chat_member(group.id, user.id)).status
        for user in (owner, admin, member, stranger)
    ]
    assert statuses == ["creator", "administrator", "member", "left"]
    sandbox.set_admin(group, admin, admin=False)
    assert (await sandbox_bot.get_chat_member(group.id, admin.id)).status == "member"
    info = await sandbox_bot.get_chat(group.id)
    assert (info.title, info.type) == ("Team", "supergroup")
    with pytest.raises(BadRequest, match=r"(?i)user not found"):
        await sandbox_bot.get_chat_member(group.id, 424242)


# -- waiting ------------------------------------------------------------------------------


async def test_wait_for_times_out_with_a_report(sandbox: Sandbox, sandbox_bot: Bot) -> None:
    alice = user_with_chat(sandbox)
    await sandbox_bot.send_message(alice.id, "only this")
    with pytest.raises(BadRequest):
        await sandbox_bot.send_message(alice.id, "<b>", parse_mode="HTML")
    with pytest.raises(AssertionError) as info:
        await sandbox.wait_for(lambda m: m.text == "never", timeout=0.05)
    report = str(info.value)
    assert "'only this'" in report
    assert "sendMessage -> 400 Bad Request: can't parse entities" in report


async def test_wait_for_wakes_on_edit(sandbox: Sandbox, sandbox_bot: Bot) -> None:
    alice = user_with_chat(sandbox)
    sent = await sandbox_bot.send_message(alice.id, "working…")

    async def finish_later() -> None:
        await asyncio.sleep(0.02)
        await sandbox_bot.edit_message_text("done", chat_id=alice.id, message_id=sent.message_id)

    task = asyncio.create_task(finish_later())
    [done] = await sandbox.wait_for(lambda m: m.text == "done", timeout=2)
    await task
    assert done.message_id == sent.message_id


async def test_state_changes_from_another_thread_wake_the_long_poll(
    sandbox: Sandbox, sandbox_bot: Bot
) -> None:
    alice = sandbox.add_user("Alice")
    poll = asyncio.create_task(sandbox_bot.get_updates(timeout=30))
    await sandbox.wait_until(lambda: bool(sandbox.calls_to("getUpdates")), timeout=1)
    # The console reads stdin in a worker thread and pushes from there.
    await asyncio.to_thread(sandbox.send_text, alice, alice, "from a thread")
    updates = await asyncio.wait_for(poll, 10)  # woken, not the poll's 30 s running out
    assert updates[0].message is not None and updates[0].message.text == "from a thread"


@pytest.mark.sandbox(**ROOMY)
async def test_listener_delete_action_caption_and_webhook(
    sandbox: Sandbox, sandbox_bot: Bot
) -> None:
    events: list[tuple[str, str | None]] = []
    unsubscribe = sandbox.add_listener(lambda event, m: events.append((event, m.text or m.caption)))
    alice = user_with_chat(sandbox)
    assert await sandbox_bot.send_chat_action(alice.id, "typing")
    note = await sandbox_bot.send_message(alice.id, "temp")
    doc = await sandbox_bot.send_document(alice.id, b"1", filename="a.txt", caption="old")
    await sandbox_bot.edit_message_caption(alice.id, doc.message_id, caption="new")
    assert await sandbox_bot.delete_message(alice.id, note.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await sandbox_bot.delete_message(alice.id, note.message_id)
    unsubscribe()
    await sandbox_bot.send_message(alice.id, "unheard")
    assert events == [("sent", "temp"), ("sent", "old"), ("edited", "new"), ("deleted", "temp")]
    assert [m.text or m.caption for m in sandbox.sent(alice)] == ["new", "unheard"]
    sandbox.send_text(alice, alice, "pending")
    info = await sandbox_bot.get_webhook_info()
    assert (info.url, info.pending_update_count) == ("", 1)
    assert await sandbox_bot.delete_webhook(drop_pending_updates=True)
    assert sandbox.pending_updates == []
    assert await sandbox_bot.close() is True
    assert await sandbox_bot.log_out() is True


def test_raw_json_shapes() -> None:
    sb = Sandbox()
    alice = sb.add_user("Alice", username="alice", language_code="en")
    message = sb.send_text(alice, alice, "/start now")
    update = sb.pending_updates[0]
    assert update["update_id"] == 1
    assert update["message"]["from"] == alice.to_api()
    assert update["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert message.to_api()["chat"] == {
        "id": alice.id,
        "type": "private",
        "first_name": "Alice",
        "username": "alice",
    }
    json.dumps(update)  # the wire format must be plain JSON


async def test_a_user_edits_a_message_into_a_command(sandbox: Sandbox, sandbox_bot: Bot) -> None:
    alice = user_with_chat(sandbox)
    draft = sandbox.send_text(alice, alice, "草稿")
    sandbox.edit_text(draft, " /done 3 ")
    updates = await sandbox_bot.get_updates(timeout=0)
    edited = updates[-1].edited_message
    assert edited is not None and edited.message_id == draft.message_id
    assert edited.text == "/done 3" and edited.edit_date is not None
    assert [(e.type, e.offset, e.length) for e in edited.entities] == [("bot_command", 0, 5)]
    with pytest.raises(ValueError, match="nothing"):
        sandbox.edit_text(draft, "  ")
