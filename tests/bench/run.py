"""Run every benchmark of issue 15 and print the table `what | planbot | floor | goal | met`.

The databases (1,000, 10,000 and 100,000 items; --quick: 1,000 and 10,000) are built once into
the cache folder (tests/bench/cache.py: keyed by size, day, schema revision and builder version,
so a stale one is rebuilt). Each benchmark then runs in a child process of its own (so one's
memory, threads and imports do not weigh on the next), calling the bench module's `measure`
function; the floor, the bare PTB bot (floor_bot.py), runs through the same sandbox in the same
child. The table, with the date, the machine and its load average at the start and the end, is
printed and written to --out. Measure what the tree you run it from holds; on a loaded machine
every wall time is the machine's as much as the bot's (the CPU seconds less so).

Run: PYTHONPATH=. .venv/bin/python tests/bench/run.py [--quick] [--cache DIR] [--only NAME ...]
     [--sizes ITEMS ...] [--out FILE]
names: build, commands, startup, lean_start, burst, waiting_sends, sweep, import, parser, board,
documents, feed (documents only when named)
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.table import Goal, Row, markdown  # noqa: E402

Figures = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Plan:
    """How much to measure: the database sizes and the repeat counts."""

    sizes: tuple[int, ...]
    # bench_startup waits for the whole rebuild (a minute at 10,000 items on a busy machine).
    startup_sizes: tuple[int, ...]
    commands: int
    scrapes: int
    starts: int
    imports: int
    burst_chats: int
    waiting_sends: int
    # GETs of the web board (issue 17), on the 10,000-item office.
    board_requests: int
    # GET /ics feeds (issue 17), on the 10,000-item office.
    feeds: int = 1_000


FULL = Plan((1_000, 10_000, 100_000), (1_000, 10_000, 100_000), 200, 50, 5, 3, 200, 1_200, 1_000)
QUICK = Plan((1_000, 10_000), (1_000,), 20, 20, 1, 1, 200, 300, 100, 200)
NAMES = [
    "build",
    "commands",
    "startup",
    "lean_start",
    "burst",
    "waiting_sends",
    "sweep",
    "import",
    "parser",
    "board",
    "documents",
    # Issue 17: GET /ics/<token>.ics and its 304s (bench_feed.py).
    "feed",
]
DEFAULT = [name for name in NAMES if name != "documents"]


def _child(module: str, function: str, kwargs: dict[str, Any]) -> Figures:
    """`tests.bench.<module>.<function>(**kwargs)` in a fresh interpreter; its figures."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        target = Path(out.name)
    argv = [sys.executable, __file__, "--child", module, function, json.dumps(kwargs), str(target)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    print(f"-- {module}.{function}({kwargs})", flush=True)
    try:
        subprocess.run(argv, check=True, env=env, cwd=ROOT)
        figures: Figures = json.loads(target.read_text())
    except subprocess.CalledProcessError as failed:
        print(f"   failed ({failed.returncode}); its figures are left out", flush=True)
        figures = {"failed": failed.returncode}
    finally:
        target.unlink(missing_ok=True)
    print(f"   took {time.perf_counter() - started:.0f} s", flush=True)
    return figures


def _run_child(module: str, function: str, kwargs: str, target: str) -> None:
    import asyncio
    import inspect

    arguments = json.loads(kwargs)
    if "cache" in arguments:
        arguments["cache"] = Path(arguments["cache"])
    if "src" in arguments:
        arguments["src"] = Path(arguments["src"])
    call = getattr(importlib.import_module(f"tests.bench.{module}"), function)
    result = call(**arguments)
    if inspect.isawaitable(result):
        result = asyncio.run(result)  # type: ignore[arg-type]
    Path(target).write_text(json.dumps(result, ensure_ascii=False))


def _machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores, {memory:.1f} GiB RAM, {platform.machine()}, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def _load() -> str:
    return " / ".join(f"{v:.2f}" for v in os.getloadavg())


def _commit() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return f"{head}{' (uncommitted changes)' if dirty else ''}"


def measure(plan: Plan, names: list[str], cache: Path) -> dict[str, Any]:
    """Every named benchmark's figures, by name (and by size where it has sizes)."""
    results: dict[str, Any] = {}
    largest = max(plan.sizes)
    common = {"cache": str(cache)}
    if "build" in names:
        results["build"] = {n: _child("run", "build", {"items": n, **common}) for n in plan.sizes}
    if "commands" in names:
        results["commands"] = {
            n: _child(
                "bench_commands",
                "measure",
                {"items": n, "commands": plan.commands, "scrapes": plan.scrapes, **common},
            )
            for n in plan.sizes
        }
    if "startup" in names:
        results["startup"] = {
            n: _child("bench_startup", "measure", {"items": n, **common})
            for n in plan.startup_sizes
        }
    if "lean_start" in names:
        results["lean_start"] = _child(
            "bench_lean_start",
            "measure",
            {"src": str(ROOT), "repeat": plan.starts, "items": list(plan.sizes), **common},
        )
    if "burst" in names:
        results["burst"] = _child(
            "bench_reminders",
            "burst",
            {"chats": plan.burst_chats, "items_per_chat": 50, "database_url": None, **common},
        )
    if "waiting_sends" in names:
        results["waiting_sends"] = _child(
            "bench_reminders", "waiting_sends", {"chats": plan.waiting_sends}
        )
    if "sweep" in names:
        results["sweep"] = {
            n: _child("bench_reminders", "sweep", {"items": n, "database_url": None, **common})
            for n in sorted({min(plan.sizes), largest})
        }
    if "import" in names:
        results["import"] = _child("bench_import", "measure", {"repeat": plan.imports})
    if "parser" in names:
        results["parser"] = _child("bench_parser", "measure", {})
    if "board" in names:
        # The office's 500-item plans, and a month's plan of a real office's size.
        results["board"] = {
            per_chat: _child(
                "bench_board",
                "measure",
                {
                    "items": 10_000,
                    "requests": plan.board_requests,
                    "per_chat": per_chat,
                    **common,
                },
            )
            for per_chat in (500, 40)
        }
    if "documents" in names:
        results["documents"] = _child("bench_documents", "measure_all", {})
    if "feed" in names:
        results["feed"] = _child(
            "bench_feed", "measure", {"items": 10_000, "requests": plan.feeds, **common}
        )
    return results


async def build(items: int, cache: str) -> Figures:
    """The day's database of `items` items in the cache (built if missing): its build time."""
    from tests.bench.cache import Office, cached

    started = time.perf_counter()
    path = await cached(Office(items), Path(cache))
    return {"seconds": time.perf_counter() - started, "MiB": path.stat().st_size / 2**20}


def _get(figures: Any, *keys: Any) -> float | None:
    """figures[k1][k2]…, None where a benchmark was not run or failed."""
    for key in keys:
        if not isinstance(figures, dict) or key not in figures:
            return None
        figures = figures[key]
    return float(figures) if isinstance(figures, int | float) else None


def rows(results: dict[str, Any], sizes: tuple[int, ...]) -> list[Row]:
    """The table: the issue's goals where it states them, the rest for scaling."""
    out: list[Row] = []

    def add(what: str, value: float | None, unit: str, *rest: Any, **kw: Any) -> None:
        if value is not None or rest or kw:
            out.append(Row(what, value, unit, *rest, **kw))

    commands = results.get("commands", {})
    for n in sizes:
        c = commands.get(n, commands.get(str(n)))
        label = f"{n:,} items"
        goal = Goal(40, "ms") if n == 10_000 else None
        if c is None:
            continue
        add(
            f"command p99 (/plan /item /done /mine), {label}",
            _get(c, "command p99 ms"),
            "ms",
            _get(c, "floor command p99 ms"),
            goal,
        )
        for command in ("plan", "item", "done", "mine"):
            for share in ("p50", "p99"):
                goal = None
                if command == "done" and n == 100_000:
                    goal = Goal(20 if share == "p50" else 50, "ms")
                add(
                    f"/{command} {share}, {label}",
                    _get(c, f"/{command} {share} ms"),
                    "ms",
                    _get(c, f"floor /{command} {share} ms"),
                    goal,
                )
        add(f"/done its SQL p50, {label}", _get(c, "/done SQL p50 ms"), "ms")
        metrics_goal = Goal(10, "ms") if n == 100_000 else None
        add(f"GET /metrics p50, {label}", _get(c, "/metrics p50 ms"), "ms", None, metrics_goal)
        add(f"GET /metrics p99, {label}", _get(c, "/metrics p99 ms"), "ms")

    feed = results.get("feed", {})
    # Answered (kept by ETag after the first), 304, and built with nothing kept.
    for answer, goal in (("feed", Goal(50, "ms")), ("304", Goal(5, "ms")), ("built", None)):
        for share in ("p50", "p99"):
            what = f"GET /ics {answer} {share}, 10,000 items"
            value = _get(feed, f"{answer} {share} ms")
            floor = _get(feed, f"floor {'304' if answer == '304' else 'feed'} {share} ms")
            add(what, value, "ms", floor, goal if share == "p99" else None)

    lean = results.get("lean_start", {})
    floor_start = _get(lean, "start → first getUpdates, floor s")
    add("`planbot --help`", _get(lean, "planbot --help s"), "s", None, Goal(0.25, "s"))
    add(
        "`planbot remind`, nothing due",
        _get(lean, "planbot remind, nothing due s"),
        "s",
        None,
        Goal(0.5, "s"),
    )
    add(
        "start → first getUpdates, empty database",
        _get(lean, "start → first getUpdates, empty, at head s"),
        "s",
        floor_start,
        Goal(0.6, "s"),
    )
    add(
        "the same, CPU seconds",
        _get(lean, "start → first getUpdates, empty, at head, CPU s"),
        "s",
        _get(lean, "start → first getUpdates, floor, CPU s"),
    )
    floor_rss = _get(lean, "VmRSS 10 s later, floor MiB")
    add(
        "RSS idle, empty database",
        _get(lean, "VmRSS 10 s later, empty, at head MiB"),
        "MiB",
        floor_rss,
    )
    for n in sizes:
        label = f"{n:,} items"
        add(
            f"start → first getUpdates, {label}",
            _get(lean, f"start → first getUpdates, {label} s"),
            "s",
            floor_start,
            Goal(1.5, "s") if n == 100_000 else None,
        )
        add(
            f"RSS idle (10 s after the first getUpdates), {label}",
            _get(lean, f"VmRSS 10 s later, {label} MiB"),
            "MiB",
            floor_rss,
            Goal(100, "MiB") if n == 100_000 else None,
        )

    startup = results.get("startup", {})
    for n in sizes:
        s = startup.get(n, startup.get(str(n)))
        if s is None:
            continue
        label = f"{n:,} items"
        add(
            f"/plan while the start-up rebuild runs, p99, {label}",
            _get(s, "/plan during the rebuild p99 ms"),
            "ms",
            None,
            Goal(100, "ms") if n == 100_000 else None,
        )
        add(f"start → rebuild done (background), {label}", _get(s, "rebuild s"), "s")

    burst = results.get("burst", {})
    wall, floor_wall = _get(burst, "wall s"), _get(burst, "floor wall s")
    if wall is not None and floor_wall is not None:
        ratio = wall / floor_wall
        refused = int(_get(burst, "429s") or 0)
        verdict = (
            "yes" if ratio <= 1.10 and refused == 0 else f"no ({ratio:.2f} ×, {refused} × 429)"
        )
        reminders = int(_get(burst, "reminders") or 0)
        messages = int(_get(burst, "messages") or 0)
        add(
            f"burst: {reminders:,} reminders, {messages} messages, every chat 1/s: wall",
            wall,
            "s",
            floor_wall,
            Goal(1.10 * floor_wall, "s", strict=False),
            verdict=verdict,
        )
        add("· the same: 429s answered", _get(burst, "429s"), "", _get(burst, "floor 429s"))
        add("· the same: the limits' floor", _get(burst, "limits floor s"), "s")
        add("· the same: bot CPU", _get(burst, "bot CPU s"), "s")
        add(
            "· the same: peak RSS during it",
            _get(burst, "peak RSS MiB"),
            "MiB",
            None,
            Goal(120, "MiB"),
        )
    waiting = results.get("waiting_sends", {})
    chats = _get(waiting, "chats")
    if chats is not None:
        add(f"{chats:,.0f} sends waiting on the limiter: CPU", _get(waiting, "CPU s"), "s")
    sweep = results.get("sweep", {})
    for key, s in sweep.items():
        add(f"one sweep (nothing due), {int(key):,} items", _get(s, "median ms"), "ms")
    imported = results.get("import", {})
    add(
        "import and confirm a 1,000-item plan (press → answer)",
        _get(imported, "import confirm s"),
        "s",
        None,
        Goal(2, "s"),
    )
    add("· upload → preview of it", _get(imported, "import preview s"), "s")
    add(
        "`/ack` on a 10-item reminder: transactions",
        _get(imported, "/ack transactions"),
        "",
        None,
        Goal(3, "", strict=False),
    )
    add("· its statements", _get(imported, "/ack statements"), "")
    add("parse a 1,000-item plan (best)", _get(results.get("parser", {}), "best ms"), "ms")
    for per_chat, board in results.get("board", {}).items():
        for share in ("p50", "p99"):
            add(
                f"GET /board/<token> {share}, 10,000 items, a {per_chat}-item plan",
                _get(board, f"board {share} ms"),
                "ms",
                _get(board, f"floor board {share} ms"),
                Goal(100, "ms") if share == "p99" else None,
            )
        for share in ("p50", "p99"):
            add(
                f"· built with no page kept {share}, a {per_chat}-item plan",
                _get(board, f"built {share} ms"),
                "ms",
            )
    for suffix, shape in (
        (".docx", "50,000 paragraphs"),
        (".xlsx", "2,000 rows"),
        (".pdf", "3,000 lines"),
    ):
        add(
            f"read a {suffix}, {shape} (best)",
            _get(results.get("documents", {}), suffix, "best ms"),
            "ms",
        )
    return [row for row in out if row.planbot is not None or row.floor is not None]


def report(results: dict[str, Any], plan: Plan, started: datetime, loads: tuple[str, str]) -> str:
    quick = " (--quick)" if plan.commands == QUICK.commands else ""
    return "\n".join(
        [
            f"Benchmarks of planbot{quick}, {started:%Y-%m-%d %H:%M} UTC, checkout {_commit()}",
            f"Machine: {_machine()}; load average (1/5/15 min) {loads[0]} at the start, "
            f"{loads[1]} at the end.",
            "",
            markdown(rows(results, plan.sizes)),
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="1,000 and 10,000 items, fewer runs")
    parser.add_argument("--cache", type=Path, default=None, help="where the databases are kept")
    parser.add_argument("--only", nargs="+", choices=NAMES, help="these benchmarks only")
    parser.add_argument(
        "--sizes", nargs="+", type=int, help="these database sizes (items) instead of the plan's"
    )
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).with_name("results.md"), help="the table"
    )
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _run_child(*args.child)
        return
    from tests.bench.cache import DEFAULT_CACHE

    plan = QUICK if args.quick else FULL
    if args.sizes:
        plan = replace(plan, sizes=tuple(args.sizes), startup_sizes=tuple(args.sizes))
    names = args.only or DEFAULT
    started, load = datetime.now(UTC), _load()
    results = measure(plan, names, args.cache or DEFAULT_CACHE)
    text = report(results, plan, started, (load, _load()))
    args.out.write_text(text, encoding="utf-8")
    args.out.with_suffix(".json").write_text(
        json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    print()
    print(text)
    print(f"written to {args.out} (and the figures to {args.out.with_suffix('.json')})")


if __name__ == "__main__":
    main()
