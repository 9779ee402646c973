"""What a plain reply to a reminder means: 已完成 (done), 60% (progress), 已完成初稿 (a note),
收到 (an acknowledgement), or nothing the bot should act on (好的呀哈哈, 👍).

The bot never changes anything from a reply alone: it answers with what it understood and a
button to confirm. So the rules lean to "say what we read" rather than guess:

- DONE: the reply is a done phrase (已完成, 完成了, 办结, 已办结, 已报送, 已落实, 搞定了, 做完了,
  done, finished, ✅), alone or as its first clause followed by punctuation and more words
  (`已报送，请查收` → done, note 请查收). A done word with an object glued on (`已完成初稿`,
  `已报送材料`) is news about the work, not "the item is done": a NOTE.
- PROGRESS: the reply starts with a percentage as /progress reads it (60%, 进度60%, 完成六成,
  已完成一半); the rest is its note.
- NOTE: any other reply that talks about the work (完成, 初稿, 报送, 推进, 正在 …), a negated done
  (未完成, 还没完成, 没有完成, 尚未办结 — never DONE), and 过半/大半 (`vague`: no number).
- ACK: "I have seen it" (收到, 已收到, 知道了, 明白, 已阅, 了解, ok, got it, 👍, 👌), as
  /ack or the 👀 button would record it.
- None: empty text, chatter (好的, 好, 谢谢, 哈哈, emoji other than the above), and a percentage
  out of 0..100 (`150%`: the bot cannot offer to record it). 好的 is what people say to anything
  in a group; answering every one with a button would be noise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from plans.numbers import narrow
from plans.percent import BadPercent, read_progress


class ReplyKind(StrEnum):
    DONE = "done"
    PROGRESS = "progress"
    NOTE = "note"
    ACK = "ack"


@dataclass(frozen=True, slots=True)
class ReplyMeaning:
    kind: ReplyKind
    # PROGRESS: 0..100; otherwise None.
    percent: int | None = None
    # The words to record with it: the rest after a done phrase or a percentage, or the whole
    # reply for a NOTE; "" when there is none.
    note: str = ""
    # NOTE only: the reply says "much of it" in words (过半), worth asking for a number.
    vague: bool = False


_NEGATION = re.compile(r"未|没|尚未|还未|暂未|不能|无法|不了|not\b|n't|unfinished|not yet", re.I)
_POLITE = r"(?:啦|了|哈|哦|噢|喔|呀|啊|的)*"
_DONE = re.compile(
    rf"(?:我们|我|已经|已|均已|全部|都)*"
    rf"(?:完成|办结|办完|报送|落实|搞定|做完|弄完|处理完毕|处理完|结束|完工|完毕|上报|提交){_POLITE}"
    r"|(?:done|finished|completed|complete|all done)"
    r"|✅|☑️?|✔️?",
    re.I,
)
_ACK = re.compile(
    r"(?:收到|已收到|知道了|知道|明白|明白了|已阅|已知悉|知悉|了解"
    rf"|OK|okay|ok|got it|noted|roger|👍|👌|🫡){_POLITE}",
    re.I,
)
_WORK_WORDS = re.compile(
    r"完成|办结|报送|落实|推进|进行|进展|进度|初稿|定稿|草稿|正在|已经|开展|启动|提交|上报|审核|审批"
    r"|协调|部署|整改|材料|方案|汇报|draft|working|progress|done|finish|complete",
    re.I,
)
# Clauses end at punctuation; the edges lose spaces, emoji variation selectors and stops.
_CLAUSE_END = re.compile(r"[,，;；。.!！?？~～\n]")
_EDGES = " \t\r\n。.!！~～,，、"


def read_reply(text: str) -> ReplyMeaning | None:
    """What a plain reply to one of the bot's item messages means, by the module's rules."""
    original = text.strip()
    s = narrow(original).strip(_EDGES)
    if not s:
        return None
    first_end = _CLAUSE_END.search(s)
    first = s[: first_end.start()] if first_end else s
    rest = _rest_after(original, len(first))
    negated = _NEGATION.search(s) is not None
    if not negated and _DONE.fullmatch(first.strip()):
        return ReplyMeaning(ReplyKind.DONE, note=rest)
    progress = read_progress(original)
    if progress is not None and not isinstance(progress, BadPercent):
        if progress.percent is not None and not negated:
            return ReplyMeaning(ReplyKind.PROGRESS, progress.percent, progress.note)
        if progress.vague:
            return ReplyMeaning(ReplyKind.NOTE, note=original, vague=True)
    if _ACK.fullmatch(first.strip()) and not rest:
        return ReplyMeaning(ReplyKind.ACK)
    if _WORK_WORDS.search(s):
        return ReplyMeaning(ReplyKind.NOTE, note=original)
    return None


def _rest_after(original: str, length: int) -> str:
    """The original text after its first clause (the same length in the narrowed copy)."""
    leading = len(original) - len(original.lstrip(_EDGES))
    return original[leading + length :].strip(_EDGES).strip()
