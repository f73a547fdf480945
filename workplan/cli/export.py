"""export and import: the Excel round trip, and CSV, JSON and SQLite copies of the plan."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from workplan.cli.app import (
    WARN_DAYS_DEFAULT,
    AsOfOpt,
    DataOpt,
    FilterArgs,
    Lang,
    LangOpt,
    NoCacheOpt,
    UsageError,
    WarnDaysOpt,
    command,
    as_of_date,
    load_selection,
    error_line,
    note,
    note_text,
    with_filters,
    with_options,
)
from workplan.cli.documents import filters_in_words, pdf_target, project_config, write_pdf
from workplan.exports.registry import EXPORTERS
from workplan.core.labels import t


class SplitBy(str, Enum):
    lead = "lead"


# One --NAME FILE option for each exporter `workplan export` offers.
EXPORT_OPTIONS = [(name, Optional[str], typer.Option(f"--{name}", metavar="FILE", show_default=False), None)
                  for name, exporter in EXPORTERS.items() if exporter.in_export]


@command("export")
@with_options(EXPORT_OPTIONS, "targets", lambda values: {k: v for k, v in values.items() if v is not None})
@with_filters
def export(
    split_by: Annotated[Optional[SplitBy], typer.Option("--split-by", show_default=False)] = None,
    with_progress: Annotated[bool, typer.Option("--with-progress")] = False,
    pdf: Annotated[bool, typer.Option("--pdf")] = False,
    as_of: AsOfOpt = None,
    warn_days: WarnDaysOpt = WARN_DAYS_DEFAULT,
    lang: LangOpt = Lang.zh,
    data: DataOpt = None,
    no_cache: NoCacheOpt = False,
    *,
    targets: dict,
    filters: FilterArgs,
) -> None:
    """Export the items, filtered like `list` (help: help.export)."""
    from workplan.exports.registry import ExportJob, check_target, deliver

    if not targets:
        raise UsageError("error.export_where", options=[f"--{name} FILE" for name, *_ in EXPORT_OPTIONS])
    if list(targets.values()).count("-") > 1:
        raise UsageError("error.one_stdout")
    if "xlsx" in targets and data == "all":
        raise UsageError("plans.xlsx_all")
    if split_by is not None and "xlsx" not in targets:
        raise UsageError("error.split_by_xlsx")
    if with_progress and "docx" not in targets:
        raise UsageError("error.with_progress_docx")
    printable = [name for name in targets if EXPORTERS[name].pdf]
    if pdf and not printable:
        raise UsageError("error.pdf_printable")
    if pdf and "-" in (targets[name] for name in printable):
        raise UsageError("error.pdf_stdout")
    for name, target in targets.items():
        check_target(EXPORTERS[name], target)
    pdfs = {name: pdf_target(targets[name]) for name in printable if pdf}
    if len(set(pdfs.values())) < len(pdfs):
        raise UsageError("error.pdf_same_target", files=[targets[n] for n in pdfs], pdf=next(iter(pdfs.values())))

    path, reg, today, resolved, items = load_selection(data, filters, as_of=as_of, no_cache=no_cache)
    config = project_config(path)
    unit = "、".join(resolved.leads)
    # `--lead 浙江省局 --split-by lead` gives 浙江省局's sheet, not also one per partner of its joint items
    units = [m for name in resolved.leads for m in (reg.org(name).members or [name])]
    # The unit is in the title; the other filters are said in words, never as options.
    words = filters_in_words(filters, lang.value, skip=("lead", "direct") if unit else ())
    job = ExportJob(reg, items, today, lang.value, registry_path=path, filters_text=words,
                    options={"split_by_lead": split_by == SplitBy.lead, "units": units, "unit": unit,
                             "fonts": config.fonts, "warn_days": warn_days, "with_progress": with_progress})
    for name, target in targets.items():
        deliver(EXPORTERS[name], job, target)
    for name, target in pdfs.items():
        write_pdf(EXPORTERS[name], job, target)
    written = [v for v in targets.values() if v != "-"] + [str(p) for p in pdfs.values()]
    if written:
        note("note.exported", lang.value, count=len(items), paths=written)
    if not items:
        note("note.export_empty", lang.value)


@command("import")
def import_workbook(
    file: Annotated[Path, typer.Argument(show_default=False)],
    apply: Annotated[bool, typer.Option("--apply")] = False,
    by: Annotated[Optional[str], typer.Option("--by", metavar="ORG", show_default=False)] = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = Lang.zh,
    data: DataOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Read 状态, 进展情况 and 更新日期 back from an exported workbook; show or --apply the changes (help: help.import)."""
    from workplan.importing import workbook as importer
    from workplan.core import query
    from workplan.cli.app import held, registry_path
    from workplan.store.repository import Repository
    from workplan.store.writer import RegistryWriteError

    repository = Repository(registry_path(data, what="import", to_write=apply), use_cache=not no_cache)
    path = repository.path
    reg, digest = repository.open_for_change(hold=held() if apply else None)
    today = as_of_date(as_of, reg.plan.year)
    reporter = None
    if by is not None:
        try:
            reporter = query.resolve_org(reg, by)
        except query.UnknownName as exc:
            raise UsageError("error.option", option="--by", reason=exc) from None

    result = importer.read_changes(file, reg, today=today, by=reporter)
    if result.problems:
        for problem in result.problems:
            print(problem.text(lang.value), file=sys.stderr)
        print(t("note.import_problems", lang.value, count=len(result.problems), path=file), file=sys.stderr)
        raise typer.Exit(1)
    for line in result.notes:
        note_text(line.text(lang.value))
    sys.stdout.write(importer.describe(result.changes, lang.value))
    if not result.changes:
        note("note.no_changes", lang.value)
        return
    if not apply:
        note("note.would_change", lang.value, count=len(result.changes))
        return
    try:
        repository.save(importer.edits(result.changes), expected_sha256=digest, today=today)
    except RegistryWriteError as exc:
        error_line(exc, lang.value)
        raise typer.Exit(1)
    note("note.imported", lang.value, count=len(result.changes), path=path)
