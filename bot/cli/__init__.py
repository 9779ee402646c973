"""The `planbot` command line: the argparse entry (main.py) and one module per subcommand.

run.py (`planbot run`), console.py with demo.py (`planbot console`, `--demo`'s world),
import_file.py (`planbot import`), remind.py (`planbot remind`), report.py (`planbot summary`,
`planbot export`), doctor.py (`planbot doctor`); `db`, `backup` and `restore` are small enough
to live in main.py. `python -m bot.cli` runs the same entry as the `planbot` script.

`main` is re-exported so the script's entry point stays `bot.cli:main`, as it was when the
command line was one module: installs made before the move keep a working `planbot`.
"""

from bot.cli.main import main

__all__ = ["main"]
