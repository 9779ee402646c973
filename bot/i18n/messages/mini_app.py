"""The board as a Telegram Mini App (issue 17): /board in a private chat, the bot's menu
button, and the app's page."""

ZH_CN: dict[str, str] = {
    "miniapp.open": "点下面的按钮，在 Telegram 里查看你所在的群的计划看板（{groups}）。",
    "miniapp.sep": "、",
    "miniapp.button": "📋 打开计划看板",
    "miniapp.menu_button": "计划看板",
    "miniapp.no_url": (
        "计划看板还没有开通：请管理员在配置文件的 [http] 中设置 public_url"
        '（大家访问本机的 https 地址，例如 public_url = "https://plan.example.gov.cn"）。'
    ),
    "miniapp.not_https": (
        "Telegram 只打开公网 https 地址的小程序：请管理员把 [http] public_url 设为这样的地址"
        '（例如 "https://plan.example.gov.cn"）。在群里发送 /board 可以得到浏览器链接。'
    ),
    "miniapp.page.title": "计划看板",
    "miniapp.page.loading": "正在打开……",
    "miniapp.page.outside": (
        "请在 Telegram 里打开：私聊机器人发送 /board，或点聊天框旁的“计划看板”菜单按钮。"
    ),
    "miniapp.page.refused": "登录信息无效或已过期（超过一天）：请关闭后从 Telegram 重新打开。",
    "miniapp.page.no_groups": "你还没有在任何工作群绑定姓名：请先在群里发送 /iam 姓名，例如 /iam 董军。",
    "miniapp.page.group": "群",
    "miniapp.page.show": "查看",
}

EN: dict[str, str] = {
    "miniapp.open": "Press the button to see the board of your groups in Telegram ({groups}).",
    "miniapp.sep": ", ",
    "miniapp.button": "📋 Open the board",
    "miniapp.menu_button": "Board",
    "miniapp.no_url": (
        "The board is not set up yet: an admin sets public_url in the [http] section of the "
        "configuration (the https address people reach this server at, e.g. "
        'public_url = "https://plan.example.gov.cn").'
    ),
    "miniapp.not_https": (
        "Telegram opens Mini Apps only from public https addresses: an admin sets "
        '[http] public_url to one (e.g. "https://plan.example.gov.cn"). /board in the group '
        "gives a browser link."
    ),
    "miniapp.page.title": "Plan board",
    "miniapp.page.loading": "Opening…",
    "miniapp.page.outside": (
        "Open this from Telegram: send /board to the bot in private, or press its "
        '"Board" menu button.'
    ),
    "miniapp.page.refused": (
        "The sign-in data is invalid or expired (older than a day): close this and open it "
        "again from Telegram."
    ),
    "miniapp.page.no_groups": (
        "You are not bound to a name in any group yet: send /iam Your Name in your office's "
        "group first, e.g. /iam 董军."
    ),
    "miniapp.page.group": "Group",
    "miniapp.page.show": "Show",
}
