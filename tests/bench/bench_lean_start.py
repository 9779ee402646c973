"""Benchmark how fast `planbot` starts and how much memory it holds once it polls.

1. `planbot --help`: the whole process, wall time.
2. `planbot remind` with nothing due (cron runs it every minute): wall time, against the sandbox.
3. `planbot run` start → its first getUpdates at the sandbox, on an empty database already at
   the newest schema (a restart) and on a fresh file (the first start, which migrates); then
   VmRSS / VmHWM of the process from /proc at that moment and 10 s later (idle). Also on a
   database of `--items` items with their reminders planned.

Each figure is the median of `--repeat` runs (5 by default), wall time and the child's CPU
seconds (less at the mercy of other load on the machine), with compiled bytecode cached as in an
installed copy. Every child runs `python -m bot.cli`
with PYTHONPATH set to `--src` (default: this checkout), so an older checkout can be measured in
the same conditions: e.g. `git archive main | tar -x -C /tmp/base` and `--src /tmp/base`.
The sandbox runs in this process, from this checkout; the databases of `--items` come from the
benchmarks' cache (tests/bench/cache.py). The floor, the bare PTB bot (floor_bot.py), is
started the same way: its start → first getUpdates and its RSS.

Run: .venv/bin/python tests/bench/bench_lean_start.py [--src DIR] [--repeat 5]
     [--items 10000 ...] [--cache DIR] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.sandbox import Sandbox
from storage.migrate import upgrade_async
from tests.bench.cache import DEFAULT_CACHE, Office, cached, copy_to

ROOT = Path(__file__).resolve().parents[2]
IDLE_AFTER = 10.0
TOKEN = "7356219804:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


# Compiled modules are cached as an installed planbot's are (pip writes them at install time),
# here outside the source tree; PYTHONDONTWRITEBYTECODE in the environment would make every run
# compile planbot's ~250 modules from source, half a CPU second on its own.
PYCACHE = Path(tempfile.gettempdir()) / "planbot-bench-pycache"


def _env(src: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PLANBOT_") and k != "PYTHONDONTWRITEBYTECODE"
    }
    return {
        **env,
        "PLANBOT_TOKEN": TOKEN,
        "PYTHONPATH": str(src),
        "PYTHONPYCACHEPREFIX": str(PYCACHE),
    }


def _compile(src: Path) -> None:
    packages = [str(src / name) for name in ("bot", "jobs", "storage", "plans")]
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", *packages], env=_env(src), cwd=src, check=True
    )


def _config(folder: Path, sandbox: Sandbox, url: str) -> Path:
    path = folder / f"planbot-{time.monotonic_ns()}.toml"
    path.write_text(
        f'[telegram]\nbase_url = "{sandbox.base_url}"\ntakeover_seconds = 0.3\n'
        f'[database]\nurl = "{url}"\n',
        encoding="utf-8",
    )
    return path


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


async def _wall(src: Path, *args: str) -> tuple[float, float]:
    """Wall and CPU seconds of one `planbot` command."""
    cpu = _children_cpu()
    start = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        *args,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
        env=_env(src),
        cwd=src,  # `-m` puts the working folder first on sys.path
    )
    _, err = await process.communicate()
    elapsed = time.perf_counter() - start
    if process.returncode != 0:
        raise RuntimeError(f"planbot {' '.join(args)} exited {process.returncode}: {err.decode()}")
    return elapsed, _children_cpu() - cpu


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) `pid` has used so far: less at the mercy of other load on
    the machine than wall time."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _memory(pid: int) -> tuple[float, float]:
    """VmRSS and VmHWM of `pid`, in MiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


async def _first_poll(
    src: Path, sandbox: Sandbox, config: Path
) -> tuple[float, float, float, float, float, float]:
    """Seconds from spawning `planbot run` to its first getUpdates; its CPU seconds, RSS and
    peak RSS then; RSS and peak RSS IDLE_AFTER seconds later."""
    return await _poller(["-m", "bot.cli", "run", "--config", str(config)], src, sandbox)


async def _floor_poll(sandbox: Sandbox) -> tuple[float, float, float, float, float, float]:
    """The same of the bare PTB bot."""
    floor = ROOT / "tests" / "bench" / "floor_bot.py"
    argv = [str(floor), "--token", sandbox.token, "--base-url", sandbox.base_url]
    return await _poller(argv, ROOT, sandbox)


