"""Each department's part of an item in the chat (issue 16 §1): /done, /progress and /reopen
by a department's members, and the completion review (§3): /review, 销号, 退回, /return."""

ZH_CN: dict[str, str] = {
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
