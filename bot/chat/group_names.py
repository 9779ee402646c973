"""Which group a private command names first (`/done 办公室 2`, `/plan 财务 october`).

Pure text, no Telegram: someone bound in several groups may put a group's title, or a part of
it only one of their groups has, before the command's own arguments. Spaces do not count
("市总工会 办公室" = "市总工会办公室"), nor full-width letters or case. A part that reads as an
item number is never a group's name, so `/done 2` stays item 2 even in a group called 第2支部,
and a Latin part must be a whole word of the title (`/remind off` names no group "Office").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from plans.itemref import ItemRefs, split_item_refs
from plans.numbers import narrow

# A title typed with spaces in it is read over at most this many words.
MAX_NAME_WORDS = 4
# A part of a title shorter than this names nothing: one character is in too many words.
_MIN_PART = 2


@dataclass(frozen=True, slots=True)
class NamedGroup:
    """The group named (its index in the titles given) and the arguments after its name."""

    index: int
    rest: str


def name_group(titles: Sequence[str], args: str) -> NamedGroup | None:
    """The group whose title the arguments start with (whole, or a part no other title has);
    None when they name none, or more than one. The longest match over the first words wins."""
    words = args.split()
    for count in range(min(len(words), MAX_NAME_WORDS), 0, -1):
        found = _match(titles, "".join(words[:count]))
        if found is not None:
            parts = args.split(None, count)
            return NamedGroup(found, parts[count].strip() if len(parts) > count else "")
    return None


def unknown_group_name(args: str) -> str | None:
    """The first word when it can only have been meant as a group's name: it is not an item
    number and an item number follows (`/done 财务群 2`); None otherwise."""
    parts = args.split(None, 1)
    if len(parts) < 2 or _reads_as_item(parts[0]) or not _reads_as_item(parts[1]):
        return None
    return parts[0]


def _match(titles: Sequence[str], typed: str) -> int | None:
    key = _key(typed)
    if not key:
        return None
    whole = [i for i, title in enumerate(titles) if _key(title) == key]
    if whole:
        return whole[0] if len(whole) == 1 else None
    if len(key) < _MIN_PART or _reads_as_item(typed):
        return None
    part = [i for i, title in enumerate(titles) if _has_part(title, key)]
    return part[0] if len(part) == 1 else None


def _has_part(title: str, key: str) -> bool:
    """Whether `key` is a part of the title: any run of its characters, but a Latin word only
    as a whole word of it — `/remind at 08:30` must not name a group called "Data team"."""
    if key.isascii():
        return key in (_key(word) for word in narrow(title).split())
    return key in _key(title)


def _reads_as_item(text: str) -> bool:
    return isinstance(split_item_refs(text), ItemRefs)


def _key(text: str) -> str:
    return "".join(narrow(text).split()).casefold()
