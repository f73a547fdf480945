"""The console script `workplan` (and `python -m workplan`): register the command asked for, run
it, and end the process.

Typer builds every registered command's options at each start, so only the module of the command
on the command line is imported; `workplan --help`, no command
or an unknown one registers them all, so help lists everything and a typo gets suggestions.
workplan.cli.commands registers them all for code that imports the app.
"""

from __future__ import annotations

import gc
import importlib
import os
import signal
import sys

# Which module of workplan.cli defines each command (a test checks it against the app).
COMMAND_MODULES = {
    "list": "query", "due": "query", "overdue": "query", "upcoming": "query",
    "show": "query", "search": "query", "stats": "query", "orgs": "query",
    "validate": "registry", "schema": "registry",
    "export": "export", "import": "export",
    "update": "progress", "log": "progress", "status": "progress", "report": "progress",
    "calendar": "progress",
    "dashboard": "dashboard", "timeline": "dashboard",
    "amend": "corrections", "undo": "corrections", "adjust": "corrections",
    "merge-driver": "together", "setup-git": "together", "diff": "together", "check-change": "together",
    "plans": "plans", "init": "plans", "carry-over": "plans", "add": "plans", "edit": "plans",
    "ingest": "ingest",
}


def register(argv: list[str]) -> None:
    """Import the command modules that `argv` needs."""
    name = next((arg for arg in argv if not arg.startswith("-")), None)
    modules = [COMMAND_MODULES[name]] if name in COMMAND_MODULES else sorted(set(COMMAND_MODULES.values()))
    for module in modules:
        importlib.import_module(f"{__package__}.{module}")


def main() -> None:
    """Run the command, then end the process without tearing it down.

    Freeing a large loaded registry object by object can take longer than the command itself, so,
    as mypy does, the process flushes its output and leaves with os._exit. Nothing is
    left unwritten: files are written and closed inside the commands.
    """
    from workplan.cli.app import run

    # SIGTERM ends the command the way Ctrl-C does, through every `finally`: a temporary file being
    # written is removed and the registry lock let go (SIGKILL allows neither; see store/atomic.py).
    signal.signal(signal.SIGTERM, _terminated)
    # A command is one pass over the data that makes no garbage cycles worth collecting; the
    # collector would only rescan the loaded registry, again and again as rows are built.
    gc.disable()
    try:
        register(sys.argv[1:])
        run()
        code = 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:
            print(exc.code, file=sys.stderr)
            code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass  # a closed pipe (`workplan list | head`) has nothing left to receive
    os._exit(code)


def _terminated(signum, frame) -> None:
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    main()
