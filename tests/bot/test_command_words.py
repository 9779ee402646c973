"""Issue 13: command words typed with a Chinese input method, and misspelt ones
(bot/chat/command_words.py)."""

from __future__ import annotations

import pytest

from bot.chat.command_words import edit_distance, normalise_command, suggest_command

KNOWN = ["plan", "done", "progress", "ack", "extend", "help", "add", "edit", "item", "mine", "undo"]


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("／done 2", "/done 2"),
        ("、done 1", "/done 1"),
        ("、 done 1", None),
        ("/ｄｏｎｅ 3", "/done 3"),
        ("／Ｄｏｎｅ 3", "/done 3"),
        ("/Done", "/done"),
        ("、DONE", "/done"),
        ("  ／plan 本月", "/plan 本月"),
        ("／done\n2 已完成", "/done\n2 已完成"),
        ("／done 3，已报送", "/done 3，已报送"),
        ("/plan@otherbot", "/plan@otherbot"),
        ("、Plan@MyBot 十月", "/plan@MyBot 十月"),
    ],
)
def test_an_input_method_slash_is_a_command(text: str, command: str | None) -> None:
    assert normalise_command(text) == command


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "hello /done",
        "、好的",
        "/ 3",
        "/²",
        "/done²",
        "、",
        "／",
        "/\x00",
        "😀",
        "/" + "a" * 40,
    ],
)
def test_other_messages_are_not_commands(text: str) -> None:
    assert normalise_command(text) is None


@pytest.mark.parametrize(
    ("word", "meant"),
    [
        ("paln", "plan"),
        ("dnoe", "done"),
        ("/Paln", "plan"),
        ("pln", "plan"),
        ("prgoress", "progress"),
        ("progres", "progress"),
        ("extnd", "extend"),
        ("helo", "help"),
        ("paln@mybot", "plan"),
        ("ｐａｌｎ", "plan"),
    ],
)
def test_a_misspelt_command_suggests_the_one_meant(word: str, meant: str) -> None:
    assert suggest_command(word, KNOWN) == meant


@pytest.mark.parametrize(
    "word",
    ["done", "plan", "ad", "xy", "", "xyz", "banana", "progrezzzz", "²", "😀😀😀", "a" * 5000],
)
def test_no_suggestion_for_known_short_or_far_words(word: str) -> None:
    assert suggest_command(word, KNOWN) is None


def test_a_tie_between_two_commands_suggests_neither() -> None:
    assert suggest_command("adt", ["add", "act"]) is None
    assert suggest_command("adt", ["add"]) == "add"


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("dnoe", "done", 1),
        ("paln", "plan", 1),
        ("", "abc", 3),
        ("abc", "abc", 0),
        ("kitten", "sitting", 3),
    ],
)
def test_edit_distance_counts_swaps_as_one(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b) == distance
