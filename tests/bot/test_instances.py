"""Several `planbot run` processes on one PostgreSQL: exactly one polls; another takes over."""

import asyncio
import os
import signal
import sys
from pathlib import Path

from bot.sandbox import Sandbox
from tests.conftest import POSTGRES_URL_ENV, fresh_postgres_database

TOKEN = "7356219804:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
LEADING = "this instance polls Telegram"


class Instance:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.lines: list[str] = []
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.process.stderr is not None
        async for raw in self.process.stderr:
            self.lines.append(raw.decode(errors="replace"))

    @property
    def leading(self) -> bool:
        return any(LEADING in line for line in self.lines)


async def start_instance(config: Path) -> Instance:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANBOT_")}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "run",
        "--config",
        str(config),
        stderr=asyncio.subprocess.PIPE,
        env={**env, "PLANBOT_TOKEN": TOKEN, "PYTHONPATH": os.getcwd()},
    )
    return Instance(process)


async def wait_until(predicate, instances, timeout: float = 60.0) -> None:  # noqa: ASYNC109
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            logs = "\n---\n".join("".join(i.lines[-15:]) for i in instances)
            raise AssertionError(f"timed out; the instances logged:\n{logs}")
        await asyncio.sleep(0.05)


if os.environ.get(POSTGRES_URL_ENV):

    async def test_one_instance_polls_and_another_takes_over_when_it_dies(tmp_path):
        async with (
            fresh_postgres_database(os.environ[POSTGRES_URL_ENV]) as url,
            Sandbox(token=TOKEN) as sandbox,
        ):
            config = tmp_path / "planbot.toml"
            config.write_text(
                f'[telegram]\nbase_url = "{sandbox.base_url}"\ntakeover_seconds = 0.3\n'
                f'[database]\nurl = "{url}"\n',
                encoding="utf-8",
            )
            instances = [await start_instance(config) for _ in range(2)]
            try:
                await wait_until(lambda: any(i.leading for i in instances), instances)
                await asyncio.sleep(1.0)  # the other has had three chances to take over
                assert [i.leading for i in instances].count(True) == 1

                user = sandbox.add_user("李四")
                group = sandbox.add_chat("supergroup", title="群")
                sandbox.send_text(group, user, "/help")
                await sandbox.wait_for(1, chat=group, timeout=10)

                leader = next(i for i in instances if i.leading)
                follower = next(i for i in instances if not i.leading)
                leader.process.send_signal(signal.SIGKILL)
                await wait_until(lambda: follower.leading, instances)
                sandbox.send_text(group, user, "/start")
                await sandbox.wait_for(2, chat=group, timeout=10)
                assert len(sandbox.sent(group)) == 2, "each command answered once"
                assert sandbox.stats.statuses.get(409, 0) == 0, "never two pollers at once"
            finally:
                for instance in instances:
                    if instance.process.returncode is None:
                        instance.process.send_signal(signal.SIGTERM)
                for instance in instances:
                    await asyncio.wait_for(instance.process.wait(), 30)
                    await instance.reader
