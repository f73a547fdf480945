"""Writing rendered results to stdout: format choice, BOM for CSV, colour only on a terminal."""

from __future__ import annotations

import sys
from typing import Any, Sequence

from . import render


def data_console():
    """A console for data on stdout; rich honours NO_COLOR and drops styling when piped."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


EMPTY_NOTES = {"zh": "没有符合条件的事项。", "en": "No matching items."}


def emit(fmt: str, records: list[dict], columns: Sequence[render.Column], lang: str,
         *, title: str | None = None, caption: str | None = None, empty_note: str | None = None,
         highlight: Sequence[str] = (), table_extra: Sequence[render.Column] = (), data: Any = None) -> None:
    """Print records in the chosen format; an empty result is a note on stderr and exit 0.

    `data` replaces records in JSON/YAML when the machine shape differs from the rows (rarely);
    `table_extra` columns (e.g. a bar chart) appear only in the terminal table.
    """
    from .app import note

    if fmt == "json":
        sys.stdout.write(render.to_json(records if data is None else data))
    elif fmt == "yaml":
        sys.stdout.write(render.to_yaml(records if data is None else data))
    elif fmt == "csv":
        sys.stdout.write("\ufeff" + render.to_csv(records, columns, lang))
    elif fmt == "md":
        sys.stdout.write(render.to_markdown(records, columns, lang))
    else:
        if records:
            data_console().print(render.rich_table(records, [*columns, *table_extra], lang, title=title,
                                                   caption=caption, highlight=highlight))
    if not records:
        note(empty_note or EMPTY_NOTES.get(lang, EMPTY_NOTES["zh"]))


def pick_columns(spec: str | None, available: dict[str, render.Column], default: list[str]) -> list[render.Column]:
    """Columns from a comma-separated --columns value, in the order given; keys or either header."""
    from .app import UsageError

    by_name = {}
    for key, column in available.items():
        by_name.update({column.zh: key, column.en.lower(): key, key: key})
    keys = [k.strip() for k in spec.replace("，", ",").split(",") if k.strip()] if spec else default
    unknown = [k for k in keys if k not in by_name and k.lower() not in by_name]
    if unknown:
        raise UsageError(f"unknown column {', '.join(unknown)}; choose from {', '.join(available)}")
    return [available[by_name.get(k) or by_name[k.lower()]] for k in keys]


def write_text(path: str, text: str, *, bom: bool = False) -> None:
    """Write to a file, or to stdout when path is '-'."""
    from pathlib import Path

    if path == "-":
        sys.stdout.write(text)
        return
    Path(path).write_text(("\ufeff" if bom else "") + text, encoding="utf-8", newline="")


