"""validate and schema: keeping the registry valid."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from workplan.cli.app import DataOpt, Lang, LangOpt, command, plan_files
from workplan.core.labels import t


class ValidateFormat(str, Enum):
    text = "text"
    json = "json"


@command("validate")
def validate(
    paths: Annotated[Optional[list[Path]], typer.Argument(show_default=False)] = None,
    data: DataOpt = None,
    fmt: Annotated[ValidateFormat, typer.Option("--format", "-f")] = ValidateFormat.text,
    lang: LangOpt = Lang.zh,
) -> None:
    """Check registry files; print every problem as PATH:LINE:COL: message (exit 1 if any) (help: help.validate)."""
    from workplan.core.plans import check_plans
    from workplan.store.load import RegistryError, load_registry, locate

    targets = list(paths) if paths else [plan.path for plan in plan_files(data)]
    results, loaded = [], []
    for path in targets:
        try:
            reg = load_registry(path)
        except RegistryError as exc:
            results.append({"path": str(path), "valid": False, "problems": [p.as_dict(lang.value) for p in exc.problems],
                            "_lines": [p.text(lang.value) for p in exc.problems]})
            continue
        counts = {
            "sections": len(reg.sections),
            "tasks": len(reg.tasks),
            "items": len(reg.items),
            "milestones": sum(len(i.milestones) for i in reg.items),
            "organisations": len(reg.organisations),
        }
        results.append({"path": str(path), "valid": True, "counts": counts, "problems": []})
        loaded.append((len(results) - 1, path, reg))

    # Several plans at once (--plan all, or several files): ids unique across them, origins found.
    across = check_plans([(str(path), reg) for _, path, reg in loaded]) if len(targets) > 1 else []
    for n, loc, message in across:
        index, path, _ = loaded[n]
        problems = locate(path, [(loc, message, None)])
        result = results[index]
        result["valid"] = False
        result["problems"] += [p.as_dict(lang.value) for p in problems]
        result["_lines"] = result.get("_lines", []) + [p.text(lang.value) for p in problems]

    failed = [r for r in results if not r["valid"]]
    if fmt == ValidateFormat.json:
        sys.stdout.write(json.dumps([{k: v for k, v in r.items() if not k.startswith("_")} for r in results],
                                    ensure_ascii=False, indent=2) + "\n")
    else:
        for result in results:
            if result["valid"]:
                c = result["counts"]
                print(t("note.valid", lang.value, path=result["path"], sections=c["sections"], tasks=c["tasks"],
                        items=c["items"], milestones=c["milestones"], organisations=c["organisations"]))
            else:
                for line in result["_lines"]:
                    print(line, file=sys.stderr)
        if failed:
            total = sum(len(r["problems"]) for r in failed)
            print(t("note.problems", lang.value, count=total, files=len(failed)), file=sys.stderr)
    raise typer.Exit(1 if failed else 0)


@command("schema")
def schema(
    json_file: Annotated[Optional[str], typer.Option("--json", metavar="FILE", show_default=False)] = None,
    output: Annotated[Optional[str], typer.Option("--output", "-o", hidden=True, show_default=False)] = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """Print the JSON Schema of the registry (help: help.schema)."""
    import datetime as dt

    from workplan.exports.registry import EXPORTERS, ExportJob, deliver

    output = json_file if json_file is not None else output  # -o/--output: the old spelling of --json; '' is refused
    deliver(EXPORTERS["schema"], ExportJob(None, [], dt.date.today()), "-" if output is None else str(output))
