"""The periods a plan covers: a month, a quarter, a year."""

ZH_CN: dict[str, str] = {
    "period.month": "{year}年{month}月",
    "period.quarter": "{year}年第{quarter_cn}季度",
    "period.year": "{year}年",
    "plan.archived": "📦 存档：完成时限都已过去，不发提醒。",
    "plan.running": "📌 <b>{title}</b>（{period}，进行中，未完成 {n} 项）",
}

EN: dict[str, str] = {
    "period.month": "{year}-{month:02d}",
    "period.quarter": "{year} Q{quarter}",
    "period.year": "{year}",
    "plan.archived": "📦 Archive: every deadline is past; no reminders.",
    "plan.running": "📌 <b>{title}</b> ({period}, running, {n} open)",
}
