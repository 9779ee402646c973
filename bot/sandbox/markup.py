"""Telegram's HTML ``parse_mode``, re-implemented closely enough to reject what Telegram rejects.

The parser follows the structure of TDLib's ``parse_html`` (the code behind the Bot API), so the
error descriptions and byte offsets match what a bot sees from the real server. Offsets and
lengths of the produced entities are in UTF-16 code units, as in the Bot API.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_SUPPORTED_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "span",
        "pre",
        "code",
        "blockquote",
    }
)
_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
# Whitespace Telegram trims from both ends of a message text.
_TRIMMED = " \t\r\n\x0b\x0c"
_NAME_TOKEN = re.compile(r"[A-Za-z0-9.\-]*")


class EntityParseError(ValueError):
    """The text is not valid Telegram HTML; ``str(exc)`` is Telegram's wording after the prefix."""


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (astral characters count twice)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


@dataclass
class _OpenTag:
    name: str
    argument: str
    utf16_offset: int
    text_pos: int


def _byte_offset(text: str, pos: int) -> int:
    return len(text[:pos].encode("utf-8", "surrogatepass"))


def _decode_entity(text: str, pos: int) -> tuple[str, int] | None:
    """Decode the character reference at ``text[pos] == '&'``.

    Returns (character, position after it) or None when it is not a reference Telegram decodes.
    Unlike Telegram, which silently keeps unknown names such as ``&nbsp;`` as literal text, an
    unknown *terminated* name raises: a bot emitting one almost certainly has an escaping bug and
    the user would see the raw ``&nbsp;``.
    """
    end = pos + 1
    if text.startswith("#", end):
        end += 1
        hexadecimal = text.startswith("x", end) or text.startswith("X", end)
        if hexadecimal:
            end += 1
        start = end
        digits = "0123456789abcdefABCDEF" if hexadecimal else "0123456789"
        while end < len(text) and text[end] in digits:
            end += 1
        if end == start or end - pos >= 10:
            return None
        code = int(text[start:end], 16 if hexadecimal else 10)
        if code == 0 or code >= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return None
        char = chr(code)
    else:
        while end < len(text) and text[end].isascii() and text[end].isalpha():
            end += 1
        name = text[pos + 1 : end]
        if name not in _NAMED_ENTITIES:
            if name and text.startswith(";", end):
                raise EntityParseError(
                    f'Unsupported HTML entity "&{name};" at byte offset {_byte_offset(text, pos)}'
                )
            return None
        char = _NAMED_ENTITIES[name]
    if text.startswith(";", end):
        end += 1
    return char, end


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram HTML into (visible text, Bot API entity dicts).

    Raises EntityParseError with Telegram's description on invalid markup.
    """
    out: list[str] = []
    out_len = 0  # len("".join(out)), kept incrementally
    utf16_offset = 0
    entities: list[dict[str, Any]] = []
    stack: list[_OpenTag] = []
    n = len(text)
    i = 0

    def at(k: int) -> str:
        # TDLib reads a NUL-terminated buffer; "" plays the NUL here.
        return text[k] if k < n else ""

    while i < n:
        ch = text[i]
        if ch == "&":
            decoded = _decode_entity(text, i)
            if decoded is not None:
                char, i = decoded
                out.append(char)
                out_len += len(char)
                utf16_offset += utf16_len(char)
                continue
        if ch != "<":
            out.append(ch)
            out_len += 1
            utf16_offset += utf16_len(ch)
            i += 1
            continue

        begin = i
        i += 1
        if at(i) != "/":
            while at(i) and not at(i).isspace() and at(i) != ">":
                i += 1
            if not at(i):
                raise EntityParseError(
                    f"Unclosed start tag at byte offset {_byte_offset(text, begin)}"
                )
            tag = text[begin + 1 : i].lower()
            if tag not in _SUPPORTED_TAGS:
                raise EntityParseError(
                    f'Unsupported start tag "{tag}" at byte offset {_byte_offset(text, begin)}'
                )
            argument, i = _parse_attributes(text, i, tag, begin)
            if tag == "span" and argument != "spoiler":
                raise EntityParseError(
                    'Tag "span" must have class "tg-spoiler" at byte offset '
                    f"{_byte_offset(text, begin)}"
                )
            stack.append(_OpenTag(tag, argument, utf16_offset, out_len))
            i += 1  # skip '>'
            continue

        # An end tag.
        if not stack:
            raise EntityParseError(f"Unexpected end tag at byte offset {_byte_offset(text, begin)}")
        i += 1
        while at(i) and not at(i).isspace() and at(i) != ">":
            i += 1
        end_name = text[begin + 2 : i].lower()
        while at(i) and at(i).isspace():
            i += 1
        if at(i) != ">":
            raise EntityParseError(f"Unclosed end tag at byte offset {_byte_offset(text, begin)}")
        i += 1
        opened = stack.pop()
        if end_name and end_name != opened.name:
            raise EntityParseError(
                f"Unmatched end tag at byte offset {_byte_offset(text, begin)}, "
                f'expected "</{opened.name}>", found "</{end_name}>"'
            )
        length = utf16_offset - opened.utf16_offset
        if length > 0:
            inner = "".join(out)[opened.text_pos :] if opened.name == "a" else ""
            _close_entity(entities, opened, length, inner)

    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    visible = "".join(out)
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return visible, finalize_entities(entities)


def _parse_attributes(text: str, i: int, tag: str, begin: int) -> tuple[str, int]:
    """Read the attributes of a start tag; returns (tag argument, index of the closing '>')."""
    n = len(text)

    def at(k: int) -> str:
        return text[k] if k < n else ""

    argument = ""
    while at(i) != ">":
        while at(i) and at(i).isspace():
            i += 1
        if at(i) == ">":
            break
        attr_begin = i
        while at(i) and not at(i).isspace() and at(i) not in "=>":
            i += 1
        attr_name = text[attr_begin:i].lower()
        if not attr_name:
            raise EntityParseError(
                f'Empty attribute name in the tag "{tag}" at byte offset '
                f"{_byte_offset(text, begin)}"
            )
        while at(i) and at(i).isspace():
            i += 1
        if at(i) != "=":
            if not at(i):
                raise EntityParseError(
                    f'Unclosed start tag "{tag}" at byte offset {_byte_offset(text, begin)}'
                )
            # A valueless attribute: only <blockquote expandable> means something.
            if tag == "blockquote" and attr_name == "expandable":
                argument = "1"
            continue
        i += 1
        while at(i) and at(i).isspace():
            i += 1
        if not at(i):
            raise EntityParseError(
                f'Unclosed start tag "{tag}" at byte offset {_byte_offset(text, begin)}'
            )
        if at(i) not in "'\"":
            token = _NAME_TOKEN.match(text, i)
            assert token is not None  # the pattern matches the empty string
            value = token.group().lower()
            if at(token.end()) and not at(token.end()).isspace() and at(token.end()) != ">":
                raise EntityParseError(
                    f"Unexpected end of name token at byte offset {_byte_offset(text, i)}"
                )
            i = token.end()
        else:
            quote = text[i]
            i += 1
            chars: list[str] = []
            while at(i) and at(i) != quote:
                if at(i) == "&":
                    decoded = _decode_entity(text, i)
                    if decoded is not None:
                        chars.append(decoded[0])
                        i = decoded[1]
                        continue
                chars.append(text[i])
                i += 1
            if at(i) == quote:
                i += 1
            value = "".join(chars)
        if not at(i):
            raise EntityParseError(f"Unclosed start tag at byte offset {_byte_offset(text, begin)}")

        if tag == "a" and attr_name == "href":
            argument = value
        elif tag == "code" and attr_name == "class" and value.startswith("language-"):
            argument = value.removeprefix("language-")
        elif tag == "span" and attr_name == "class" and value.startswith("tg-"):
            argument = value.removeprefix("tg-")
        elif tag == "tg-emoji" and attr_name == "emoji-id":
            argument = value
        elif tag == "blockquote" and attr_name == "expandable":
            argument = "1"
    return argument, i


def _close_entity(
    entities: list[dict[str, Any]], opened: _OpenTag, length: int, inner_text: str
) -> None:
    offset = opened.utf16_offset
    tag = opened.name
    if tag in _SIMPLE_TAGS:
        entities.append({"type": _SIMPLE_TAGS[tag], "offset": offset, "length": length})
    elif tag == "a":
        url = opened.argument or inner_text
        # Telegram silently drops links it can't make sense of rather than failing.
        if url.strip():
            entities.append({"type": "text_link", "offset": offset, "length": length, "url": url})
    elif tag == "blockquote":
        kind = "expandable_blockquote" if opened.argument else "blockquote"
        entities.append({"type": kind, "offset": offset, "length": length})
    elif tag == "tg-emoji":
        if not opened.argument.isdigit():
            raise EntityParseError("Invalid custom emoji identifier specified")
        entities.append(
            {
                "type": "custom_emoji",
                "offset": offset,
                "length": length,
                "custom_emoji_id": opened.argument,
            }
        )
    elif tag == "pre":
        last = entities[-1] if entities else None
        # <pre><code class="language-x">…</code></pre> is one pre entity with a language.
        if (
            last is not None
            and last["type"] == "code"
            and last["offset"] == offset
            and last["length"] == length
        ):
            entities.pop()
            pre: dict[str, Any] = {"type": "pre", "offset": offset, "length": length}
            if last.get("_language"):
                pre["language"] = last["_language"]
            entities.append(pre)
        else:
            entities.append({"type": "pre", "offset": offset, "length": length})
    elif tag == "code":
        code: dict[str, Any] = {"type": "code", "offset": offset, "length": length}
        if opened.argument:
            # Only meaningful inside <pre>; stripped again by finalize_entities otherwise.
            code["_language"] = opened.argument
        entities.append(code)


def finalize_entities(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop parser-internal keys so the dicts are exactly Bot API MessageEntity objects."""
    return [{k: v for k, v in e.items() if not k.startswith("_")} for e in entities]


def trim(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Trim surrounding whitespace like Telegram does and shift/clip the entities to match."""
    stripped_left = text.lstrip(_TRIMMED)
    cut = utf16_len(text) - utf16_len(stripped_left)
    result = stripped_left.rstrip(_TRIMMED)
    total = utf16_len(result)
    kept: list[dict[str, Any]] = []
    for entity in entities:
        start = max(entity["offset"] - cut, 0)
        end = min(entity["offset"] + entity["length"] - cut, total)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return result, kept


def command_entity(text: str) -> dict[str, Any] | None:
    """The bot_command entity Telegram attaches to a message starting with ``/command``."""
    match = re.match(r"/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@])", text)
    if match is None:
        return None
    return {"type": "bot_command", "offset": 0, "length": utf16_len(match.group())}
