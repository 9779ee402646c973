"""Naming one of one's groups first in a private command, and the group buttons' data."""

from bot.chat.group_names import name_group, unknown_group_name
from bot.views.groups import group_callback, parse_group_callback

OFFICE = "荆州市总工会工作群"
FINANCE = "财务部 工作群"


def test_a_group_is_named_by_its_title_or_a_part_only_it_has():
    titles = [OFFICE, FINANCE, "第2党支部"]
    named = name_group(titles, "财务 10 已报送")
    assert named is not None and (named.index, named.rest) == (1, "10 已报送")
    named = name_group(titles, "财务部 工作群 10")
    assert named is not None and (named.index, named.rest) == (1, "10")
    named = name_group(titles, "财务部工作群")
    assert named is not None and (named.index, named.rest) == (1, "")
    assert name_group(titles, "工作群 10") is None, "a part two titles share names neither"
    assert name_group(titles, "2 已完成") is None, "an item number is never a group's name"
    assert name_group(titles, "october") is None
    assert name_group(titles, "财 10") is None, "one character is no name"


def test_a_latin_part_must_be_a_whole_word_of_the_title():
    titles = ["Data team", "Office group"]
    assert name_group(titles, "at 08:30") is None
    assert name_group(titles, "off") is None
    named = name_group(titles, "ＯＦＦＩＣＥ 3")
    assert named is not None and (named.index, named.rest) == (1, "3")


def test_an_unknown_name_is_a_word_before_an_item_number():
    assert unknown_group_name("人事处 10") == "人事处"
    assert unknown_group_name("10 人事处") is None
    assert unknown_group_name("october") is None
    assert unknown_group_name("人事处 october") is None


def test_group_buttons_data_is_read_strictly():
    assert parse_group_callback(group_callback(42)) == 42
    for forged in ("grp:", "grp:²", "grp:-1", "grp:99999999999", "grp:1x", "it:done:1"):
        assert parse_group_callback(forged) is None
