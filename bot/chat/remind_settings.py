"""What an admin's `/remind <setting>` asks for, read into the keys the chat's policy stores.

    /remind at 08:30              remind_at       /remind 时间 8点半
    /remind days 5 2 0            days_before     /remind 提前 5 2 0
    /remind off | on              enabled         /remind 关闭 | 开启
    /remind digest mon 09:00|off  digest          /remind 周报 周一 9点 | 关闭
    /remind escalate 3 | 0        escalate_after  /remind 升级 3 | 0
    /remind overdue on | off      overdue         /remind 逾期 开启 | 关闭
    /remind monthly on | off      month_post      /remind 月初 开启 | 关闭
    /remind bulletin on | off     bulletin        /remind 通报 开启 | 关闭
    /remind report fri 16:00|off  report          /remind 报送 周五 16点 | 每月25日 | 关闭
    /remind chase next [10:00]|off report_chase   /remind 催报 次日 | 关闭

`/remind 08:30` alone sets the time too. Every sentence comes back in the chat's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.chat.item_access import split_first
from bot.i18n import t
from bot.views.collection import chase_when, report_when
from bot.views.reminder import days_text, digest_when
from bot.views.render import quoted
from jobs.parse import (
    MAX_ESCALATE_AFTER,
    format_chase,
    format_digest,
    format_report,
    parse_chase,
    parse_days,
    parse_digest,
    parse_escalate,
    parse_report,
    parse_switch,
    parse_time,
)
from jobs.policy import ReminderPolicy

_AT = {"at", "time", "时间", "提醒时间"}
_DAYS = {"days", "day", "提前", "天数"}
_OFF = {"off", "关", "关闭", "停", "停止"}
_ON = {"on", "开", "打开", "开启"}
_DIGEST = {"digest", "周报", "摘要"}
_ESCALATE = {"escalate", "escalation", "升级"}
_OVERDUE = {"overdue", "逾期", "逾期提醒"}
_MONTHLY = {"monthly", "month", "月初", "月计划"}
_BULLETIN = {"bulletin", "通报", "月度通报"}
_REPORT = {"report", "报送", "进展报送"}
_CHASE = {"chase", "催报"}
_KEYWORDS = (
    _AT
    | _DAYS
    | _OFF
    | _ON
    | _DIGEST
    | _ESCALATE
    | _OVERDUE
    | _MONTHLY
    | _BULLETIN
    | _REPORT
    | _CHASE
)


@dataclass(frozen=True, slots=True)
class SettingsChange:
    settings: dict[str, Any]
    # The confirmation, in the chat's language.
    line: str


class BadSetting(ValueError):
    def __init__(self, line: str) -> None:
        super().__init__(line)
        self.line = line


def parse_change(args: str, locale: str) -> SettingsChange:
    """What `/remind <args>` asks for; BadSetting with the sentence to answer otherwise."""
    word, rest = split_first(args)
    key = word.lower()
    if key in _AT or (key not in _KEYWORDS and _is_time(args)):
        value = rest if key in _AT else args.strip()
        try:
            at = parse_time(value)
        except ValueError:
            raise BadSetting(t(locale, "remind.bad_time", value=quoted(value))) from None
        text = f"{at:%H:%M}"
        return SettingsChange({"remind_at": text}, t(locale, "remind.set_at", time=text))
    if key in _DAYS:
        try:
            days = parse_days(rest)
        except ValueError:
            raise BadSetting(t(locale, "remind.bad_days", value=quoted(rest))) from None
        shown = days_text(days, locale) or t(locale, "remind.days_none")
        return SettingsChange({"days_before": list(days)}, t(locale, "remind.set_days", days=shown))
    if key in _OFF and not rest:
        return SettingsChange({"enabled": False}, t(locale, "remind.set_off"))
    if key in _ON and not rest:
        return SettingsChange({"enabled": True}, t(locale, "remind.set_on"))
    if key in _DIGEST:
        try:
            spec = parse_digest(rest)
        except ValueError:
            raise BadSetting(t(locale, "remind.bad_digest", value=quoted(rest))) from None
        if spec is None:
            return SettingsChange({"digest": "off"}, t(locale, "remind.set_digest_off"))
        canonical = format_digest(spec)
        when = digest_when(ReminderPolicy(digest=canonical), locale)
        return SettingsChange({"digest": canonical}, t(locale, "remind.set_digest", when=when))
    if key in _ESCALATE:
        try:
            n = parse_escalate(rest)
        except ValueError:
            line = t(locale, "remind.bad_escalate", value=quoted(rest), most=MAX_ESCALATE_AFTER)
            raise BadSetting(line) from None
        line = t(locale, "remind.set_escalate", n=n) if n else t(locale, "remind.set_no_escalation")
        return SettingsChange({"escalate_after": n}, line)
    if key in _OVERDUE:
        on = _switch(rest, t(locale, "remind.bad_overdue"))
        return SettingsChange({"overdue": on}, t(locale, f"remind.set_overdue_{_on_off(on)}"))
    if key in _MONTHLY:
        on = _switch(rest, t(locale, "remind.bad_monthly"))
        return SettingsChange({"month_post": on}, t(locale, f"remind.set_monthly_{_on_off(on)}"))
    if key in _BULLETIN:
        on = _switch(rest, t(locale, "remind.bad_bulletin"))
        return SettingsChange({"bulletin": on}, t(locale, f"remind.set_bulletin_{_on_off(on)}"))
    if key in _REPORT | _CHASE:
        return _collection_change(key, rest, locale)
    raise BadSetting(t(locale, "remind.unknown", value=quoted(args.strip())))


def caveats(change: SettingsChange, policy: ReminderPolicy, locale: str) -> list[str]:
    """What the change cannot do yet under the rest of the chat's (new) policy."""
    if change.settings.get("escalate_after") and not policy.overdue:
        return [t(locale, "remind.escalate_needs_overdue")]
    return []


def _switch(value: str, refusal: str) -> bool:
    try:
        return parse_switch(value)
    except ValueError:
        raise BadSetting(refusal) from None


def _on_off(on: bool) -> str:
    return "on" if on else "off"


def _is_time(text: str) -> bool:
    try:
        parse_time(text)
    except ValueError:
        return False
    return True


# --- progress collection (进展报送, jobs/collection.py) -----------------------------------------


def asks_for_report_setting(args: str) -> bool:
    """`/remind report` alone: show the collection's setting (anyone may look)."""
    word, rest = split_first(args)
    return word.lower() in _REPORT | _CHASE and not rest.strip()


def _collection_change(key: str, rest: str, locale: str) -> SettingsChange:
    if key in _REPORT:
        try:
            spec = parse_report(rest)
        except ValueError:
            raise BadSetting(t(locale, "collection.bad", value=quoted(rest))) from None
        canonical = format_report(spec)
        when = report_when(ReminderPolicy(report=canonical), locale)
        line = t(locale, "collection.set", when=when) if when else t(locale, "collection.set_off")
        return SettingsChange({"report": canonical}, line)
    try:
        chase = parse_chase(rest)
    except ValueError:
        raise BadSetting(t(locale, "collection.bad_chase", value=quoted(rest))) from None
    canonical = format_chase(chase)
    # A bare "next" means the chat's reminder time, which this policy does not know: unnamed.
    shown = chase_when(ReminderPolicy(report_chase=canonical), locale, exact=False)
    return SettingsChange(
        {"report_chase": canonical}, t(locale, "collection.set_chase", chase=shown)
    )
