"""The command table (`bot.handlers.COMMANDS`) is the one source of the commands: what PTB
answers, what /help lists and what Telegram's "/" menu offers; and who may run a command is
enforced from it, so a command added to it is covered by these tests without more code."""

import re

import pytest
from telegram.ext import CommandHandler

from bot.chat.commands import Access, AdminOf
from bot.handlers import COMMANDS
from bot.i18n import t
from tests.support.catalogue import as_sent
from tests.support.chat import bind, database_rows, joined, office_time, seed
from tests.support.harness import running_bot

_ADMINS_ONLY = [c for c in COMMANDS if c.access is Access.ADMINS]
_HELP_LINE = re.compile(r"^/(\w+) — ", re.MULTILINE)


@pytest.fixture
async def bot(tmp_path):
    async with running_bot(tmp_path) as harness:
        yield harness


def _registered(bot) -> dict[str, CommandHandler]:
    return {
        name: handler
        for handlers in bot.application.handlers.values()
        for handler in handlers
        if isinstance(handler, CommandHandler)
        for name in handler.commands
    }


async def test_every_command_is_registered_listed_by_help_and_offered_by_the_menu(bot):
    names = [c.name for c in COMMANDS]
    assert len(set(names)) == len(names)
    registered = _registered(bot)
    assert registered.keys() == set(names)
    # Each runs behind its access rule, around the handler the table names.
    for command in COMMANDS:
        assert registered[command.name].callback.__wrapped__ is command.callback
    listed = _HELP_LINE.findall(joined(await bot.say("/help all")))
    assert listed == names
    # The members' short /help lists the everyday ones, in the table's order.
    everyday = _HELP_LINE.findall(joined(await bot.say("/help")))
    assert everyday == [c.name for c in COMMANDS if c.everyday]
    assert 6 <= len(everyday) <= 8
    menu = {name for name, _ in bot.sandbox.commands[("default", "zh")]}
    assert menu == {c.name for c in COMMANDS if c.in_menu}


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
async def test_members_get_a_short_help_and_everything_on_asking_admins_always(tmp_path, locale):
    everyday = [c.name for c in COMMANDS if c.everyday]
    every = [c.name for c in COMMANDS]
    async with running_bot(tmp_path, i18n={"locale": locale}) as bot:
        short = joined(await bot.say("/help"))
        asked = {
            words: _HELP_LINE.findall(joined(await bot.say(f"/help {words}")))
            for words in ("all", "ALL", "全部")
        }
        # The group's own Telegram administrators, like the configured admins, get everything.
        chief = bot.sandbox.add_user("李四")
        bot.sandbox.set_admin(bot.group, chief)
        by_group_admin = _HELP_LINE.findall(joined(await bot.say("/help", user=chief)))
        by_admin = _HELP_LINE.findall(joined(await bot.say("/help", user=bot.admin)))
        private = bot.sandbox.private_chat(bot.admin)
        in_private = _HELP_LINE.findall(
            joined(await bot.say("/help", user=bot.admin, chat=private))
        )
        members_private = bot.sandbox.private_chat(bot.member)
        member_in_private = _HELP_LINE.findall(joined(await bot.say("/help", chat=members_private)))
    assert _HELP_LINE.findall(short) == everyday
    assert len(short.splitlines()) <= 2 * len(everyday) + 5, "no wall of text"
    assert short.splitlines()[-1] == t(locale, "help.more", count=len(every) - len(everyday))
    assert asked == {"all": every, "ALL": every, "全部": every}
    assert by_group_admin == by_admin == in_private == every
    assert member_in_private == everyday


async def test_in_private_an_administrator_of_the_group_one_is_bound_in_gets_everything(bot):
    await seed(bot)
    chief = bot.sandbox.add_user("李四")
    bot.sandbox.set_admin(bot.group, chief)
    await bind(bot, "张三", chief)
    private = bot.sandbox.private_chat(chief)
    listed = _HELP_LINE.findall(joined(await bot.say("/help", user=chief, chat=private)))
    assert listed == [c.name for c in COMMANDS]


