"""export and import: the Excel round trip, and CSV, JSON and SQLite copies of the plan."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from workplan.cli.app import (
    AsOfOpt,
    DataOpt,
    FilterArgs,
    Lang,
    LangOpt,
    NoCacheOpt,
    UsageError,
    app,
    as_of_date,
    check_output,
    load_selection,
    note,
    with_filters,
    write_output,
)


class SplitBy(str, Enum):
    lead = "lead"


def _file_opt(flag: str, what: str):
    return typer.Option(flag, metavar="FILE", help=what, show_default=False)


@app.command("export")
@with_filters
def export(
    xlsx: Annotated[Optional[str], _file_opt("--xlsx", "Excel workbook to print and fill in ('-' = stdout).")] = None,
    csv: Annotated[Optional[str], _file_opt("--csv", "CSV, UTF-8 with BOM ('-' = stdout).")] = None,
    json: Annotated[Optional[str], _file_opt("--json", "JSON document ('-' = stdout).")] = None,
    sqlite: Annotated[Optional[str], _file_opt("--sqlite", "SQLite database (a file, not stdout).")] = None,
    split_by: Annotated[Optional[SplitBy], typer.Option("--split-by", help="xlsx: one sheet per lead unit.",
                                                        show_default=False)] = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = Lang.zh,
    data: DataOpt = None,
    no_cache: NoCacheOpt = False,
    *,
    filters: FilterArgs,
) -> None:
    """Export the items (filtered like `list`) to Excel, CSV, JSON or SQLite.

    The workbook's sheet 清单 prints on A4 and is filled in (状态, 进展情况, 更新日期); 汇总 counts by unit and month.

    `workplan import` reads the filled-in workbook back.

    Example: workplan export --xlsx 浙江.xlsx --lead 浙江省局
    """
    from workplan.exports import tables
    from workplan.store.paths import is_regular_file
    from workplan.store.writer import file_sha256

    targets = {"xlsx": xlsx, "csv": csv, "json": json, "sqlite": sqlite}
    chosen = {k: v for k, v in targets.items() if v is not None}
    if not chosen:
        raise UsageError("say where to export: --xlsx FILE, --csv FILE, --json FILE or --sqlite FILE")
    if sqlite == "-":
        raise UsageError("--sqlite needs a file name: a database cannot be written to stdout")
    if list(chosen.values()).count("-") > 1:
        raise UsageError("only one export can go to stdout ('-')")
    if xlsx == "-" and sys.stdout.isatty():
        raise UsageError("--xlsx -: refusing to write a binary workbook to the terminal; redirect it to a file")
    if xlsx is not None and data == "all":
        from workplan.core.labels import t

        raise UsageError(t("plans.xlsx_all", "zh"))
    if split_by is not None and xlsx is None:
        raise UsageError("--split-by applies to --xlsx")
    check_output(*chosen.values())

    path, reg, today, resolved, items = load_selection(data, filters, as_of=as_of, no_cache=no_cache)
    lang_code = lang.value

    if xlsx is not None:
        from workplan.exports.xlsx import build_workbook

        # `--lead 浙江省局 --split-by lead` gives 浙江省局's sheet, not also one per partner of its joint items
        units = [m for name in resolved.leads for m in (reg.org(name).members or [name])]

        def write_workbook(stream) -> None:  # streamed: a large workbook is never held whole in memory
            build_workbook(reg, items, as_of=today, lang=lang_code, split_by_lead=split_by == SplitBy.lead,
                           units=units, filters_text=filters.describe(), registry_sha256=file_sha256(path) if is_regular_file(path) else "",
                           target=stream)
        write_output(xlsx, write_workbook)
    if csv is not None:
        rows = [tables.item_row(reg, item, lang_code) for item in items]
        write_output(csv, "\ufeff" + tables.to_csv(rows, lang_code))
    if json is not None:
        write_output(json, tables.to_json(reg, items, today))
    if sqlite is not None:
        tables.write_sqlite(Path(sqlite), reg, items, today)
    written = ", ".join(v for v in chosen.values() if v != "-")
    if written:
        note(f"exported {len(items)} items to {written}")
    if not items:
        note("no matching items (the files have headers only)")


@app.command("import")
def import_workbook(
    file: Annotated[Path, typer.Argument(help="A workbook made by `workplan export --xlsx` (or its --csv).",
                                         show_default=False)],
    apply: Annotated[bool, typer.Option("--apply", help="Write the changes (default: only show them).")] = False,
    by: Annotated[Optional[str], typer.Option("--by", metavar="ORG", show_default=False,
                                              help="Unit reporting the progress (default: the sheet's unit, "
                                                   "else the item's first lead unit).")] = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = Lang.zh,
    data: DataOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Read 状态, 进展情况 and 更新日期 back from an exported workbook; show or --apply the changes.

    Every row is checked first: any problem is listed as FILE:sheet!CELL: message and nothing is written (exit 1).

    Without --apply the changes are only shown (old → new).

    Example: workplan import 浙江.xlsx --apply
    """
    from workplan.importing import workbook as importer
    from workplan.core import query
    from workplan.cli.app import registry_path
    from workplan.store.repository import Repository
    from workplan.store.writer import RegistryWriteError

    repository = Repository(registry_path(data, what="import", to_write=apply), use_cache=not no_cache)
    path = repository.path
    reg, digest = repository.open_for_change()
    today = as_of_date(as_of, reg.plan.year)
    reporter = None
    if by is not None:
        try:
            reporter = query.resolve_org(reg, by)
        except query.UnknownName as exc:
            raise UsageError(f"--by: {exc}") from None

    result = importer.read_changes(file, reg, today=today, by=reporter)
    if result.problems:
        for problem in result.problems:
            print(problem, file=sys.stderr)
        count = len(result.problems)
        print(f"{count} problem{'s' if count != 1 else ''} in {file}; nothing was written", file=sys.stderr)
        raise typer.Exit(1)
    for line in result.notes:
        note(line)
    sys.stdout.write(importer.describe(result.changes, lang.value))
    if not result.changes:
        note("no changes")
        return
    if not apply:
        note(f"{len(result.changes)} item(s) would change; run again with --apply to write them")
        return
    try:
        repository.save([change.plan for change in result.changes], expected_sha256=digest, today=today)
    except RegistryWriteError as exc:
        print(f"workplan: error: {exc}", file=sys.stderr)
        raise typer.Exit(1)
    note(f"updated {len(result.changes)} item(s) in {path}")
