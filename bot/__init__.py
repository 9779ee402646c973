"""planbot's Telegram side, in rooms by role:

app.py, services.py, tracking.py  the PTB Application, what it hands to handlers, its counter
config.py, logs.py                the TOML configuration; logging with the token redacted
imports.py                        importing a plan (the chat, the CLI and the demo share it)
handlers/   one module per command family, registered from one table (handlers/__init__.py)
chat/       what handlers share: scope, item access, permissions, replies, the command table
views/      what the bot says: HTML from plain data, escaping and splitting
delivery/   sending reminders through Telegram: scheduler runtime, notifier, rate limiter
web/        the HTTP server: webhook, /healthz, /metrics
cli/        the `planbot` command, one module per subcommand (the console included)
exports/    files made from a month's plan; i18n/ every sentence; sandbox/ a fake Bot API
"""
