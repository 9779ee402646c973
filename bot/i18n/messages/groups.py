"""Someone bound in several groups, writing to the bot in private: which group they mean."""

ZH_CN: dict[str, str] = {
    "groups.header": "【{title}】",
    "groups.which": "你在 {n} 个群里绑定了姓名，这条命令是关于哪个群的？请点下面的群名。也可以把群名写在命令里，例：{example}",
    "groups.unknown": "你绑定的群里没有叫“{name}”的（你的群：{groups}）。群名写全称或其中独有的一段，例：{example}",
    "groups.chosen": "已选：{title}",
    "groups.gone": "找不到这个问题对应的命令了，请重新发送命令。",
    "groups.not_bound": "你已不在这个群绑定姓名，请重新发送命令。",
}

EN: dict[str, str] = {
    "groups.header": "[{title}]",
    "groups.which": "You are bound in {n} groups: which one is this command about? Press its name below, or put the group's name in the command, e.g. {example}",
    "groups.unknown": "None of your groups is called “{name}” (your groups: {groups}). Write a group's full name or a part only it has, e.g. {example}",
    "groups.chosen": "Chosen: {title}",
    "groups.gone": "The command this question was about is gone; please send it again.",
    "groups.not_bound": "You are no longer bound in that group; please send the command again.",
}
