"""The app with every command registered, for code that imports it (tests, tools).

The console script is workplan.cli.main, which registers only the command it runs.
"""

from __future__ import annotations

from workplan.cli.app import app, run
from workplan.cli import dashboard, export, ingest, plans, progress, query, registry, together, corrections  # noqa: F401  (importing a module registers its commands)
from workplan.cli.main import main

__all__ = ["app", "main", "run"]
