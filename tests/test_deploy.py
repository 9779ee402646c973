"""The systemd unit's command line, run as systemd would run it (Docker cannot run here)."""

import asyncio
import json
import os
import shlex
import signal
import sys
from pathlib import Path

from bot.sandbox import Sandbox

UNIT = Path(__file__).parents[1] / "deploy" / "planbot.service"
TOKEN = "7356219804:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def _unit_value(key: str) -> str:
    for line in UNIT.read_text(encoding="utf-8").splitlines():
        if line.startswith(f"{key}="):
            return line.split("=", 1)[1]
    raise AssertionError(f"{key} missing from the unit")


async def test_the_units_exec_start_runs_and_stops_on_its_kill_signal(tmp_path):
    argv = shlex.split(_unit_value("ExecStart"))
    assert argv[0].endswith("/bin/planbot") and argv[1] == "run"
    config_at = argv.index("--config") + 1
    async with Sandbox(token=TOKEN) as sandbox:
        config = tmp_path / "planbot.toml"
        config.write_text(
            f'[telegram]\nbase_url = "{sandbox.base_url}"\n'
            f'[database]\nurl = "sqlite:///{tmp_path / "planbot.db"}"\n',
            encoding="utf-8",
        )
        argv[config_at] = str(config)
        env = {k: v for k, v in os.environ.items() if not k.startswith("PLANBOT_")}
        # The unit's EnvironmentFile carries the token.
        env |= {"PLANBOT_TOKEN": TOKEN, "PYTHONPATH": os.getcwd()}
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", *argv[1:],
            stderr=asyncio.subprocess.PIPE, env=env, cwd=tmp_path,
        )  # fmt: skip
        assert process.stderr is not None
        reader = asyncio.create_task(process.stderr.read())
        try:
            await sandbox.wait_until(lambda: bool(sandbox.calls_to("getUpdates")), timeout=60)
            process.send_signal(getattr(signal, _unit_value("KillSignal")))
            timeout = float(_unit_value("TimeoutStopSec"))
            await asyncio.wait_for(process.wait(), timeout=timeout)
        finally:
            if process.returncode is None:
                process.kill()
        log = (await reader).decode()
    assert process.returncode == 0
    lines = [json.loads(line) for line in log.splitlines() if line.strip()]
    assert any("planbot started as @" in entry["message"] for entry in lines)
    assert TOKEN not in log
