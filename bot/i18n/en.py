"""English catalogue: every key of zh_CN, same placeholders."""

MESSAGES: dict[str, str] = {
    "help.title": "<b>planbot</b> keeps this group's monthly work plan, reminds the responsible leaders and departments before deadlines, and collects progress reports.",
    "help.commands": "<b>Commands</b>",
    "help.example": "e.g. {example}",
    "help.admin": "(admins only)",
    "help.footer": "Commands are in Latin letters; arguments may be Chinese or English.",
    "cmd.help.desc": "show this help",
    "cmd.help.example": "/help",
    "cmd.start.desc": "get started and learn how to bind yourself",
    "cmd.start.example": "/start",
    "start.private": (
        "Hello, {name}! I am <b>planbot</b>. I help an office keep its monthly work plan: "
        "import the plan, remind people of deadlines, record what was done.\n\n"
        "Add me to your office's group and send /help there to see every command."
    ),
    "start.group": "planbot is ready. Send /help to see every command.",
    "error.generic": "Sorry, something went wrong with that command. Please try again later; the admins have been told.",
    "error.admin_report": "⚠️ Error while handling an update:\n<pre>{error}</pre>",
    "console.banner": (
        'planbot console: you are typing in the group "{chat}" as "{user}".\n'
        "Type messages or commands; !1, !2… press a button of the latest message; "
        "/as NAME switches who is typing; /quit leaves."
    ),
    "console.you": "Admin",
    "console.chat_title": "Work group",
    "console.timeout": "(the bot did not finish handling that message within a minute)",
    "console.as": 'Now typing as "{user}".',
    "console.no_buttons": "The latest message has no buttons.",
    "console.no_such_button": "There is no button {n} (there are {count}).",
    "run.no_token": (
        "No Telegram bot token is configured.\n"
        "To get one: in Telegram, talk to @BotFather, send /newbot, follow the prompts and copy "
        "the token (it looks like 123456789:ABC…);\n"
        "then set PLANBOT_TOKEN=<token> or put it in the config file under [telegram] token.\n"
        "To try planbot without a token: planbot console --demo"
    ),
}
