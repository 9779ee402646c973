"""What the bot says: one module per kind of answer (plan.py, item.py, reminder.py, …) turning
plain data into HTML lines, and the toolkit they share — escaping and splitting under Telegram's
length limit (render.py), a person as a clickable mention (mentions.py). No database access, no
sending; handlers, delivery/ and the command line render through them."""
