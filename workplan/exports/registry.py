"""Every kind of file workplan writes, registered once.

An Exporter names the file kind, says whether it is binary and may go to stdout, and writes an
ExportJob to a stream (or, for SQLite, to a path). `deliver` is the one place a file is written:
'-' means stdout, anything else is written atomically; a target that cannot be written is a
one-line error. `workplan export` offers an option for each exporter marked `in_export`; the
dashboard, calendar and report commands deliver theirs the same way.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Callable

from workplan.core.errors import UsageError


@dataclass
class ExportJob:
    """What an exporter writes: the registry, the chosen items, the day and language of the
    document, and what some kinds need besides (`options`)."""

    registry: Any
    items: list
    as_of: dt.date
    lang: str = "zh"
    registry_path: Path | None = None
    filters_text: str = ""
    options: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Exporter:
    name: str
    write: Callable[[ExportJob, BinaryIO], None] | None = None  # streams the file
    write_path: Callable[[ExportJob, Path], None] | None = None  # builds the file at a path itself
    binary: bool = False
    in_export: bool = True  # an option of `workplan export`
    to_stdout: bool = True  # a Word document goes to a file: it is mailed and printed as it is
    pdf: bool = False  # LibreOffice can make a PDF of it (`--pdf`)

    @property
    def stdout(self) -> bool:
        return self.write is not None and self.to_stdout


def _xlsx(job: ExportJob, stream: BinaryIO) -> None:
    from workplan.exports.xlsx import build_workbook
    from workplan.store.cache import file_sha256
    from workplan.store.paths import is_regular_file

    # A registry read from a pipe has no file to identify the workbook by.
    digest = file_sha256(job.registry_path) if is_regular_file(job.registry_path) else ""
    build_workbook(job.registry, job.items, as_of=job.as_of, lang=job.lang,
                   split_by_lead=job.options.get("split_by_lead", False), units=job.options.get("units", []),
                   filters_text=job.filters_text, registry_sha256=digest, target=stream,
                   fonts=job.options.get("fonts"), unit=job.options.get("unit", ""),
                   warn_days=job.options.get("warn_days", 15))


def _docx(job: ExportJob, stream: BinaryIO) -> None:
    from workplan.exports.docx import list_document
    from workplan.store.config import Fonts

    list_document(job.registry, job.items, stream, fonts=job.options.get("fonts") or Fonts(), lang=job.lang,
                  unit=job.options.get("unit", ""), progress=job.options.get("with_progress", False))


def _csv(job: ExportJob, stream: BinaryIO) -> None:
    from workplan.exports import tables

    rows = [tables.item_row(job.registry, item, job.lang) for item in job.items]
    stream.write(("\ufeff" + tables.to_csv(rows, job.lang)).encode("utf-8"))


def _json(job: ExportJob, stream: BinaryIO) -> None:
    from workplan.exports import tables

    stream.write(tables.to_json(job.registry, job.items, job.as_of).encode("utf-8"))


def _sqlite(job: ExportJob, path: Path) -> None:
    from workplan.exports import tables

    tables.write_sqlite(path, job.registry, job.items, job.as_of)


def _ics(job: ExportJob, stream: BinaryIO) -> None:
    from workplan.exports.ics import calendar

    stream.write(calendar(job.registry, job.items, remind_days=job.options.get("remind_days", 15),
                          lang=job.lang).encode("utf-8"))


def _dashboard(job: ExportJob, stream: BinaryIO) -> None:
    from workplan.exports.dashboard import render_dashboard

    stream.write(render_dashboard(job.registry, job.items, as_of=job.as_of, lang=job.lang,
                                  group_by=job.options.get("group_by", "section"),
                                  warn_days=job.options["warn_days"], scope=job.options.get("scope", ""),
                                  unit=job.options.get("unit")).encode("utf-8"))


def _bulletin(render: str) -> Callable[[ExportJob, BinaryIO], None]:
    def write(job: ExportJob, stream: BinaryIO) -> None:
        from workplan.exports import bulletin

        stream.write(getattr(bulletin, render)(job.options["bulletin"], job.lang, job.options.get("head")).encode("utf-8"))

    return write


def _bulletin_docx(job: ExportJob, stream: BinaryIO) -> None:
    import dataclasses

    from workplan.exports.docx import bulletin_document

    head = job.options["head"]
    if job.options.get("fonts") is not None:
        head = dataclasses.replace(head, fonts=job.options["fonts"])
    bulletin_document(job.options["bulletin"], head, stream, lang=job.lang,
                      unit_order=[o.name for o in job.registry.organisations])


def _schema(job: ExportJob, stream: BinaryIO) -> None:
    import json

    from workplan.core.models import registry_json_schema

    stream.write((json.dumps(registry_json_schema(), ensure_ascii=False, indent=2) + "\n").encode("utf-8"))


# What each writes is said to the user by the catalogue (opt.export.NAME, the commands' help).
EXPORTERS: dict[str, Exporter] = {e.name: e for e in [
    Exporter("xlsx", _xlsx, binary=True, pdf=True),
    Exporter("csv", _csv),
    Exporter("json", _json),
    Exporter("sqlite", write_path=_sqlite, binary=True),
    Exporter("docx", _docx, binary=True, to_stdout=False, pdf=True),
    Exporter("ics", _ics, in_export=False),
    Exporter("html", _dashboard, in_export=False),
    Exporter("bulletin-md", _bulletin("bulletin_markdown"), in_export=False),
    Exporter("bulletin-html", _bulletin("bulletin_html"), in_export=False),
    Exporter("bulletin-docx", _bulletin_docx, binary=True, in_export=False, to_stdout=False, pdf=True),
    Exporter("schema", _schema, in_export=False),
]}


def check_target(exporter: Exporter, target: str) -> None:
    """Refuse, before any work, a target the exporter cannot be written to (UsageError, or the
    atomic writer's TargetRefused for a path that is not a regular file or a new one)."""
    from workplan.store import atomic

    if target == "-":
        if not exporter.stdout:
            raise UsageError("store.export_needs_file", option=f"--{exporter.name}")
        if exporter.binary and sys.stdout.isatty():
            raise UsageError("store.binary_to_terminal", option=f"--{exporter.name}")
        return
    atomic.check_target(target)


def deliver(exporter: Exporter, job: ExportJob, target: str) -> None:
    """Write the job's file to `target`: stdout for '-', else through the one atomic writer
    (WriteError, reported by the error boundary, if nothing could be written)."""
    from workplan.store import atomic

    check_target(exporter, target)
    if target == "-":
        sys.stdout.flush()
        exporter.write(job, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    elif exporter.write is not None:
        atomic.write_file(target, lambda stream: exporter.write(job, stream))
    else:
        exporter.write_path(job, Path(target))


def deliver_pdf(exporter: Exporter, job: ExportJob, target: Path) -> None:
    """Make a PDF of what the exporter writes, through LibreOffice (exports.pdf), at `target`.

    The copy converted names, for each font list, the first face installed here, so the PDF shows
    the intended faces with Chinese glyph forms; the document itself keeps the office's names."""
    import dataclasses

    from workplan.exports.pdf import convert_built, installed_choice
    from workplan.store.config import Fonts

    fonts = installed_choice(job.options.get("fonts") or Fonts())
    local = dataclasses.replace(job, options={**job.options, "fonts": fonts})
    convert_built(lambda stream: exporter.write(local, stream), "." + exporter.name.rsplit("-", 1)[-1], target)
