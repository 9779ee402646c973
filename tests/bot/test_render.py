"""Replies stay valid HTML and under Telegram's 4096 visible characters."""

from hypothesis import given
from hypothesis import strategies as st

from bot.views.render import MAX_MESSAGE, esc, plain, split_lines, visible_length


def test_escape_leaves_only_entities_telegram_knows():
    assert esc('<b>&"x"') == "&lt;b&gt;&amp;&quot;x&quot;"
    assert esc("it's") == "it's"


def test_visible_length_counts_entities_as_one_and_ignores_tags():
    assert visible_length("<b>a&amp;b</b>") == 3
    assert visible_length("荆州") == 2
    # Telegram counts UTF-16 code units: an emoji outside the BMP is two.
    assert visible_length("🔴") == 2


def test_short_reply_is_one_message():
    assert split_lines(["一", "二"]) == ["一\n二"]


def test_long_reply_splits_between_lines_and_keeps_every_line():
    lines = [f"<b>{i}</b> " + "项" * 100 for i in range(100)]
    chunks = split_lines(lines)
    assert len(chunks) > 1
    assert all(visible_length(c) <= MAX_MESSAGE for c in chunks)
    assert "\n".join(chunks).split("\n") == lines


def test_a_single_huge_line_is_cut_without_breaking_entities():
    chunks = split_lines([esc("<&>" * 3000)])
    assert all(visible_length(c) <= MAX_MESSAGE for c in chunks)
    assert "".join(plain(c) for c in chunks) == "<&>" * 3000


@given(st.lists(st.text(max_size=300), max_size=60), st.integers(min_value=50, max_value=500))
def test_split_never_exceeds_the_limit_and_loses_nothing(texts, limit):
    lines = [esc(t.replace("\n", " ")) for t in texts]
    chunks = split_lines(lines, limit)
    assert all(visible_length(c) <= limit for c in chunks)
    joined = "".join(plain(c).replace("\n", "") for c in chunks)
    assert joined == "".join(plain(line) for line in lines)
