"""Backing up and restoring a SQLite database while the bot may be running.

SQLite's online backup API copies a consistent snapshot page by page, WAL included, without
stopping writers for long; copying the file (or only the file without its -wal) would not.
PostgreSQL has pg_dump / pg_restore for this; see the README.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from storage.db import is_sqlite, normalize_url

# Pages copied per step; between steps the bot's writers get their turn.
_PAGES_PER_STEP = 1024


class BackupError(Exception):
    """A backup or restore that cannot be done, worded for the person at the terminal."""


def sqlite_path(url: str) -> Path:
    if not is_sqlite(url):
        raise BackupError(
            "backup and restore work on SQLite databases; for PostgreSQL use pg_dump and "
            "pg_restore (see the README)"
        )
    database = normalize_url(url).database
    if not database or database == ":memory:":
        raise BackupError("the database URL names no SQLite file")
    return Path(database)


def _has_tables(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return False
    with sqlite3.connect(path) as connection:
        count: int = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        return count > 0


def backup(url: str, target: Path) -> int:
    """Write a consistent copy of the database at `url` to `target`; returns its size."""
    source = sqlite_path(url)
    if not source.exists():
        raise BackupError(f"{source} does not exist")
    if target.exists():
        raise BackupError(f"{target} already exists; choose a new file name")
    if not target.parent.is_dir():
        raise BackupError(f"the folder {target.parent} does not exist; create it first")
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst, pages=_PAGES_PER_STEP)
    return target.stat().st_size


def restore(url: str, source: Path, *, force: bool = False) -> None:
    """Replace the database at `url` with the backup `source`."""
    target = sqlite_path(url)
    if not source.exists():
        raise BackupError(f"{source} does not exist")
    try:
        with sqlite3.connect(source) as check:
            verdict = check.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source} is not a SQLite database ({error})") from None
    if verdict != "ok":
        raise BackupError(f"{source} is not a sound SQLite database ({verdict})")
    if _has_tables(target) and not force:
        raise BackupError(f"{target} already holds data; add --force to overwrite it with {source}")
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst, pages=_PAGES_PER_STEP)