async def _poller(
    argv: list[str], src: Path, sandbox: Sandbox
) -> tuple[float, float, float, float, float, float]:
    before = len(sandbox.calls_to("getUpdates"))
    start = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        *argv,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
        env=_env(src),
        cwd=src,
    )
    try:
        while len(sandbox.calls_to("getUpdates")) == before:
            if process.returncode is not None or time.perf_counter() - start > 120:
                raise RuntimeError(f"{' '.join(argv[:3])} never polled")
            await asyncio.sleep(0.002)
        elapsed = time.perf_counter() - start
        cpu = _cpu(process.pid)
        rss, hwm = _memory(process.pid)
        # Idle: polling, the start-up's work (the reminder rebuild) given time to finish.
        await asyncio.sleep(IDLE_AFTER)
        idle, peak = _memory(process.pid)
    finally:
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), 30)
        except TimeoutError:
            print(f"{argv[:3]} (pid {process.pid}) did not stop within 30 s of SIGTERM: killed")
            process.kill()
            await process.wait()
    return elapsed, cpu, rss, hwm, idle, peak


Figures = dict[str, float]


def _line(what: str, values: list[float], unit: str, figures: Figures) -> None:
    """Print the median of `values` (and each) and keep it in `figures` under `what`."""
    figures[f"{what.strip()} {unit}"] = statistics.median(values)
    shown = ", ".join(f"{v:.2f}" for v in values)
    print(f"{what:<44} median {statistics.median(values):7.2f} {unit}   ({shown})", flush=True)


def _timed(what: str, runs: list[tuple[float, float]], figures: Figures) -> None:
    _line(what, [wall for wall, _ in runs], "s", figures)
    _line(f"{what}, CPU", [cpu for _, cpu in runs], "s", figures)


async def _polls(
    poll: Callable[[], Awaitable[tuple[float, ...]]], label: str, n: int, figures: Figures
) -> None:
    times: list[tuple[float, float]] = []
    rss: list[float] = []
    hwm: list[float] = []
    idle: list[float] = []
    idle_hwm: list[float] = []
    for _ in range(n):
        elapsed, cpu, *memory = await poll()
        times.append((elapsed, cpu))
        for into, value in zip((rss, hwm, idle, idle_hwm), memory, strict=True):
            into.append(value)
    _timed(f"start → first getUpdates, {label}", times, figures)
    _line(f"VmRSS at first getUpdates, {label}", rss, "MiB", figures)
    _line(f"VmHWM at first getUpdates, {label}", hwm, "MiB", figures)
    _line(f"VmRSS {IDLE_AFTER:.0f} s later, {label}", idle, "MiB", figures)
    _line(f"VmHWM {IDLE_AFTER:.0f} s later, {label}", idle_hwm, "MiB", figures)


async def measure(
    src: Path, repeat: int = 5, items: Sequence[int] = (10_000,), cache: Path = DEFAULT_CACHE
) -> Figures:
    """Medians of `repeat` runs, named as printed: `planbot --help s`, `… , CPU s`, `start →
    first getUpdates, empty, at head s`, `VmRSS 10 s later, 10,000 items MiB`, `… floor …`."""
    print(f"checkout: {src}; {repeat} runs each; load average {os.getloadavg()[0]:.1f}")
    folder = Path(tempfile.mkdtemp(prefix="planbot-bench-start-"))
    try:
        return await _measure(src, repeat, items, folder, cache)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


async def _measure(
    src: Path, repeat: int, items: Sequence[int], folder: Path, cache: Path
) -> Figures:
    figures: Figures = {}
    _compile(src)
    _timed("planbot --help", [await _wall(src, "--help") for _ in range(repeat)], figures)
    async with Sandbox(token=TOKEN) as sandbox:
        empty = f"sqlite+aiosqlite:///{folder / 'empty.db'}"
        await upgrade_async(empty)
        config = _config(folder, sandbox, empty)
        remind = [await _wall(src, "remind", "--config", str(config)) for _ in range(repeat)]
        _timed("planbot remind, nothing due", remind, figures)

        fresh = []
        for n in range(repeat):
            url = f"sqlite+aiosqlite:///{folder / f'fresh{n}.db'}"
            fresh.append((await _first_poll(src, sandbox, _config(folder, sandbox, url)))[:2])
        _timed("start → first getUpdates, fresh file", fresh, figures)

        def planbot(url: str) -> Callable[[], Awaitable[tuple[float, ...]]]:
            return lambda: _first_poll(src, sandbox, _config(folder, sandbox, url))

        await _polls(planbot(empty), "empty, at head", repeat, figures)
        await _polls(lambda: _floor_poll(sandbox), "floor", repeat, figures)
        for count in items:
            path = copy_to(await cached(Office(count), cache), folder, f"items-{count}.db")
            await _polls(
                planbot(f"sqlite+aiosqlite:///{path}"), f"{count:,} items", repeat, figures
            )
            path.unlink()
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--src", type=Path, default=ROOT)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--items", type=int, nargs="*", default=[10_000])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON at the end")
    options = parser.parse_args()
    result = asyncio.run(
        measure(options.src.resolve(), options.repeat, options.items, options.cache)
    )
    if options.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
