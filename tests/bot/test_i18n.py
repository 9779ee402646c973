"""Both languages say everything, with the same placeholders."""

import string

from bot.handlers import COMMANDS
from bot.i18n import CATALOGUES, normalise_locale, t


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


def test_chinese_is_the_default_and_unknown_locales_fall_back():
    assert normalise_locale(None) == "zh_CN"
    assert normalise_locale("en-US") == "en"
    assert normalise_locale("zh-hans") == "zh_CN"
    assert normalise_locale("fr") == "zh_CN"
    assert t("fr", "help.commands") == t("zh_CN", "help.commands")
