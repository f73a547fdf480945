"""Writing rendered results to stdout: format choice, BOM for CSV, colour only on a terminal."""

from __future__ import annotations

import os
import sys
from typing import Any, Sequence

from workplan.present import render


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
    from workplan.cli.app import note

    if fmt == "json":
        sys.stdout.write(render.to_json(records if data is None else data))
    elif fmt == "yaml":
        sys.stdout.write(render.to_yaml(records if data is None else data))
    elif fmt == "csv":
        write_csv_rows(records, columns, lang)
    elif fmt == "md":
        sys.stdout.write(render.to_markdown(records, columns, lang))
    else:
        if records:
            print_table(records, [*columns, *table_extra], lang, title=title, caption=caption, highlight=highlight)
    if not records:
        note(empty_note or EMPTY_NOTES.get(lang, EMPTY_NOTES["zh"]))


# A terminal gets rich tables of at most this many rows at a time, so that the first rows of a
# huge list appear at once instead of after the whole table has been measured.
STREAM_ROWS = 500


def print_table(records: Sequence[dict], columns: Sequence[render.Column], lang: str, *, title: str | None = None,
                caption: str | None = None, highlight: Sequence[str] = ()) -> None:
    if not stdout_is_terminal():
        write_lines(render.plain_table_lines(records, columns, lang, title=title, caption=caption))
        return
    console = data_console()
    for start in range(0, len(records), STREAM_ROWS):
        last = start + STREAM_ROWS >= len(records)
        console.print(render.rich_table(records[start:start + STREAM_ROWS], columns, lang,
                                        title=title if start == 0 else None, caption=caption if last else None,
                                        highlight=highlight))


def stdout_is_terminal() -> bool:
    """A terminal, or output the user asked to be treated as one (rich's FORCE_COLOR, TTY_COMPATIBLE)."""
    if os.environ.get("TTY_COMPATIBLE") in ("0", "1"):
        return os.environ["TTY_COMPATIBLE"] == "1"
    return sys.stdout.isatty() or bool(os.environ.get("FORCE_COLOR"))


def write_lines(lines, chunk: int = 1000) -> None:
    """Write lines to stdout a chunk at a time (one write per line is slow; one string is big)."""
    batch = []
    for line in lines:
        batch.append(line)
        if len(batch) >= chunk:
            sys.stdout.write("\n".join(batch) + "\n")
            batch.clear()
    if batch:
        sys.stdout.write("\n".join(batch) + "\n")


def write_csv_rows(records: Sequence[dict], columns: Sequence[render.Column], lang: str) -> None:
    """The same text as render.to_csv with a BOM (for Excel), written row by row, not built whole."""
    import csv

    sys.stdout.write("\ufeff")
    writer = csv.writer(sys.stdout, lineterminator="\r\n")
    writer.writerow([c.header(lang) for c in columns])
    texts = [render.cell_formatter(c, lang) for c in columns]
    for record in records:
        writer.writerow([text(record) for text in texts])


def pick_columns(spec: str | None, available: dict[str, render.Column], default: list[str]) -> list[render.Column]:
    """Columns from a comma-separated --columns value, in the order given; keys or either header."""
    from workplan.cli.app import UsageError

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


