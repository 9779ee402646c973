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
    "list.sep": ", ",
    "none": "(none)",
    "cmd.import.desc": "import a monthly plan (text or a .txt/.docx file), preview first",
    "cmd.import.example": "/import October work plan … (or send a file captioned /import)",
    "import.admins_only": "Only admins can import a plan.",
    "import.send_text": "Send the plan's full text in your next message, or send a .txt / .docx file.",
    "import.item_fields": "leaders: {leaders} | departments: {departments} | deadline: {deadline}",
    "import.preview_title": "<b>Import preview</b>: {title} ({year}-{month:02d}, {n} items)",
    "import.existing": "This chat already has a plan for {year}-{month:02d}; importing updates it:",
    "import.added": "➕ {n} new: {items}",
    "import.changed": "✏️ {n} changed: {items}",
    "import.removed": '➖ {n} not in the document: {items} ("Confirm" keeps them, "Confirm and delete" deletes them)',
    "import.unchanged": "Same as the stored plan: nothing changes.",
    "import.confirm_prompt": "Import it?",
    "import.button.confirm": "✅ Confirm",
    "import.button.confirm_delete": "🗑 Confirm and delete {n}",
    "import.button.cancel": "❌ Cancel",
    "import.done": "✅ Imported the plan for {year}-{month:02d}: {n} items ({added} new, {changed} changed).",
    "import.done_kept": " The {n} items not in the document were kept.",
    "import.done_removed": " The {n} items not in the document were deleted.",
    "import.cancelled": "Import cancelled; nothing was saved.",
    "import.expired": "This preview has expired; send /import again.",
    "import.not_yours": "Only the person who started the import, or an admin, can confirm it.",
    "import.refused.empty": "No plan text received. Example: /import followed by the plan, or send a .txt / .docx file captioned /import.",
    "import.refused.no_items": 'No plan items found. A plan has numbered items such as "一、…" with "责任领导：…", "责任部室：…" and "完成时限：…".',
    "import.refused.no_month": 'The plan\'s month was not found; name it in the title, e.g. "十月份工作计划" or "2020年10月工作计划".',
    "import.refused.unsupported": "Only .txt, .md and .docx files can be imported.",
    "import.refused.too_large": "The file is larger than 2 MB and cannot be imported.",
    "import.refused.docx_too_large": "This .docx unpacks to more than 20 MB and cannot be imported.",
    "import.refused.docx_broken": "This .docx cannot be read; save it again as .docx or .txt and retry.",
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
