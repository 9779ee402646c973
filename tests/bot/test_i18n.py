"""Both languages say everything, with the same placeholders."""

import string

from bot.handlers import COMMANDS
from bot.handlers.lang import parse_language
from bot.i18n import CATALOGUES, t


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_catalogues_have_the_same_keys_and_placeholders():
    zh, en = CATALOGUES["zh_CN"], CATALOGUES["en"]
    assert zh.keys() == en.keys()
    for key in zh:
        assert _fields(zh[key]) == _fields(en[key]), key


def test_every_command_has_a_description_and_example_in_both_languages():
    for command in COMMANDS:
        for locale in CATALOGUES:
            assert command.description(locale) != f"cmd.{command.name}.desc"
            assert command.example(locale).startswith(f"/{command.name}")


def test_what_lang_understands_and_unknown_locales_fall_back_to_chinese():
    assert parse_language("en-US") == "en"
    assert parse_language("zh-hans") == "zh_CN"
    assert parse_language("fr") is None
    assert t("fr", "help.commands") == t("zh_CN", "help.commands")
