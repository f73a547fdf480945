"""One format factory for everything printed on stdout.

A command builds a View — its rows and columns, the machine shape of its result, and any layout
of its own — and `write(fmt, view)` prints it. Each format is one writer, registered once in
WRITERS; the table is checked against Format when this module loads, so a format cannot be
half-wired or fall back to a table in silence.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence, TextIO

from workplan.core.labels import t
from workplan.present.messages import note_text

if TYPE_CHECKING:
    from workplan.present.render import Column


class Format(str, Enum):
    table = "table"  # a boxed table on a terminal, aligned plain rows elsewhere
    plain = "plain"  # aligned plain rows, one line each, always
    json = "json"
    yaml = "yaml"
    csv = "csv"
    md = "md"


@dataclass
class View:
    """What a command prints, in every shape a format may ask for.

    `data` is the machine shape (JSON, YAML) when it differs from the rows; `tables` are further
    tables shown after the rows (by the table, plain and Markdown formats); `markdown` replaces
    the Markdown rendering; `terminal` and `plain` are a command's own layouts for a terminal and
    for other output.
    """

    records: list[dict]
    columns: Sequence[Column]
    lang: str = "zh"
    title: str | None = None
    caption: str | None = None
    empty_note: str | None = None
    highlight: Sequence[str] = ()
    table_extra: Sequence[Column] = ()
    data: Any = None
    tables: Sequence["View"] = field(default_factory=list)
    markdown: str | None = None
    source: str | None = None  # the registry read: named under table output (never in machine formats)
    terminal: Callable[[Any], None] | None = None
    plain: Callable[[], Iterable[str]] | None = None
    columns_option: bool = False  # the command takes --columns: the dropped-columns caption may name it

    @property
    def machine(self) -> Any:
        return self.records if self.data is None else self.data


def write(fmt: Format | str, view: View) -> None:
    """Print the view in `fmt`; an empty result is a note on stderr (exit 0 all the same). A table
    (on a terminal or plain) ends with the registry it was read from."""
    WRITERS[Format(fmt)](view, sys.stdout)
    if view.source and view.records and Format(fmt) in (Format.table, Format.plain):
        from workplan.present.text import visible

        sys.stdout.write(visible(t("caption.source", view.lang, path=view.source)) + "\n")
    if not view.records:
        note_text(view.empty_note or t("empty.items", view.lang))


def emit(fmt: Format | str, records: list[dict], columns: Sequence[Column], lang: str, **view: Any) -> None:
    """write() for the usual view: rows and columns, with View's other fields as keywords."""
    write(fmt, View(records, columns, lang, **view))


# -- the writers ------------------------------------------------------------------------------------

def write_json(view: View, out: TextIO) -> None:
    out.write(to_json(view.machine))


def write_yaml(view: View, out: TextIO) -> None:
    out.write(to_yaml(view.machine))


def write_csv(view: View, out: TextIO) -> None:
    """UTF-8 CSV with a BOM (for Excel), written row by row."""
    out.write("\ufeff")
    write_csv_rows(out, view.records, view.columns, view.lang)


def write_markdown(view: View, out: TextIO) -> None:
    if view.markdown is not None:
        out.write(view.markdown)
        return
    out.write(to_markdown(view.records, view.columns, view.lang))
    for extra in view.tables:
        if extra.records:
            out.write("\n" + (f"## {md_escape(extra.title)}\n\n" if extra.title else "")
                      + to_markdown(extra.records, extra.columns, extra.lang))


def write_table(view: View, out: TextIO) -> None:
    from workplan.present.terminal import fit_columns, record_blocks, rich_table

    if not stdout_is_terminal():
        write_plain(view, out)
        return
    console = data_console()
    if view.terminal is not None:
        view.terminal(console)
        return
    for part in (view, *view.tables):
        if not part.records:
            continue
        columns = [*part.columns, *part.table_extra]
        layout = fit_columns(part.records, columns, part.lang, console.width)  # the same for every part
        if not layout.fits:
            for start in range(0, len(part.records), STREAM_ROWS):
                last = start + STREAM_ROWS >= len(part.records)
                console.print(record_blocks(part.records[start:start + STREAM_ROWS], columns, part.lang, console.width,
                                            title=part.title if start == 0 else None,
                                            caption=part.caption if last else None, highlight=part.highlight,
                                            closing=last))
            continue
        for start in range(0, len(part.records), STREAM_ROWS):
            last = start + STREAM_ROWS >= len(part.records)
            console.print(rich_table(part.records[start:start + STREAM_ROWS], columns, part.lang,
                                     title=part.title if start == 0 else None,
                                     caption=part.caption if last else None, highlight=part.highlight,
                                     columns_option=part.columns_option,
                                     width=console.width if last else None, layout=layout))


