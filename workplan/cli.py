"""Console entry point: registers every command module on the app and runs it."""

from __future__ import annotations

from .app import app, run
from .commands import (  # noqa: F401  (importing a module registers its commands)
    dashboard_cmds,
    export_cmds,
    progress_cmds,
    query_cmds,
    registry_cmds,
)

__all__ = ["app", "main"]


def main() -> None:
    run()


if __name__ == "__main__":
    main()
