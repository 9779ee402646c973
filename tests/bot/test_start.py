"""Start-up through the real PTB stack and the sandbox: the bot takes updates before it does
anything else with Telegram, and settles the "/" menu afterwards, writing it only when it
differs from what Telegram already shows."""

import gc
import logging

from bot.app import menus
from bot.cli import run
from bot.cli.run import collect_once_receiving
from bot.sandbox import Sandbox
from tests.support.harness import running_bot
from tests.support.processes import TOKEN, start_instance, stop_all


def _menus_set(sandbox) -> dict[str, list[tuple[str, str]]]:
    return {language: commands for (scope, language), commands in sandbox.commands.items()}


def _menus_wanted(locale: str = "zh_CN") -> dict[str, list[tuple[str, str]]]:
    return {
        language or "": [(c.command, c.description) for c in commands]
        for language, commands in menus(locale)
    }


async def test_the_first_getupdates_goes_out_before_the_menu_is_touched(tmp_path):
    async with running_bot(tmp_path) as bot:
        methods = [call.method for call in bot.sandbox.calls]
        first_poll = methods.index("getUpdates")
        menu_calls = [n for n, m in enumerate(methods) if m in ("getMyCommands", "setMyCommands")]
        assert menu_calls and first_poll < min(menu_calls), methods
        assert methods.count("setMyCommands") == 3, "a new bot: the default, zh and en menus"
        assert _menus_set(bot.sandbox) == _menus_wanted()
        assert await bot.say("/help")


async def test_a_restart_with_the_same_menu_writes_nothing(tmp_path):
    async with running_bot(tmp_path) as bot:
        written = len(bot.sandbox.calls_to("setMyCommands"))
        read = len(bot.sandbox.calls_to("getMyCommands"))
        await bot.restart()
        assert len(bot.sandbox.calls_to("getMyCommands")) == read + 3
        assert len(bot.sandbox.calls_to("setMyCommands")) == written
        assert _menus_set(bot.sandbox) == _menus_wanted()


async def test_a_restart_rewrites_only_the_menu_that_changed(tmp_path):
    async with running_bot(tmp_path) as bot:
        # As if an older version (or BotFather) had left another English menu.
        bot.sandbox.commands[("default", "en")] = [("help", "old words")]
        written = len(bot.sandbox.calls_to("setMyCommands"))
        await bot.restart()
        rewrites = bot.sandbox.calls_to("setMyCommands")[written:]
        assert [call.params.get("language_code") for call in rewrites] == ["en"]
        assert _menus_set(bot.sandbox) == _menus_wanted()


async def test_a_menu_telegram_refuses_is_one_warning_and_tried_again_at_the_next_start(
    tmp_path, caplog
):
    caplog.set_level(logging.WARNING, logger="bot.app")
    async with running_bot(tmp_path) as bot:
        stale = [("help", "old words")]
        bot.sandbox.commands[("default", "en")] = stale
        bot.sandbox.inject_faults(1, methods=["setMyCommands"])
        caplog.clear()
        await bot.restart()
        warnings = [r for r in caplog.records if r.name == "bot.app"]
        assert len(warnings) == 1 and "command menu" in warnings[0].getMessage()
        assert "\n" not in warnings[0].getMessage() and warnings[0].exc_info is None
        assert bot.sandbox.commands[("default", "en")] == stale
        assert await bot.say("/help"), "the bot answers without its menu"
        await bot.restart()
        assert _menus_set(bot.sandbox) == _menus_wanted()


async def test_the_collector_is_back_on_once_the_bot_polls(tmp_path):
    """`planbot run` loads the bot with the cyclic collector off (bot/cli/main.py); left off,
    every reference cycle the bot makes afterwards would stay in memory."""
    gc.disable()
    try:
        async with running_bot(tmp_path) as bot:
            assert bot.application.bot_data.receiving.is_set()
            await collect_once_receiving(bot.application)
            assert gc.isenabled() and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.enable()


async def test_the_collector_is_back_on_in_an_instance_that_never_polls(tmp_path, monkeypatch):
    # Another instance holds the polling lock: nothing is received, the wait runs out.
    monkeypatch.setattr(run, "COLLECT_AFTER_SECONDS", 0.01)
    gc.disable()
    try:
        async with running_bot(tmp_path) as bot:
            bot.application.bot_data.receiving.clear()
            await collect_once_receiving(bot.application)
            assert gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()


async def test_planbot_run_answers_what_was_sent_while_it_was_down_in_order(tmp_path):
    """`planbot run` polls before it loads its handlers: what its first getUpdates brings waits
    in PTB's queue until they are loaded, and is answered then, in order, nothing lost."""
    async with Sandbox(token=TOKEN) as sandbox:
        url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
        config = tmp_path / "planbot.toml"
        config.write_text(
            f'[telegram]\nbase_url = "{sandbox.base_url}"\n[database]\nurl = "{url}"\n',
            encoding="utf-8",
        )
        user = sandbox.add_user("李四")
        group = sandbox.add_chat("supergroup", title="群")
        sandbox.send_text(group, user, "/help")
        sandbox.send_text(group, user, "/start")
        instance = await start_instance(config)
        try:
            await sandbox.wait_for(2, chat=group, timeout=60)
            first, second = sandbox.sent(group)[:2]
            assert "/plan" in first.text and "/help" in second.text, (first.text, second.text)
        finally:
            await stop_all([instance])
        assert instance.process.returncode == 0, "".join(instance.lines)
