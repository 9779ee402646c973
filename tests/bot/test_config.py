"""The config file: defaults, overrides from the environment, and one clear sentence per mistake."""

from pathlib import Path

import pytest

from bot.config import ConfigError, board_public_url, load_config, parse_config

EXAMPLE = Path(__file__).parents[2] / "config.example.toml"


def test_example_file_loads_with_documented_defaults(monkeypatch):
    monkeypatch.delenv("PLANBOT_TOKEN", raising=False)
    monkeypatch.delenv("PLANBOT_DATABASE_URL", raising=False)
    config = load_config(EXAMPLE)
    assert config.token == ""
    assert config.telegram.mode == "polling"
    assert config.database.url == "sqlite+aiosqlite:///planbot.db"
    assert config.schedule.timezone == "Asia/Shanghai"
    assert config.i18n.locale == "zh_CN"
    assert config.access.admins == [] and config.access.allowed_chats == []
    assert config.access.admin_chat == 0 and config.access.notice_chats == []


def test_admin_notices_go_to_the_admin_chat_when_one_is_set():
    admins = {"admins": [11, 12]}
    config = parse_config({"access": admins}, source="x", env={})
    assert config.access.notice_chats == [11, 12]
    config = parse_config({"access": {**admins, "admin_chat": -100123}}, source="x", env={})
    assert config.access.notice_chats == [-100123]
    limits = config.telegram.rate_limits
    assert (limits.group_max_rate, limits.group_time_period) == (20, 60.0)
    assert (limits.private_max_rate, limits.private_time_period) == (1, 1.0)


def test_every_key_of_the_example_is_commented():
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        if "=" in line and not line.lstrip().startswith("#"):
            above = lines[index - 1].strip()
            assert above.startswith("#") or "=" in above, f"key without a comment: {line}"


def test_environment_overrides_the_file(tmp_path):
    path = tmp_path / "planbot.toml"
    path.write_text('[telegram]\ntoken = "from-file"\n[database]\nurl = "sqlite:///a.db"\n')
    env = {"PLANBOT_TOKEN": "123:from-env", "PLANBOT_DATABASE_URL": "sqlite:///b.db"}
    config = parse_config(
        {"telegram": {"token": "from-file"}, "database": {"url": "sqlite:///a.db"}},
        source=str(path),
        env=env,
    )
    assert config.token == "123:from-env"
    assert config.database.url == "sqlite:///b.db"


def test_the_token_is_not_shown_in_the_config_repr():
    config = parse_config({"telegram": {"token": "999:very-secret"}}, source="x", env={})
    assert "very-secret" not in repr(config)


def test_the_board_address_loses_its_trailing_slash_and_the_link_key_stays_secret():
    http = {"public_url": "https://plan.example.gov.cn/", "token_secret": "board-key"}
    config = parse_config({"http": http}, source="x", env={})
    assert config.http.public_url == "https://plan.example.gov.cn"
    assert "board-key" not in repr(config)


@pytest.mark.parametrize(
    ("mode", "webhook_url", "http_url", "expected"),
    [
        ("webhook", "https://bot.example.org/", "", "https://bot.example.org"),
        ("webhook", "https://bot.example.org/planbot", "", "https://bot.example.org/planbot"),
        (
            "webhook",
            "https://bot.example.org",
            "https://plan.example.gov.cn",
            "https://plan.example.gov.cn",
        ),
        ("polling", "https://bot.example.org", "", ""),
        ("polling", "", "https://plan.example.gov.cn", "https://plan.example.gov.cn"),
    ],
)
def test_in_webhook_mode_the_board_is_at_the_webhooks_address_unless_set(
    mode, webhook_url, http_url, expected
):
    assert board_public_url(mode, webhook_url, http_url) == expected


