"""The periods a plan covers: a month, a quarter, a year."""

ZH_CN: dict[str, str] = {
    "period.month": "{year}年{month}月",
    "period.quarter.1": "{year}年第一季度",
    "period.quarter.2": "{year}年第二季度",
    "period.quarter.3": "{year}年第三季度",
    "period.quarter.4": "{year}年第四季度",
    "period.year": "{year}年",
    "plan.archived": "📦 存档：完成时限都已过去，不发提醒。",
    "plan.running": "📌 <b>{title}</b>（{period}，进行中，未完成 {n} 项）",
}

EN: dict[str, str] = {
    "period.month": "{year}-{month:02d}",
    "period.quarter.1": "{year} Q1",
    "period.quarter.2": "{year} Q2",
    "period.quarter.3": "{year} Q3",
    "period.quarter.4": "{year} Q4",
    "period.year": "{year}",
    "plan.archived": "📦 Archive: every deadline is past; no reminders.",
    "plan.running": "📌 <b>{title}</b> ({period}, running, {n} open)",
}
