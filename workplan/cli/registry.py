"""validate and schema: keeping the registry valid."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from workplan.cli.app import DataOpt, app, plan_files


class ValidateFormat(str, Enum):
    text = "text"
    json = "json"


@app.command()
def validate(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="Registry files (default: the registry in use).",
                                                          show_default=False)] = None,
    data: DataOpt = None,
    fmt: Annotated[ValidateFormat, typer.Option("--format", "-f", help="text, or json for tools.")] = ValidateFormat.text,
) -> None:
    """Check registry files; print every problem as PATH:LINE:COL: message (exit 1 if any).

    With --plan all: every plan of the project folder.

    Example: workplan validate data/items.yaml
    """
    from workplan.core.plans import check_plans
    from workplan.store.load import RegistryError, load_registry, locate

    targets = list(paths) if paths else [plan.path for plan in plan_files(data)]
    results, loaded = [], []
    for path in targets:
        try:
            reg = load_registry(path)
        except RegistryError as exc:
            results.append({"path": str(path), "valid": False, "problems": [p.as_dict() for p in exc.problems],
                            "_lines": [str(p) for p in exc.problems]})
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
        result["problems"] += [p.as_dict() for p in problems]
        result["_lines"] = result.get("_lines", []) + [str(p) for p in problems]

    failed = [r for r in results if not r["valid"]]
    if fmt == ValidateFormat.json:
        sys.stdout.write(json.dumps([{k: v for k, v in r.items() if not k.startswith("_")} for r in results],
                                    ensure_ascii=False, indent=2) + "\n")
    else:
        for result in results:
            if result["valid"]:
                c = result["counts"]
                print(f"{result['path']}: valid — {c['sections']} sections, {c['tasks']} tasks, "
                      f"{c['items']} items, {c['milestones']} milestones, {c['organisations']} organisations")
            else:
                for line in result["_lines"]:
                    print(line, file=sys.stderr)
        if failed:
            total = sum(len(r["problems"]) for r in failed)
            print(f"{total} problem{'s' if total != 1 else ''} in {len(failed)} file{'s' if len(failed) != 1 else ''}",
                  file=sys.stderr)
    raise typer.Exit(1 if failed else 0)


@app.command()
def schema(
    output: Annotated[Optional[str], typer.Option("--output", "-o", help="Write to this file instead of stdout.",
                                                  show_default=False)] = None,
) -> None:
    """Print the JSON Schema of the registry (editors show 合作事项, 牵头单位 … on hover).

    Example: workplan schema -o schema/items.schema.json
    """
    import datetime as dt

    from workplan.exports.registry import EXPORTERS, ExportJob, deliver

    deliver(EXPORTERS["schema"], ExportJob(None, [], dt.date.today()), "-" if output is None else str(output))
