"""The app with every command registered, for code that imports it (tests, tools).

The console script is workplan.main, which registers only the command it runs.
"""

from __future__ import annotations

from .app import app, run
from .commands import (  # noqa: F401  (importing a module registers its commands)
    dashboard_cmds,
    export_cmds,
    progress_cmds,
    query_cmds,
    registry_cmds,
)
from .main import main

__all__ = ["app", "main", "run"]
