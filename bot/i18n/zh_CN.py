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
