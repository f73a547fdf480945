"""Console entry point: registers every command module on the app and runs it."""

from __future__ import annotations

from .app import app, run
from .commands import query_cmds, registry_cmds  # noqa: F401  (importing registers the commands)

__all__ = ["app", "main"]


def main() -> None:
    run()


if __name__ == "__main__":
    main()
