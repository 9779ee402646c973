"""Each department's part of an item (issue 16 §1) as the views show it: /plan, /item, /mine,
reminders, /stats and the exports."""

ZH_CN: dict[str, str] = {
    # One part of an item with several lead departments: "组织部 ✅", "工联会 60%".
    "parts.part": "{name} {state}",
    "parts.sep": " · ",
    "parts.mark.done": "✅",
    "parts.mark.review": "🟣 待审核",
    "parts.mark.progress": "{percent}%",
    # The exports' words for a part's state (every part of an item with several lead ones).
    "parts.word": "{name}（{state}）",
    "parts.word.done": "已完成",
    "parts.word.review": "待审核",
    "parts.word.open": "未完成",
    "parts.word.progress": "进度 {percent}%",
    # After the lead departments: the 配合 ones, informed and not responsible.
    "parts.partners": "｜配合：{names}",
    # /plan 部室名 of a department that is only a partner of the item.
    "parts.partner_mark": "（配合）",
    "parts.mine_partners": "<b>你所在部室配合的事项</b>（{n} 项，仅知悉，不催办）",
    # /item's history: a change of one department's part names it.
    "parts.hist": "（{department}）",
    "parts.stats_note": "部室按各自承担的部分统计：多个责任部室的事项，每个部室按自己那部分是否完成计；配合部室不计。",
}

EN: dict[str, str] = {
    "parts.part": "{name} {state}",
    "parts.sep": " · ",
    "parts.mark.done": "✅",
    "parts.mark.review": "🟣 in review",
    "parts.mark.progress": "{percent}%",
    "parts.word": "{name} ({state})",
    "parts.word.done": "done",
    "parts.word.review": "in review",
    "parts.word.open": "open",
    "parts.word.progress": "{percent}%",
    "parts.partners": " | partners: {names}",
    "parts.partner_mark": " (partner)",
    "parts.mine_partners": "<b>Items your department is a partner of</b> ({n}, for information, not reminded)",
    "parts.hist": " ({department})",
    "parts.stats_note": "Departments are counted by their own part: on an item with several responsible departments each counts its own part done or not; partners are not counted.",
}
