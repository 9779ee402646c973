"""Plain replies to the bot's item messages (已完成, 60%, 收到 …): what the bot understood, the
button that confirms it, and the answers to a press; the answer to any press that did nothing."""

ZH_CN: dict[str, str] = {
    "confirm.done": "我理解为：{item}已完成。",
    "confirm.progress": "我理解为：{item}进度 {percent}%。",
    "confirm.note": "我理解为：{item}的进展情况。",
    "confirm.ack": "我理解为：确认收到这条提醒。",
    "confirm.which.done": "我理解为：已完成。这条消息涉及 {n} 项，请选择是哪一项：",
    "confirm.which.progress": "我理解为：进度 {percent}%。这条消息涉及 {n} 项，请选择是哪一项：",
    "confirm.which.note": "我理解为：进展情况。这条消息涉及 {n} 项，请选择是哪一项：",
    "confirm.press": "按下方按钮登记；理解错了请忽略。",
    "confirm.too_many": "这条消息涉及 {n} 项，请直接发送命令并写明编号，例如 {example}",
    "confirm.button.done": "✅ 登记为完成",
    "confirm.button.progress": "📝 登记进度 {percent}%",
    "confirm.button.note": "📝 登记进展",
    "confirm.button.ack": "👀 确认收到",
    "confirm.expired": "这个确认已经失效了，请重新回复或直接发送命令。",
    "confirm.not_yours": "只有{name}本人或管理员可以确认这条登记。",
    "confirm.toast.progress": "已登记进度 {percent}%",
    "confirm.toast.note": "已记录进展",
    "press.stale": "这个按钮已失效。",
    # Task "captions": an understood reply that came as a photo's or file's caption.
    "confirm.with_file": "📎 附件将一并登记为佐证材料。",
}

EN: dict[str, str] = {
    "confirm.done": "I read this as: {item} is done.",
    "confirm.progress": "I read this as: {item} is at {percent}%.",
    "confirm.note": "I read this as: news on {item}.",
    "confirm.ack": "I read this as: you have seen this reminder.",
    "confirm.which.done": "I read this as: done. That message lists {n} items; which one?",
    "confirm.which.progress": (
        "I read this as: {percent}%. That message lists {n} items; which one?"
    ),
    "confirm.which.note": "I read this as: news on an item. That message lists {n} items; which one?",
    "confirm.press": "Press the button to record it; if I got it wrong, ignore this.",
    "confirm.too_many": "That message lists {n} items; send the command with the number, e.g. {example}",
    "confirm.button.done": "✅ Mark done",
    "confirm.button.progress": "📝 Record {percent}%",
    "confirm.button.note": "📝 Record the note",
    "confirm.button.ack": "👀 Confirm seen",
    "confirm.expired": "This confirmation has expired; reply again or send the command.",
    "confirm.not_yours": "Only {name} or an admin can confirm this.",
    "confirm.toast.progress": "Recorded {percent}%",
    "confirm.toast.note": "Note recorded",
    "press.stale": "This button no longer works.",
    # Task "captions": an understood reply that came as a photo's or file's caption.
    "confirm.with_file": "📎 The file will be kept as its evidence.",
}
