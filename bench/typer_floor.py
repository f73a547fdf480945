"""The Typer floor: `workplan list`'s exact options on a command that does nothing.

    python bench/typer_floor.py list --lead 浙江省局

Typer 0.2x coerces every option through a pydantic TypeAdapter that it builds at each start (and
pydantic then imports its plugin loader, importlib.metadata and email), so a command's option
list alone costs a fixed time over the import-only baseline. This command has the same options as
`workplan list` (copied from its signature, so they stay in step) and does nothing; the time of
`workplan list` over this floor is what workplan itself spends.
"""

from __future__ import annotations

import inspect

import typer

from workplan.cli.query import list_items


def nothing(**options) -> None:
    pass


nothing.__signature__ = inspect.signature(list_items)
nothing.__annotations__ = dict(list_items.__annotations__)

app = typer.Typer(add_completion=False)
app.command("list")(nothing)
app.command("help")(lambda: None)  # a second command, so that `list` is a subcommand as in workplan

if __name__ == "__main__":
    app()
