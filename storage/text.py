"""Every text written to the database, cleaned of control characters, in one place.

PostgreSQL refuses a NUL in text ("invalid byte sequence for encoding UTF8: 0x00") and SQLite
stores it silently; neither can store a lone surrogate. A note typed in Telegram, a name, an
imported document can carry any of them, so a `before_flush` listener cleans every string
(and every string inside a JSON value) of the rows a session is about to write. Line breaks
and tabs stay: notes, plan texts and item contents are multi-line.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, UOWTransaction

# C0 controls but tab and newline, DEL, C1 controls, and lone surrogates.
_UNSTORABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_text(text: str) -> str:
    """`text` without the characters a database cannot store or a reader cannot see; a
    carriage return (alone or before a newline) becomes a newline."""
    if _UNSTORABLE.search(text) is None:  # the usual case: the very same string back
        return text
    return _UNSTORABLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def clean_value(value: Any) -> Any:
    """A column value with its text cleaned, also inside JSON lists and dicts (keys too);
    the very same object when nothing needed cleaning, so SQLAlchemy sees no change."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        cleaned: Any = {clean_value(k): clean_value(v) for k, v in value.items()}
    elif isinstance(value, list):
        cleaned = [clean_value(v) for v in value]
    else:
        return value
    return value if cleaned == value else cleaned


def _clean_rows(session: Session, _flush: UOWTransaction, _instances: object) -> None:
    for row in (*session.new, *session.dirty):
        state = inspect(row)
        # Only values already loaded: reading an expired one would be a query mid-flush.
        for attribute in state.mapper.column_attrs:
            key = attribute.key
            if key in state.dict:
                value = state.dict[key]
                cleaned = clean_value(value)
                if cleaned is not value:
                    setattr(row, key, cleaned)


# On the Session class: every session, sync or under an AsyncSession, of every database.
event.listen(Session, "before_flush", _clean_rows)