def test_the_loaded_config_carries_the_boards_address_from_the_webhook():
    hook = {"public_url": "https://bot.example.org/", "secret_token": "s"}
    webhook = {"telegram": {"mode": "webhook", "webhook": hook}}
    assert parse_config(webhook, source="x", env={}).http.public_url == "https://bot.example.org"
    own = {**webhook, "http": {"public_url": "https://plan.example.gov.cn/"}}
    assert parse_config(own, source="x", env={}).http.public_url == "https://plan.example.gov.cn"
    # Polling mode keeps a webhook address it does not use out of the links.
    polling = {"telegram": {"webhook": {"public_url": "https://bot.example.org"}}}
    assert parse_config(polling, source="x", env={}).http.public_url == ""


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('[telegram]\nmode = "poll"\n', '[telegram] mode: expected "polling" or "webhook"'),
        ('[schedule]\ntimezone = "Mars/Olympus"\n', "[schedule] timezone: expected an IANA"),
        ('[access]\nadmins = ["bob"]\n', "[access] admins[0]: expected a valid integer"),
        (
            "[access]\nadmin_chat = 99999999999999999\n",
            "[access] admin_chat: expected a Telegram chat id",
        ),
        ('[telegram]\ntokn = "x"\n', "[telegram] tokn: expected a known key"),
        ("[telegram.rate_limits]\ngroup_max_rate = 0\n", "group_max_rate: expected greater"),
        ('[i18n]\nlocale = "fr"\n', '[i18n] locale: expected "zh_CN" or "en"'),
        ("[org\nname = 1\n", "expected valid TOML"),
        (
            '[reminders]\nreport = "周八"\n',
            "[reminders] report: expected a weekday or a day of the month and a time",
        ),
        ('[reminders]\nreport_chase = "later"\n', '[reminders] report_chase: expected "next"'),
        (
            '[http]\npublic_url = "plan.example.gov.cn"\n',
            '[http] public_url: expected an http(s) address, e.g. "https://plan.example.gov.cn"',
        ),
    ],
)
def test_a_wrong_file_is_named_with_key_and_expectation(tmp_path, body, expected):
    path = tmp_path / "bad.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert expected in message
    assert "\n" not in message


def test_a_missing_file_is_reported(tmp_path):
    with pytest.raises(ConfigError, match="cannot be read"):
        load_config(tmp_path / "nope.toml")


def test_a_self_hosted_bot_api_serves_files_beside_it_unless_told_otherwise():
    own = parse_config({"telegram": {"base_url": "http://10.0.0.5:8081/bot"}}, source="t", env={})
    assert own.telegram.base_file_url == "http://10.0.0.5:8081/file/bot"
    # The example file's value, kept while only base_url was changed, counts as left alone.
    copied = parse_config(
        {
            "telegram": {
                "base_url": "http://10.0.0.5:8081/bot",
                "base_file_url": "https://api.telegram.org/file/bot",
            }
        },
        source="t",
        env={},
    )
    assert copied.telegram.base_file_url == "http://10.0.0.5:8081/file/bot"
    default = parse_config({}, source="t", env={})
    assert default.telegram.base_file_url == "https://api.telegram.org/file/bot"
    chosen = parse_config(
        {"telegram": {"base_url": "http://10.0.0.5:8081/bot", "base_file_url": "http://f/x"}},
        source="t",
        env={},
    )
    assert chosen.telegram.base_file_url == "http://f/x"


async def test_a_plan_file_is_read_through_a_self_hosted_api_named_by_base_url_alone(tmp_path):
    from bot.app import build_application, polling
    from bot.sandbox import Sandbox
    from storage.migrate import upgrade_async

    sample = Path(__file__).parents[1] / "fixtures" / "jingzhou-2020-09-summary-10-plan.txt"
    url = f"sqlite:///{tmp_path / 'p.db'}"
    await upgrade_async(url)
    async with Sandbox() as sandbox:
        admin = sandbox.add_user("管理员")
        group = sandbox.add_chat("supergroup", title="工作群")
        # As an operator writes it: the server's address, nothing about files.
        config = parse_config(
            {
                "telegram": {"token": sandbox.token, "base_url": sandbox.base_url},
                "database": {"url": url},
                "access": {"admins": [admin.id]},
            },
            source="test",
            env={},
        )
        async with polling(build_application(config), poll_timeout=1):
            sandbox.send_document(group, admin, sample.name, sample.read_bytes(), caption="/import")
            [preview] = await sandbox.wait_for(1, chat=group, timeout=30)
    assert "荆州市总工会十月份工作计划" in (preview.text or ""), preview.text
