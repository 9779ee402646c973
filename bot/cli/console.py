"""`planbot console`: the real Application against an in-process sandbox, in a terminal.

The terminal is a group chat. Lines typed are messages from the current member; the bot's
messages are printed as plain text with their numbers (`>N text` replies to message N) and
their buttons numbered (`!1` presses the first); the pop-up a press gets is printed under it,
and the files the bot sends are saved to a folder. Interactive input has line editing and
history (readline). With piped input it exits once input ends and every reply is out.
"""

from __future__ import annotations

import asyncio
import re
import sys
import tempfile
from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TextIO

from pydantic import SecretStr

from bot.app import build_application, polling
from bot.cli.demo import DEMO_PEOPLE, seed_demo
from bot.config import Config
from bot.i18n import t
from bot.operations.who import Origin
from bot.sandbox import CallbackAnswer, Message, Sandbox, StoredFile, User
from bot.tracking import ChatOrderedUpdateProcessor
from storage.db import Database
from storage.messages import highest_message_id
from storage.migrate import upgrade_async

# A reply that takes longer than this is reported instead of waited for forever.
_REPLY_TIMEOUT = 60.0
# Where the files the bot sends are saved, unless --files says otherwise.
FILES_FOLDER = Path("planbot-console-files")
# `>12 已完成`: a reply to message 12.
_REPLY = re.compile(r">(\d+)\s+(\S.*)")


@dataclass
class _Console:
    sandbox: Sandbox
    tg_chat_id: int
    locale: str
    out: TextIO
    # Who the typed lines come from (`/as NAME` switches), and the bot's count of handled updates.
    current: User
    updates: ChatOrderedUpdateProcessor
    files: Path = FILES_FOLDER
    users: dict[str, User] = field(default_factory=dict)
    pushed: int = 0
    last_with_buttons: Message | None = None

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def save(self, stored: StoredFile, name: str) -> str:
        """Keep a file the bot sent where the person at the terminal can open it; a line
        saying where (or why not)."""
        try:
            self.files.mkdir(parents=True, exist_ok=True)
            path = self.files / Path(name).name
            n = 1
            while path.exists():  # an earlier export of the same name stays
                path = self.files / f"{Path(name).stem}-{n}{Path(name).suffix}"
                n += 1
            path.write_bytes(stored.content)
        except OSError as error:
            return t(self.locale, "console.not_saved", error=error.strerror or error)
        return t(self.locale, "console.saved", path=path)

    def on_bot_message(self, event: str, message: Message) -> None:
        if event == "deleted":
            return
        body = message.text if message.text is not None else (message.caption or "")
        if event == "sent" and message.document is not None:
            document = message.document
            saved = self.save(document, document.filename or f"file-{message.message_id}")
            body = f"📎 {document.filename} ({document.size:,} B)\n{saved}\n{body}"
        if event == "sent" and message.photo_file is not None:
            saved = self.save(message.photo_file, f"photo-{message.message_id}.png")
            body = f"🖼 ({message.photo_file.size:,} B)\n{saved}\n{body}"
        marker = "✎ " if event == "edited" else ""
        self.say(f"\n── planbot {marker}#{message.message_id} ──\n{body.rstrip()}")
        buttons = [b.get("text", "") for b in message.buttons]
        if buttons:
            self.last_with_buttons = message
            self.say("  ".join(f"[!{i} {text}]" for i, text in enumerate(buttons, 1)))

    def on_answer(self, answer: CallbackAnswer) -> None:
        """The pop-up (or toast) a client shows for a button press."""
        if answer.text:
            self.say(t(self.locale, "console.popup", text=answer.text))

    def user(self, name: str) -> User:
        if name not in self.users:
            self.users[name] = self.sandbox.add_user(name)
        return self.users[name]

    async def settle(self) -> None:
        """Wait until the bot has handled everything typed so far (and so sent its replies)."""
        if not await self.updates.wait_handled(self.pushed, timeout=_REPLY_TIMEOUT):
            self.say(t(self.locale, "console.timeout"))

    def press(self, number: int) -> bool:
        message = self.last_with_buttons
        if message is None:
            self.say(t(self.locale, "console.no_buttons"))
            return False
        buttons = [b for b in message.buttons if "callback_data" in b]
        if not 1 <= number <= len(buttons):
            self.say(t(self.locale, "console.no_such_button", n=number, count=len(buttons)))
            return False
        self.sandbox.press_button(message, self.current, buttons[number - 1]["callback_data"])
        return True

    def send_file(self, argument: str) -> bool:
        """`/file PATH [caption]`: the current member sends a file from this computer."""
        path_text, _, caption = argument.partition(" ")
        path = Path(path_text).expanduser()
        try:
            data = path.read_bytes()
        except OSError as error:
            self.say(t(self.locale, "console.no_file", path=path_text, error=error.strerror))
            return False
        self.sandbox.send_document(
            self.tg_chat_id, self.current, path.name, data, caption=caption.strip() or None
        )
        return True

    def handle_line(self, line: str) -> bool:
        """Act on one typed line; True when an update went to the bot."""
        if line.startswith("/as ") and line[4:].strip():
            self.current = self.user(line[4:].strip())
            self.say(t(self.locale, "console.as", user=self.current.first_name))
            return False
        if line.startswith("!") and line[1:].isdigit():
            return self.press(int(line[1:]))
        if line.startswith("/file "):
            return self.send_file(line[6:].strip())
        reply = _REPLY.fullmatch(line)
        if reply is not None:
            return self.reply(int(reply.group(1)), reply.group(2))
        self.sandbox.send_text(self.tg_chat_id, self.current, line)
        return True

    def reply(self, message_id: int, text: str) -> bool:
        """`>N text`: the current member replies to message N."""
        try:
            self.sandbox.send_text(self.tg_chat_id, self.current, text, reply_to=message_id)
        except ValueError:
            self.say(t(self.locale, "console.no_message", n=message_id))
            return False
        return True