def write_plain(view: View, out: TextIO) -> None:
    from workplan.present.terminal import plain_table_lines

    if view.plain is not None:
        write_lines(out, view.plain())
        return
    for n, part in enumerate(p for p in (view, *view.tables) if p.records):
        if n:
            out.write("\n")
        write_lines(out, plain_table_lines(part.records, [*part.columns, *part.table_extra], part.lang,
                                                  title=part.title, caption=part.caption))


WRITERS: dict[Format, Callable[[View, TextIO], None]] = {
    Format.table: write_table,
    Format.plain: write_plain,
    Format.json: write_json,
    Format.yaml: write_yaml,
    Format.csv: write_csv,
    Format.md: write_markdown,
}
if set(WRITERS) != set(Format):
    raise RuntimeError(f"formats without a writer: {sorted(set(Format) - set(WRITERS))}")


# -- text of each format ---------------------------------------------------------------------------

def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def to_yaml(value: Any) -> str:
    import yaml

    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=1000)


def write_csv_rows(out: TextIO, records: Sequence[dict], columns: Sequence[Column], lang: str) -> None:
    from workplan.present.columns import cell_formatter

    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([(c.machine or c).header(lang) for c in columns])
    texts = [cell_formatter(c, lang, machine=True) for c in columns]
    for record in records:
        writer.writerow([text(record) for text in texts])


def to_csv(records: Sequence[dict], columns: Sequence[Column], lang: str) -> str:
    """The CSV text without the BOM."""
    buffer = io.StringIO()
    write_csv_rows(buffer, records, columns, lang)
    return buffer.getvalue()


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def md_escape(text: str) -> str:
    """Registry text as literal Markdown: special characters (HTML's < and > too) escaped, line
    breaks kept as <br>, control characters shown as escapes (present/text.py)."""
    from workplan.present.text import visible_lines

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _MD_SPECIAL.sub(r"\\\1", visible_lines(text)).replace("\n", "<br>")


def md_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(md_escape(h) for h in headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def to_markdown(records: Sequence[dict], columns: Sequence[Column], lang: str) -> str:
    from workplan.present.columns import cell_formatter

    texts = [cell_formatter(c, lang) for c in columns]
    return md_table([c.header(lang) for c in columns], ([text(r) for text in texts] for r in records)) + "\n"


# -- the terminal ----------------------------------------------------------------------------------

# A terminal gets rich tables of at most this many rows at a time, so that the first rows of a
# huge list appear at once instead of after the whole table has been measured.
STREAM_ROWS = 500


def data_console():
    """A console for data on stdout; rich honours NO_COLOR and drops styling when piped."""
    from rich.console import Console

    class DataConsole(Console):
        def on_broken_pipe(self) -> None:
            # rich exits 1 when the reader goes away; `workplan … | head` is not an error:
            # the error boundary (cli/app.py run) exits 0 on BrokenPipeError.
            self.quiet = True
            raise BrokenPipeError

    return DataConsole(highlight=False, soft_wrap=False)


def stdout_is_terminal() -> bool:
    """A terminal, or output the user asked to be treated as one (rich's FORCE_COLOR, TTY_COMPATIBLE)."""
    if os.environ.get("TTY_COMPATIBLE") in ("0", "1"):
        return os.environ["TTY_COMPATIBLE"] == "1"
    return sys.stdout.isatty() or bool(os.environ.get("FORCE_COLOR"))


def write_lines(out: TextIO, lines: Iterable[str], chunk: int = 1000) -> None:
    """Write lines a chunk at a time (one write per line is slow; one string is big)."""
    batch = []
    for line in lines:
        batch.append(line)
        if len(batch) >= chunk:
            out.write("\n".join(batch) + "\n")
            batch.clear()
    if batch:
        out.write("\n".join(batch) + "\n")


def pick_columns(spec: str | None, available: dict[str, Column], default: list[str]) -> list[Column]:
    """Columns from a comma-separated --columns value, in the order given; keys or either header."""
    from workplan.core.errors import UsageError

    by_name = {}
    for key, column in available.items():
        by_name.update({column.zh: key, column.en.lower(): key, key: key})
    keys = [k.strip() for k in spec.replace("，", ",").split(",") if k.strip()] if spec else default
    unknown = [k for k in keys if k not in by_name and k.lower() not in by_name]
    if unknown:
        raise UsageError("error.unknown_column", columns=unknown, choices=list(available))
    return [available[by_name.get(k) or by_name[k.lower()]] for k in keys]
