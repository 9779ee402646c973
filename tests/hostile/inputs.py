"""Hostile inputs: the pieces hypothesis puts together into messages and callback data.

Two kinds of argument:
- `bad_numbers()`: where a command wants a number, text that is not one by the one number
  parser's rules (plans/numbers.py: ASCII or full-width digits and Chinese numerals up to the
  range of what they count), so the command must refuse it: other scripts' digits, superscripts,
  circled numbers, signs, decimals, numbers past every range (2**31, 2**63, 10**30);
- `noise()`: text with nothing a command could read as a number, an item or a word it knows:
  HTML and Markdown metacharacters, control characters, bidi marks and overrides, zero-width
  joiners, emoji, odd whitespace, newlines, or 5,000 characters of one of them.
`anything()` mixes those with ordinary Chinese, digits and real item numbers: an argument that
may well be valid.
"""

from __future__ import annotations

from hypothesis import strategies as st

BAD_NUMBERS = (
    "²",
    "³",
    "①",
    "⑩",
    "٣",  # Arabic-Indic
    "۳",  # Extended Arabic-Indic (Persian)
    "१",  # Devanagari
    "𝟑",  # mathematical bold
    "Ⅻ",
    "½",
    "-1",
    "-2147483648",
    "1.5",
    "0x10",
    "1e3",
    str(2**31),
    str(2**31 + 1),
    str(2**63),
    str(2**64),
    str(10**30),
    "9" * 5000,
    "１" + "０" * 40,  # full-width, but past every range
)
NOISE = (
    "<b>",
    "</b>",
    "<i>x</i>",
    '<a href="tg://user?id=x">',
    "</a>",
    "&",
    "&amp;",
    "&lt;",
    "&nbsp;",
    "<",
    ">",
    '"',
    "'",
    "*bold*",
    "_x_",
    "`",
    "```",
    "[x](http://a)",
    "\\",
    "{}",
    "{value}",
    "%s",
    "\x00",
    "\x01",
    "\x07",
    "\x1b[m",
    "\x7f",
    "\u200e",  # LRM
    "\u200f",  # RLM
    "\u202e",  # RLO: the rest reads backwards
    "\u202d",
    "\u2066",
    "\u2069",
    "\u200b",
    "\u200d",  # ZWJ
    "\ufeff",
    "\u00ad",
    "😀",
    "👨‍👩‍👧",
    "🇨🇳",
    "🏳️‍🌈",
    "\U0001f9d1\U0001f3fd\u200d\U0001f4bb",
    " ",
    "\t",
    "\n",
    "\r\n",
    "\u3000",
    "\u2028",
    "@",
    "#",
    "%",
    "|",
    "、",
    "，",
    "qxz",
    "Ж",
    "ﷺ",
    "𒐫",
    "Z̵̡̧̛̛̛̖̗̘̙̜̝̞̟̠",
)
# Ordinary words of the chat, numbers that are valid, and dates: mixed into `anything()`.
ORDINARY = (
    "1",
    "3",
    "10",
    "三",
    "十二",
    "２",
    "1,2",
    "1-3",
    "2020-10#3",
    "60%",
    "百分之五十",
    "已完成",
    "交了",
    "11月30日",
    "明天",
    "办公室",
    "组织部",
    "董军",
    "高启秀",
    "@boss",
    "on",
    "off",
    "en",
    "zh",
    "days",
    "at",
    "09:00",
    "时限",
    "chat",
    "add",
    "all",
    "十月",
    "october",
)


def bad_numbers() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(BAD_NUMBERS),
        st.integers(min_value=2**31, max_value=10**40).map(str),
        st.integers(max_value=-1).map(str),
    )


def digits_only() -> st.SearchStrategy[str]:
    """Bad numbers made of digits alone (², ①, ٣, 2**63): no name either."""
    return bad_numbers().filter(str.isdigit)


def noise(*, long: bool = True) -> st.SearchStrategy[str]:
    """Text of noise atoms (empty included), or one atom repeated to over 5,000 characters."""
    short = st.lists(st.sampled_from(NOISE), max_size=6).map("".join)
    if not long:
        return short
    return st.one_of(short, st.sampled_from(NOISE).map(lambda atom: atom * (5000 // len(atom) + 1)))


def anything() -> st.SearchStrategy[str]:
    """Any argument: a few words of noise, bad numbers, ordinary words and random text."""
    word = st.one_of(
        st.sampled_from(NOISE),
        bad_numbers(),
        st.sampled_from(ORDINARY),
        st.text(max_size=12),
    )
    parts = st.lists(word, max_size=5).map(" ".join)
    return st.one_of(parts, noise())


def sendable(text: str) -> bool:
    """A Telegram client sends nothing empty: what is left after it trims whitespace."""
    return bool(text.strip())
