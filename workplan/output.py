"""Writing rendered results to stdout: format choice, BOM for CSV, colour only on a terminal."""

from __future__ import annotations

import sys
from typing import Any, Sequence

from . import render


def data_console():
    """A console for data on stdout; rich honours NO_COLOR and drops styling when piped."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def emit(fmt: str, records: list[dict], columns: Sequence[render.Column], lang: str,
         *, title: str | None = None, empty_note: str = "no matching items") -> None:
    """Print records in the chosen format; an empty result is a note on stderr and exit 0."""
    from .app import note

    if fmt == "json":
        sys.stdout.write(render.to_json(records))
    elif fmt == "yaml":
        sys.stdout.write(render.to_yaml(records))
    elif fmt == "csv":
        sys.stdout.write("\ufeff" + render.to_csv(records, columns, lang))
    elif fmt == "md":
        sys.stdout.write(render.to_markdown(records, columns, lang))
    else:
        if records:
            data_console().print(render.rich_table(records, columns, lang, title=title))
    if not records:
        note(empty_note)


def pick_columns(spec: str | None, available: dict[str, render.Column], default: list[str]) -> list[render.Column]:
    """Columns from a comma-separated --columns value, in the order given."""
    from .app import UsageError

    keys = [k.strip() for k in spec.split(",") if k.strip()] if spec else default
    unknown = [k for k in keys if k not in available]
    if unknown:
        raise UsageError(f"unknown column {', '.join(unknown)}; choose from {', '.join(available)}")
    return [available[k] for k in keys]


def write_text(path: str, text: str, *, bom: bool = False) -> None:
    """Write to a file, or to stdout when path is '-'."""
    from pathlib import Path

    if path == "-":
        sys.stdout.write(text)
        return
    Path(path).write_text(("\ufeff" if bom else "") + text, encoding="utf-8", newline="")


