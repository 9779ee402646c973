"""Evidence (佐证材料): files sent with /done or /progress, listed and sent again by /item."""

ZH_CN: dict[str, str] = {
    "evidence.attached": "📎 已附佐证材料：{file}。",
    "evidence.photo": "照片",
    "evidence.other_media": "佐证材料请以照片或文件发送（视频、语音请选择“以文件发送”），这次没有登记。例：发送照片，说明写 /done 3",
    "evidence.which": "这条消息涉及 {n} 项，带附件登记时请在说明中写明编号，这次没有登记。例：/{command} {seq}",
    "evidence.heading": "<b>佐证材料</b>（{n} 个，发送 /item {ref} files 查看原件）",
    "evidence.entry": "{when} {who}：📎 {file}{size}",
    "evidence.size": "（{size}）",
    "evidence.none": "{item}还没有佐证材料。发送照片或文件，说明写 /progress {seq} 进展情况，即可附上。",
    "evidence.caption": "第 {seq} 项佐证材料 {n}/{total}｜{who}｜{when}",
    "evidence.more": "另有 {n} 个较早的材料没有发送（每次最多发送最新的 {max} 个）。",
    "evidence.unsendable": "第 {n} 个材料（{file}）无法再发送：Telegram 已不认得它。",
    "evidence.undone": "所附 {n} 个佐证材料一并撤回。",
    # The exports.
    "export.col.files": "佐证材料",
    "export.evidence.heading": "佐证材料",
    "export.evidence.item": "{seq}. {title}：{files}",
    "export.evidence.file": "{file}（{author}，{month}月{day}日）",
    # Task "captions": a photo or file replying to a reminder without a caption.
    "evidence.caption_it": "附件已收到，但没有登记。要作为佐证材料，请重新发送并在说明中写 /done {seq} 或 /progress {seq} 进展情况。",
}

EN: dict[str, str] = {
    "evidence.attached": "📎 Evidence attached: {file}.",
    "evidence.photo": "photo",
    "evidence.other_media": "Evidence must be a photo or a file (send a video or a voice message “as a file”); nothing was recorded. E.g. a photo with the caption /done 3",
    "evidence.which": "That message lists {n} items; with a file, put the number in the caption. Nothing was recorded. E.g. /{command} {seq}",
    "evidence.heading": "<b>Evidence</b> ({n}; /item {ref} files sends them)",
    "evidence.entry": "{when} {who}: 📎 {file}{size}",
    "evidence.size": " ({size})",
    "evidence.none": "{item} has no evidence yet. Send a photo or a file with the caption /progress {seq} how it stands to attach one.",
    "evidence.caption": "Item {seq}, evidence {n}/{total} | {who} | {when}",
    "evidence.more": "{n} older files not sent (at most the newest {max} at a time).",
    "evidence.unsendable": "File {n} ({file}) cannot be sent any more: Telegram no longer knows it.",
    "evidence.undone": "The files attached to it ({n}) went with it.",
    # The exports.
    "export.col.files": "Evidence",
    "export.evidence.heading": "Evidence",
    "export.evidence.item": "{seq}. {title}: {files}",
    "export.evidence.file": "{file} ({author}, {month}/{day})",
    # Task "captions": a photo or file replying to a reminder without a caption.
    "evidence.caption_it": "Got the file, but nothing was recorded. To keep it as evidence, send it again with the caption /done {seq} or /progress {seq} and a few words.",
}