def _console_config(config: Config, sandbox: Sandbox, db_url: str, admin: int) -> Config:
    telegram = config.telegram.model_copy(
        update={
            "token": SecretStr(sandbox.token),
            "base_url": sandbox.base_url,
            "base_file_url": sandbox.base_file_url,
        }
    )
    # The person at the terminal owns this chat: they are an admin and the chat is allowed.
    access = config.access.model_copy(
        update={"admins": [*config.access.admins, admin], "allowed_chats": []}
    )
    database = config.database.model_copy(update={"url": db_url})
    return config.model_copy(update={"telegram": telegram, "access": access, "database": database})


def _line_reader(source: TextIO) -> Callable[[], str]:
    """A blocking read of one line ('' at the end). At a terminal it is input(), which
    readline gives line editing and the history of this session (↑ recalls a line)."""
    if not (source is sys.stdin and source.isatty()):
        return source.readline
    try:
        import readline  # noqa: F401 - importing it is what turns editing on for input()
    except ImportError:  # Windows has no readline: plain input still works
        pass

    def read() -> str:
        try:
            return input() + "\n"
        except EOFError:
            return ""

    return read


async def run_console(
    config: Config,
    *,
    demo: bool,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    files: Path = FILES_FOLDER,
) -> int:
    source = stdin or sys.stdin
    out = stdout or sys.stdout
    locale = config.i18n.locale
    async with AsyncExitStack() as stack:
        db_url = config.database.url
        if demo:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="planbot-demo-"))
            db_url = f"sqlite+aiosqlite:///{Path(folder) / 'demo.db'}"
        await upgrade_async(db_url)
        sandbox = await stack.enter_async_context(Sandbox())
        title = config.org.name or t(locale, "console.chat_title")
        chat = sandbox.add_chat("supergroup", title=title)
        you_name = t(locale, "console.you")
        you = sandbox.add_user(you_name)

        db = Database.from_url(db_url)
        # The chat's id is the same in every session: new messages must not reuse the ids
        # the database recorded for the last one's (reminders and answers it maps replies to).
        async with db.session() as session:
            sandbox.continue_message_ids(chat, await highest_message_id(session, chat.id))
        application = build_application(_console_config(config, sandbox, db_url, you.id), db=db)
        svc = application.bot_data.services
        console = _Console(
            sandbox=sandbox,
            tg_chat_id=chat.id,
            locale=locale,
            out=out,
            current=you,
            updates=svc.updates,
            users={you_name: you},
            files=files,
        )
        if demo:
            for name in DEMO_PEOPLE:
                console.user(name)
            members = {n: (console.users[n].id, console.users[n].username) for n in DEMO_PEOPLE}
            where = Origin(chat.id, title, chat.type, chat.is_forum)
            today = datetime.now(config.schedule.tz).date()
            # The bot's own planner: one calendar, so a calendar warning is logged once.
            await seed_demo(db, svc.planner, where, members, today=today)
        stack.callback(sandbox.add_listener(console.on_bot_message))
        stack.callback(sandbox.add_answer_listener(console.on_answer))
        await stack.enter_async_context(polling(application, poll_timeout=1))
        # The bot takes updates at once and sends what fell due in the background; here that
        # goes out before the first line is read, so a script can refer to it (`!1`, `>1 …`).
        runtime = application.bot_data.reminders
        if runtime is not None and runtime.scheduler is not None:
            await runtime.scheduler.rebuilt.wait()

        interactive = source.isatty()
        read_line = _line_reader(source)
        console.say(t(locale, "console.banner", chat=title, user=console.current.first_name))
        while True:
            line = await asyncio.to_thread(read_line)
            if not line:
                break
            line = line.strip()
            if not line:
                continue
            if line in {"/quit", "/exit"}:
                break
            if not interactive:
                console.say(f"\n> {line}")
            if console.handle_line(line):
                console.pushed += 1
                await console.settle()
    return 0
