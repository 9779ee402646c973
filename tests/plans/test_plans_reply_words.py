"""Issue 13: what a plain reply to a reminder means (plans/reply_words.py)."""

from __future__ import annotations

import pytest

from plans.reply_words import ReplyKind, ReplyMeaning, read_reply

DONE = ReplyMeaning(ReplyKind.DONE)
ACK = ReplyMeaning(ReplyKind.ACK)


@pytest.mark.parametrize(
    "text",
    [
        "已完成",
        "完成了",
        "办结",
        "已办结",
        "已报送",
        "已落实",
        "搞定了",
        "做完了",
        "已完成。",
        "  已完成！ ",
        "done",
        "Done!",
        "finished",
        "ｄｏｎｅ",
        "✅",
    ],
)
def test_done_in_words(text: str) -> None:
    assert read_reply(text) == DONE


def test_done_then_more_words_keeps_them_as_the_note() -> None:
    assert read_reply("已报送，请查收") == ReplyMeaning(ReplyKind.DONE, note="请查收")
    assert read_reply("已完成。材料见附件") == ReplyMeaning(ReplyKind.DONE, note="材料见附件")


@pytest.mark.parametrize(
    ("text", "percent", "note"),
    [
        ("60%", 60, ""),
        ("６０％", 60, ""),
        ("进度60%", 60, ""),
        ("完成六成", 60, ""),
        ("已完成一半", 50, ""),
        ("百分之五十，下周完成", 50, "下周完成"),
        ("60%已完成初稿", 60, "已完成初稿"),
    ],
)
def test_progress_in_words(text: str, percent: int, note: str) -> None:
    assert read_reply(text) == ReplyMeaning(ReplyKind.PROGRESS, percent, note)


@pytest.mark.parametrize(
    "text",
    [
        "已完成初稿",
        "已报送材料",
        "正在推进",
        "初稿已报局领导审核",
        "未完成",
        "还没完成",
        "没有完成",
        "尚未办结",
        "还未完成，下周报送",
        "not done yet",
        "无法完成，需延期",
    ],
)
def test_news_and_negations_are_notes_never_done(text: str) -> None:
    assert read_reply(text) == ReplyMeaning(ReplyKind.NOTE, note=text)


def test_much_of_it_is_a_vague_note() -> None:
    assert read_reply("过半") == ReplyMeaning(ReplyKind.NOTE, note="过半", vague=True)


@pytest.mark.parametrize(
    "text",
    ["收到", "收到！", "已收到", "知道了", "明白", "已阅", "OK", "ok", "👍", "👌"],
)
def test_acknowledgements(text: str) -> None:
    assert read_reply(text) == ACK


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "好的",
        "好",
        "好的！",
        "谢谢",
        "哈哈",
        "😀",
        "²",
        "①",
        "\x00",
        "150%",
        "@张三 看一下",
        "x" * 5000,
    ],
)
def test_chatter_means_nothing(text: str) -> None:
    assert read_reply(text) is None
