"""The reminder machinery inside the running bot: a dispatcher that sends through
`application.bot`, and the scheduler that drives it (started in post_init, stopped in
post_shutdown). Handlers reach both through `reminder_runtime(context)`.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from telegram.ext import ExtBot

from bot.config import Config
from bot.context import PlanbotApp, PlanbotContext
from bot.delivery.notifier import TelegramNotifier
from bot.services import Services
from jobs.dispatcher import Dispatcher, PassReport
from jobs.outbox import ReminderPlanner
from jobs.scheduler import ReminderScheduler
from storage.db import Database

log = logging.getLogger(__name__)


@dataclass
class ReminderRuntime:
    dispatcher: Dispatcher
    scheduler: ReminderScheduler | None = None

    async def rearm(self) -> None:
        """After a change that moves reminders: point the timer at the new next one."""
        if self.scheduler is not None and self.scheduler.running:
            await self.scheduler.arm()


def make_dispatcher(
    config: Config,
    db: Database,
    planner: ReminderPlanner,
    bot: ExtBot[Any],
    *,
    on_pass: Callable[[datetime, PassReport], None] | None = None,
) -> Dispatcher:
    r = config.reminders
    limits = config.telegram.rate_limits
    per_second = limits.overall_max_rate / limits.overall_time_period
    notifier = TelegramNotifier(
        bot,
        notice_chats=config.access.notice_chats,
        locale=config.i18n.locale,
        per_second=per_second,
    )
    # A chat takes one message per this many seconds (Telegram: one a second in any chat).
    # Enough chats are sent to at once that, while each waits for its next message's turn,
    # the others keep up the overall rate; with fewer, a pass of two messages a chat would
    # go at the chats' pace instead (12 at a time: 12 messages a second, not 30).
    chat_gap = max(
        limits.group_burst_time_period / limits.group_burst_max_rate,
        limits.private_time_period / limits.private_max_rate,
    )
    concurrency = max(12, math.ceil(2 * per_second * chat_gap))
    return Dispatcher(
        db,
        planner,
        notifier,
        supervisors=r.supervisors,
        default_locale=config.i18n.locale,
        max_attempts=r.max_attempts,
        retry_base=r.retry_seconds,
        lease=r.lease_seconds,
        concurrency=concurrency,
        on_pass=on_pass,
    )


async def start_reminders(application: PlanbotApp) -> ReminderRuntime:
    svc: Services = application.bot_data.services

    def passed(now: datetime, report: PassReport) -> None:
        svc.counters.last_dispatch = svc.now()

    dispatcher = make_dispatcher(svc.config, svc.db, svc.planner, application.bot, on_pass=passed)
    runtime = ReminderRuntime(dispatcher)
    application.bot_data.reminders = runtime
    if svc.config.reminders.scheduler:
        scheduler = ReminderScheduler(
            runtime.dispatcher,
            clock=lambda: svc.now(),
            sweep_seconds=svc.config.reminders.sweep_seconds,
        )
        await scheduler.start()
        runtime.scheduler = scheduler
        svc.scheduler_running = lambda: scheduler.running
    else:
        log.info("reminder scheduler off ([reminders] scheduler = false): run `planbot remind`")
    return runtime


def halt_reminders(application: PlanbotApp) -> None:
    """A stop was asked for (SIGTERM): from now on a pass sends no new message, even the
    backlog pass that the start-up runs in the background."""
    runtime = application.bot_data.reminders
    if runtime is not None:
        runtime.dispatcher.stop()


async def stop_reminders(application: PlanbotApp) -> None:
    runtime = application.bot_data.reminders
    if runtime is not None and runtime.scheduler is not None:
        await runtime.scheduler.stop()


def reminder_runtime(context: PlanbotContext) -> ReminderRuntime | None:
    return context.bot_data.reminders
