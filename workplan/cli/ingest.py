"""ingest: read an issued plan document and write a registry draft with its review."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from workplan.cli.app import DataOpt, Lang, LangOpt, UsageError, app, note


class ReviewFormat(str, Enum):
    text = "text"
    json = "json"


@app.command()
def ingest(
    document: Annotated[Path, typer.Argument(show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", show_default=False)],
    year: Annotated[Optional[int], typer.Option("--year", min=2000, max=2100, show_default=False)] = None,
    doc_number: Annotated[Optional[str], typer.Option("--doc-number", show_default=False)] = None,
    issued: Annotated[Optional[str], typer.Option("--issued", show_default=False)] = None,
    issuer: Annotated[Optional[str], typer.Option("--issuer", show_default=False)] = None,
    data: DataOpt = None,
    no_known_units: Annotated[bool, typer.Option("--no-known-units")] = False,
    force: Annotated[bool, typer.Option("--force")] = False,
    fmt: Annotated[ReviewFormat, typer.Option("--format", "-f")] = ReviewFormat.text,
    lang: LangOpt = Lang.zh,
) -> None:
    """Turn an issued plan (工作要点 and its 合作事项清单) into a registry draft that validates.

    Prints a review (rows read, milestones, units added, task links and their confidence, what was
    normalised and what is left to decide) and writes the same as comments in the draft.

    Example: workplan ingest 2025年工作要点.docx -o data/plans/2025.yaml
    """
    from workplan.core.dates import DateFormError, parse_date
    from workplan.importing.document import ReadError
    from workplan.importing.draft import Overrides
    from workplan.importing.draft_yaml import review_lines
    from workplan.importing.ingest import ingest as run_ingest
    from workplan.store.atomic import WriteError, write_file

    if output.exists() and not force:
        raise UsageError("ingest.exists", path=output)
    try:
        issued_on = parse_date(issued, plan_year=year or 2000) if issued else None
    except DateFormError as exc:
        raise UsageError("error.option", option="--issued", reason=exc) from None
    known = None
    if not no_known_units:
        from workplan.cli.app import load

        _, registry = load(data)
        known = [org.model_dump(mode="json", exclude_defaults=True) for org in registry.organisations]
    try:
        draft, text = run_ingest(document, output, known_units=known,
                                 overrides=Overrides(year, doc_number, issued_on, issuer))
        output.parent.mkdir(parents=True, exist_ok=True)  # data/plans/ on a first new plan
        write_file(output, text.encode("utf-8"))  # in one step: a temporary file, then a rename
    except (ReadError, WriteError) as exc:
        from workplan.cli.app import current_lang, error_line

        error_line(exc, current_lang())
        raise typer.Exit(1) from None
    if fmt == ReviewFormat.json:
        sys.stdout.write(json.dumps(draft.review.as_data(lang.value), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write("\n".join(review_lines(draft.review, lang.value)) + "\n")
    note("review.wrote", lang.value, path=output, items=draft.review.items, milestones=draft.review.milestones,
         undecided=len(draft.review.undecided))
