"""What /healthz and /metrics report, in Prometheus' text format."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.outbox_stats import OutboxStats


@dataclass
class Counters:
    """Counted in this process (Prometheus sums them across instances)."""

    command_errors: int = 0
    last_dispatch: datetime | None = None


# How long one read of the reminder figures answers the scrapes that follow (two Prometheus
# servers, a dashboard refreshing): figures a second old, and one read however often scraped.
FRESH_FOR = timedelta(seconds=1)


@dataclass
class RecentOutbox:
    """The reminder figures last read for /metrics, and the bot's time they were read at."""

    at: datetime | None = None
    stats: OutboxStats | None = None

    def fresh(self, now: datetime) -> OutboxStats | None:
        """The figures, if read less than FRESH_FOR before `now` (not after it: a clock set
        back reads again)."""
        if self.at is None or not self.at <= now < self.at + FRESH_FOR:
            return None
        return self.stats

    def keep(self, at: datetime, stats: OutboxStats) -> None:
        self.at, self.stats = at, stats

    def forget(self) -> None:
        """The next scrape reads (a benchmark measuring the read)."""
        self.at, self.stats = None, None


def prometheus_text(
    *, updates_handled: int, counters: Counters, outbox: OutboxStats, up: bool
) -> str:
    last = counters.last_dispatch.timestamp() if counters.last_dispatch else 0
    lines = [
        "# HELP planbot_up 1 when the database answers and the scheduler runs.",
        "# TYPE planbot_up gauge",
        f"planbot_up {int(up)}",
        "# HELP planbot_updates_handled_total Telegram updates handled by this instance.",
        "# TYPE planbot_updates_handled_total counter",
        f"planbot_updates_handled_total {updates_handled}",
        "# HELP planbot_command_errors_total Updates whose handling raised an error.",
        "# TYPE planbot_command_errors_total counter",
        f"planbot_command_errors_total {counters.command_errors}",
        "# HELP planbot_reminders_last_day Reminders whose time came in the last 24 hours, "
        "by state (all instances).",
        "# TYPE planbot_reminders_last_day gauge",
    ]
    lines += [
        f'planbot_reminders_last_day{{state="{s}"}} {n}' for s, n in sorted(outbox.last_day.items())
    ]
    lines += [
        "# HELP planbot_reminders_due Reminders whose time has come, not sent yet, by state "
        "(all instances).",
        "# TYPE planbot_reminders_due gauge",
    ]
    lines += [f'planbot_reminders_due{{state="{s}"}} {n}' for s, n in sorted(outbox.due.items())]
    lines += [
        "# HELP planbot_oldest_pending_reminder_age_seconds How late the oldest due reminder is.",
        "# TYPE planbot_oldest_pending_reminder_age_seconds gauge",
        f"planbot_oldest_pending_reminder_age_seconds {outbox.oldest_pending_age:.3f}",
        "# HELP planbot_last_dispatch_timestamp_seconds When this instance last dispatched.",
        "# TYPE planbot_last_dispatch_timestamp_seconds gauge",
        f"planbot_last_dispatch_timestamp_seconds {last:.3f}",
    ]
    return "\n".join(lines) + "\n"