def _help_by_command(text: str) -> dict[str, str]:
    return {line.split(" — ")[0][1:]: line for line in text.splitlines() if " — " in line}


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
async def test_help_says_who_may_run_each_command_in_a_group_and_in_private(tmp_path, locale):
    async with running_bot(tmp_path, i18n={"locale": locale}) as bot:
        # An admin gets every command without asking, in the group and in private.
        in_group = _help_by_command(joined(await bot.say("/help", user=bot.admin)))
        private = bot.sandbox.private_chat(bot.admin)
        in_private = _help_by_command(joined(await bot.say("/help", user=bot.admin, chat=private)))
    notes = {a: t(locale, f"help.{a.value}") for a in (Access.ADMINS, Access.ADMINS_OR_SELF)}
    for lines, is_private in ((in_group, False), (in_private, True)):
        for command in COMMANDS:
            shown = [access for access, note in notes.items() if note in lines[command.name]]
            expected = command.access_in(private=is_private)
            assert shown == ([] if expected is Access.ANYONE else [expected]), command.name
            described = command.description(locale, private=is_private)
            assert f"/{command.name} — {described}" in lines[command.name]
    # /unbind: the person a name is bound to may unbind it too, not only admins.
    assert notes[Access.ADMINS_OR_SELF] in in_group["unbind"]
    assert notes[Access.ADMINS] not in in_group["unbind"]
    assert in_group["unbind"].endswith(
        {"zh_CN": "（管理员或本人）", "en": "(admins, or yourself)"}[locale]
    )
    # /board: the group's link is its admins'; in private anyone opens their own groups' board.
    assert in_group["board"].endswith(notes[Access.ADMINS])
    assert notes[Access.ADMINS] not in in_private["board"]
    assert in_private["board"] == "/board — " + t(locale, "cmd.board.desc_private")
    for command in COMMANDS:
        if command.private_description:
            key = f"cmd.{command.name}.desc_private"
            assert t(locale, key) not in (key, t("zh_CN" if locale == "en" else "en", key))
    # /calendar: anyone's, in both (one's own link in private).
    assert in_group["calendar"] == "/calendar — " + t(locale, "cmd.calendar.desc")
    assert in_private["calendar"] == in_group["calendar"]


async def test_a_member_sees_board_as_admins_only_in_the_group_and_as_their_own_in_private(bot):
    await seed(bot)
    await bind(bot, "张三", bot.member)
    in_group = _help_by_command(joined(await bot.say("/help all")))
    private = bot.sandbox.private_chat(bot.member)
    in_private = _help_by_command(joined(await bot.say("/help all", chat=private)))
    assert in_group["board"].endswith("（仅管理员）")
    assert in_private["board"] == "/board — 在 Telegram 里打开你所在各群的计划看板（小程序，只读）"
    # And the guard agrees: refused in the group, answered in private (no public_url: what to
    # set, from the handler, not the admins-only refusal).
    refused = joined(await bot.say("/board"))
    answered = joined(await bot.say("/board", chat=private))
    assert refused == t("zh_CN", "board.admins_only")
    assert answered == t("zh_CN", "miniapp.no_url")


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
@pytest.mark.parametrize("name", [c.name for c in _ADMINS_ONLY])
async def test_someone_not_an_admin_is_refused_every_admin_command_and_nothing_changes(
    tmp_path, locale, name
):
    command = next(c for c in COMMANDS if c.name == name)
    with office_time(2020, 10, 20):
        async with running_bot(tmp_path, i18n={"locale": locale}) as bot:
            await seed(bot)
            # Seen once already: remembering a new account is not what this test is about.
            assert await bot.say("收到", user=bot.member) == []
            before = await database_rows(bot)
            replies = await bot.say(as_sent(command.example(locale)), user=bot.member)
            after = await database_rows(bot)
    assert [m.text for m in replies] == [t(locale, command.refusal, command=f"/{name}")]
    assert after == before


@pytest.mark.parametrize("name", [c.name for c in _ADMINS_ONLY if c.admin_of is AdminOf.PLAN_GROUP])
async def test_asked_in_private_an_admin_command_about_the_group_is_refused_there_too(
    tmp_path, name
):
    """Someone bound to a name in the group asks the bot privately: the command is about the
    group's plan, so the group's admins decide, and the answer is in the group's language."""
    command = next(c for c in COMMANDS if c.name == name)
    with office_time(2020, 10, 20):
        async with running_bot(tmp_path, i18n={"locale": "en"}) as bot:
            await seed(bot)
            await bind(bot, "张三", bot.member)
            private = bot.sandbox.private_chat(bot.member)
            assert await bot.say("/lang zh", chat=private)
            before = await database_rows(bot)
            replies = await bot.say(as_sent(command.example("en")), chat=private)
            after = await database_rows(bot)
    assert [m.text for m in replies] == [t("en", command.refusal, command=f"/{name}")]
    assert after == before
