"""What the handlers share in a chat: which group a command is about (scope.py), which item and
who may change it (item_access.py, permissions.py), answering (replies.py), the command table
behind /help and Telegram's menu (commands.py), the accounts seen in chats (seen_accounts.py) and
the reading of `/remind <setting>` (remind_settings.py). Handlers themselves live in handlers/,
what they say in views/."""
