"""Sending reminders through Telegram: the scheduler and dispatcher inside the running bot
(reminders.py), the Telegram side of a send (notifier.py) and the pacing of every outgoing
message under Telegram's flood limits (ratelimit.py). What is due and when is decided in jobs/."""
