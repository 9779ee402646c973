"""Chinese (zh_CN) catalogue: the default language."""

MESSAGES: dict[str, str] = {
    "help.title": "<b>计划助手 planbot</b>：管理本群的月度工作计划，到期前提醒责任领导和责任部室，收集完成情况。",
    "help.commands": "<b>命令</b>",
    "help.example": "例：{example}",
    "help.admin": "（仅管理员）",
    "help.footer": "命令用英文，参数可用中文或英文。",
    "cmd.help.desc": "显示本帮助",
    "cmd.help.example": "/help",
    "cmd.start.desc": "开始使用，说明如何绑定自己",
    "cmd.start.example": "/start",
    "list.sep": "、",
    "none": "（无）",
    "cmd.import.desc": "导入月度工作计划（文本或 .txt/.docx 文件），先预览再确认",
    "cmd.import.example": "/import 荆州市总工会十月份工作计划 …（或发送文件，说明写 /import）",
    "import.admins_only": "只有管理员可以导入计划。",
    "import.send_text": "请在下一条消息中发送计划全文，或发送 .txt / .docx 文件。",
    "import.item_fields": "责任领导：{leaders}｜责任部室：{departments}｜完成时限：{deadline}",
    "import.preview_title": "<b>导入预览</b>：{title}（{year}年{month}月，共 {n} 项）",
    "import.existing": "本群已有 {year}年{month}月 的计划，导入将更新它：",
    "import.added": "➕ 新增 {n} 项：{items}",
    "import.changed": "✏️ 修改 {n} 项：{items}",
    "import.removed": "➖ 文档中没有的 {n} 项：{items}（按“确认导入”保留，按“确认并删除”删除）",
    "import.unchanged": "与已有计划相同，没有变化。",
    "import.confirm_prompt": "确认导入吗？",
    "import.button.confirm": "✅ 确认导入",
    "import.button.confirm_delete": "🗑 确认并删除 {n} 项",
    "import.button.cancel": "❌ 取消",
    "import.done": "✅ 已导入 {year}年{month}月 计划，共 {n} 项（新增 {added} 项，修改 {changed} 项）。",
    "import.done_kept": "文档中没有的 {n} 项已保留。",
    "import.done_removed": "已删除文档中没有的 {n} 项。",
    "import.cancelled": "已取消导入，没有保存任何内容。",
    "import.expired": "这个预览已过期，请重新发送 /import。",
    "import.not_yours": "只有发起导入的人或管理员可以确认。",
    "import.refused.empty": "没有收到计划内容。例：/import 后接计划全文，或发送 .txt / .docx 文件并在说明中写 /import。",
    "import.refused.no_items": "没有在文中找到计划事项。计划应有编号事项，如“一、……”并写明“责任领导：…”“责任部室：…”“完成时限：…”。",
    "import.refused.no_month": "没有找到计划的月份，请在标题中写明，如“十月份工作计划”。",
    "import.refused.unsupported": "只能导入 .txt、.md 或 .docx 文件。",
    "import.refused.too_large": "文件超过 2 MB，无法导入。",
    "import.refused.docx_too_large": "这个 .docx 解压后超过 20 MB，无法导入。",
    "import.refused.docx_broken": "无法读取这个 .docx 文件，请另存为 .docx 或 .txt 后重试。",
    "start.private": (
        "您好，{name}！我是<b>计划助手</b>，帮助单位管理每月工作计划：导入计划、到期提醒、"
        "登记完成情况。\n\n把我加入单位的工作群即可使用；在群里发送 /help 查看全部命令。"
    ),
    "start.group": "计划助手已就绪。发送 /help 查看全部命令。",
    "error.generic": "抱歉，处理这条命令时出错了，请稍后再试。管理员已收到通知。",
    "error.admin_report": "⚠️ 处理更新时出错：\n<pre>{error}</pre>",
    "console.banner": (
        "planbot 控制台：你在群「{chat}」中以「{user}」的身份发言。\n"
        "直接输入消息或命令；!1、!2… 按下最近一条消息的按钮；/as 姓名 切换发言人；/quit 退出。"
    ),
    "console.you": "管理员",
    "console.chat_title": "工作群",
    "console.timeout": "（机器人一分钟内没有处理完这条消息）",
    "console.as": "现在以「{user}」的身份发言。",
    "console.no_buttons": "最近的消息没有按钮。",
    "console.no_such_button": "没有第 {n} 个按钮（共 {count} 个）。",
    "run.no_token": (
        "未配置 Telegram 机器人令牌（token）。\n"
        "获取方法：在 Telegram 中找 @BotFather，发送 /newbot，按提示起名，得到形如 "
        "123456789:ABC… 的令牌；\n"
        "然后设置环境变量 PLANBOT_TOKEN=令牌，或写入配置文件的 [telegram] token。\n"
        "不需要令牌即可试用：planbot console --demo"
    ),
}
