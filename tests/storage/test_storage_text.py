"""What storage.text keeps and drops of a text before it is written."""

from storage.text import clean_text, clean_value


def test_controls_go_line_breaks_tabs_and_every_visible_character_stay() -> None:
    assert clean_text("年报\x00已\x07报送\x1b\x7f\x85") == "年报已报送"
    assert clean_text("一\r\n二\r三\n四\t五") == "一\n二\n三\n四\t五"
    kept = "召开\u3000职代会 👨\u200d👩\u200d👧 «» ①²"
    assert clean_text(kept) is kept
    assert clean_text("a\ud83db") == "ab"  # a lone surrogate cannot be encoded at all


def test_json_values_are_cleaned_inside_and_left_alone_when_clean() -> None:
    clean = {"title": "计划", "seqs": [1, 2], "x": None}
    assert clean_value(clean) is clean
    assert clean_value({"ti\x00tle": ["a\x00", {"b": "c\x01"}]}) == {"title": ["a", {"b": "c"}]}
