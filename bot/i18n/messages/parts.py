"""Each department's part of an item (issue 16 §1): how the views show it (/plan, /item, /mine,
reminders, /stats, the exports), and the chat's answers to /done, /progress and /reopen by a
department's members and the completion review (§3): /review, 销号, 退回, /return."""

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
    "parts.done": "✅ {item}：{departments} 的部分已完成（{done}/{total}）（{author}）。",
    "parts.done_all": "✅ {item}：{departments} 的部分已完成，各责任部室都已完成，事项已完成（{author}）。",
    "parts.done_already": "{item}：{departments} 的部分已经完成了，不用再登记。",
    "parts.many_done": "{item}：{departments} 的部分已完成（{done}/{total}）",
    "parts.progress": "📈 {item}：{departments} 的进度 {percent}%，事项进度 {total}%（{author}）。",
    "parts.progress_closed": "{item}：{departments} 的部分已完成，不能再改进度（可以写进展：/progress {seq} 情况说明）。",
    "parts.refused_assist": "{departments}是第 {seq} 项的配合部室，只需知悉，不用登记。登记完成或进度的是它的责任领导（{leaders}）、责任部室（{leads}）的成员或管理员。",
    "reopen.part_ok": "↩️ {item}：{department} 的部分已重新打开，进度 {percent}%；事项现在未完成，进度 {total}%。",
    "reopen.part_not_done": "{item}：{department} 的部分还没有完成，不需要重新打开。",
    "reopen.not_a_part": "{item}的责任部室中没有“{department}”（责任部室：{leads}）。例：/reopen {seq} 组织部",
    "edit.reopened": "新的责任部室还没有完成它的部分，事项重新变为未完成。",
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
    "parts.done": "✅ {item}: {departments}'s part is done ({done}/{total}) ({author}).",
    "parts.done_all": "✅ {item}: {departments}'s part is done; every responsible department is done, so the item is done ({author}).",
    "parts.done_already": "{item}: {departments}'s part is already done; nothing to record.",
    "parts.many_done": "{item}: {departments}'s part done ({done}/{total})",
    "parts.progress": "📈 {item}: {departments} at {percent}%, the item at {total}% ({author}).",
    "parts.progress_closed": "{item}: {departments}'s part is done; its progress no longer changes (notes are fine: /progress {seq} how it went).",
    "parts.refused_assist": "{departments} only assists with item {seq} (配合) and has nothing to report. Its leaders ({leaders}), members of its responsible departments ({leads}) or an admin record done and progress.",
    "reopen.part_ok": "↩️ {item}: {department}'s part is open again at {percent}%; the item is open, at {total}%.",
    "reopen.part_not_done": "{item}: {department}'s part is not done; there is nothing to reopen.",
    "reopen.not_a_part": "{item} has no responsible department “{department}” (its responsible departments: {leads}). e.g. /reopen {seq} 组织部",
    "edit.reopened": "The new responsible department has its part still to do: the item is open again.",
}
