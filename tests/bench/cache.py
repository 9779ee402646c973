"""The benchmarks' databases: built once by tests/support/large_office.py:build_office (the one
builder) into a cache folder, and copied for each run, which may change its copy.

A cached file is named by what it holds: its size and shape, the day it was built for (its
reminders are planned around that day's now), the schema revision it was migrated to with a
digest of the migrations' text (two branches may each have a different "0017") and
BUILDER_VERSION. A file whose name no longer matches (a new migration, a changed builder, a new
day) is not used: it is rebuilt, and older files of the same size and shape are removed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from datetime import time as clock
from pathlib import Path

from storage.db import Database
from storage.migrate import MIGRATIONS_DIR, head, upgrade_async
from tests.support.large_office import PER_CHAT, SHANGHAI, build_office

# Raise it whenever build_office (or what this module passes it) changes what a file holds.
BUILDER_VERSION = 3
# Where the benchmarks keep their databases unless told (--cache): outside the checkout, so a
# cache survives switching branches and is shared by worktrees of the same schema.
DEFAULT_CACHE = Path(
    os.environ.get("PLANBOT_BENCH_CACHE", Path(tempfile.gettempdir()) / "planbot-bench-cache")
)
# The id the sandbox gives the first supergroup added to it: a database's first group is that
# chat, so a bench that adds its group first talks to a group with a 500-item plan.
FIRST_SANDBOX_GROUP = -1_001_000_000_001


@dataclass(frozen=True, slots=True)
class Office:
    """What to build: `items` items in groups of `per_chat`; `now` fixes the clock the
    reminders are planned around (None: today at 10:00:30 in Shanghai, so the file is the
    day's, and nothing falls due between that moment and tomorrow's 09:00 reminders);
    `due_at`: one reminder per item due then instead (see build_office); `tg_chat_ids`: the
    first groups' Telegram ids."""

    items: int
    per_chat: int = PER_CHAT
    now: datetime | None = None
    due_at: datetime | None = None
    tg_chat_ids: tuple[int, ...] = (FIRST_SANDBOX_GROUP,)

    def moment(self) -> datetime:
        """The `now` it is built for."""
        today = datetime.now(SHANGHAI).date()
        return self.now or datetime.combine(today, clock(10, 0, 30), tzinfo=SHANGHAI)

    def key(self) -> str:
        shape = repr((self.per_chat, self.now, self.due_at, self.tg_chat_ids))
        digest = hashlib.sha1(shape.encode()).hexdigest()[:8]
        return f"office-{self.items}-{digest}-{self.moment().astimezone(SHANGHAI):%Y%m%d}"


async def build(url: str, office: Office) -> int:
    """Migrate the database at `url` and build `office` in it; the number of reminder rows."""
    await upgrade_async(url)
    db = Database.from_url(url)
    try:
        built = await build_office(
            db,
            office.items,
            office.moment(),
            tg_chat_ids=list(office.tg_chat_ids),
            per_chat=office.per_chat,
            due_at=office.due_at,
        )
        return built.reminders
    finally:
        await db.close()  # checkpoints the WAL into the one file


async def cached(office: Office, cache: Path = DEFAULT_CACHE, *, quiet: bool = False) -> Path:
    """The cached SQLite file holding `office` at the code's schema revision, built first if
    missing. Copy it (copy_to) before changing it."""
    path = cache / f"{office.key()}-{head()}-{schema_digest()}-v{BUILDER_VERSION}.db"
    building = _prepare(path)
    if building is None:
        return path
    started = time.perf_counter()
    rows = await build(f"sqlite+aiosqlite:///{building}", office)
    _keep(building, path, office)
    if not quiet:
        took = time.perf_counter() - started
        print(f"  built {office.items:,} items, {rows:,} reminder rows in {took:.0f} s -> {path}")
    return path


def schema_digest() -> str:
    """A short digest of every migration's text: the schema a revision number stands for."""
    digest = hashlib.sha256()
    for path in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


def _prepare(path: Path) -> Path | None:
    """None if `path` is built; else where to build it (the folder made, a half-built file
    of an interrupted run removed)."""
    if path.exists():
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    building = path.with_suffix(".building")
    building.unlink(missing_ok=True)
    return building


def _keep(building: Path, path: Path, office: Office) -> None:
    """`building` becomes `path`; stale files of the same size and shape (another revision,
    builder or day) go."""
    building.rename(path)
    prefix = office.key().rsplit("-", 1)[0]
    for old in path.parent.glob(f"{prefix}-*.db"):
        if old != path:
            old.unlink(missing_ok=True)


def copy_to(source: Path, folder: Path, name: str = "bench.db") -> Path:
    """A working copy of a cached database in `folder`."""
    target = folder / name
    shutil.copyfile(source, target)
    return target
