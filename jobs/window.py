"""How far ahead overdue reminders are planned, and when the window needs topping up.

Kept apart from jobs/outbox.py (which loads the working-day calendar) so that the every-minute
`planbot remind` can ask whether the window ran short without loading it.
"""

from __future__ import annotations

from datetime import date, timedelta

# Overdue reminders never end on their own, so they are materialised only this far ahead: two
# weeks, the digests' horizon too. The outbox then holds what is due soon (about 10 overdue rows
# per overdue item, against 42 with 60 days) and the daily upkeep adds the one day that entered
# the window. The margin: the upkeep (in the bot at 00:05 and at every start, or cron's
# `planbot remind --replan`) may miss 13 days running before an overdue reminder is missed.
HORIZON_DAYS = 14
# `planbot remind` runs the upkeep itself once the window reaches fewer days ahead than this
# (the daily `--replan` missing for a week): a cron setup that lost or never had that line
# still misses nothing.
SHORT_DAYS = 7


def window_short(through: date | None, today: date, *, short_days: int = SHORT_DAYS) -> bool:
    """Whether the planned window (`through`, None before the first upkeep) reaches fewer than
    `short_days` days past `today`."""
    return through is None or through < today + timedelta(days=short_days)
