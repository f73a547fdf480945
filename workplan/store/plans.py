"""Several plans in one project folder: finding them and picking one by name.

A project folder (made by `workplan init`) holds the shipped 2024 registry as `data/items.yaml`
and further plans beside it, `data/plans/NAME.yaml` (`2025.yaml`, a province's `2025-浙江.yaml`).
A plan is named by its file stem; `data/items.yaml` is named by its plan year (`2024`), so
`--plan 2024` and `--plan 2025` read alike. `--plan` also takes a registry file, or `all`.

Naming a plan never parses the registry: the year of `data/items.yaml` is read from the `plan:`
block at the top of the file, so a warm query still reads only its cache entry.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from workplan.core.labels import Message, Refusal
from workplan.store.paths import ENV_DATA, find_registry

ALL = "all"
PLANS_FOLDER = "plans"
_YEAR = re.compile(rb"^plan:[^\n]*\n(?:[ \t]+[^\n]*\n|[ \t]*#[^\n]*\n|[ \t]*\n)*?[ \t]+year:[ \t]*['\"]?(\d{4})\b",
                   re.MULTILINE)
_HEAD_BYTES = 1 << 16


class UnknownPlan(Refusal):
    """`--plan NAME` names no plan of the project folder (the message, a catalogue key, lists the known ones)."""


@dataclass(frozen=True)
class PlanFile:
    name: str
    path: Path


def data_folder() -> Path | None:
    """The folder whose items.yaml and plans/ are the project's plans: beside $WORKPLAN_DATA,
    else ./data; None outside a project folder."""
    if os.environ.get(ENV_DATA):
        return Path(os.environ[ENV_DATA]).parent
    local = Path("data")
    return local if local.is_dir() else None


def plan_year(path: Path) -> int | None:
    """The plan year written at the top of a registry file, without parsing it (None if not found)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError:
        return None
    found = _YEAR.search(head)
    return int(found.group(1)) if found else None


def discover(folder: Path | None = None) -> list[PlanFile]:
    """Every plan of the project folder: data/items.yaml first, then data/plans/*.yaml by name.

    Outside a project folder: the registry in use (the shipped copy) alone."""
    folder = data_folder() if folder is None else folder
    if folder is None:
        path = find_registry(None)
        return [PlanFile(_main_name(path, set()), path)]
    extra = []
    plans_dir = folder / PLANS_FOLDER
    if plans_dir.is_dir():
        extra = sorted((p for p in plans_dir.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()),
                       key=lambda p: p.stem)
    found = []
    main = Path(os.environ[ENV_DATA]) if os.environ.get(ENV_DATA) else folder / "items.yaml"
    if main.is_file():
        found.append(PlanFile(_main_name(main, {p.stem for p in extra}), main))
    found += [PlanFile(p.stem, p) for p in extra]
    return found


def _main_name(path: Path, taken: set[str]) -> str:
    year = plan_year(path)
    name = str(year) if year is not None else path.stem
    return name if name not in taken else path.stem


def resolve(value: str | os.PathLike | None) -> list[PlanFile]:
    """The plan(s) `--plan VALUE` means: none given → the registry in use; `all` → every plan;
    a file → that file; a name → that plan. UnknownPlan if the name is not a plan."""
    if value is None or value == "":
        path = find_registry(None)
        return [PlanFile(_main_name(path, set()), path)]
    text = os.fspath(value)
    if text == ALL:
        return discover()
    as_path = Path(text)
    if as_path.suffix in (".yaml", ".yml") or os.sep in text or "/" in text or as_path.is_file():
        return [PlanFile(as_path.stem, as_path)]
    folder = data_folder()
    if folder is not None:
        direct = folder / PLANS_FOLDER / f"{text}.yaml"
        if direct.is_file():
            return [PlanFile(text, direct)]
    plans = discover(folder)
    for plan in plans:
        if plan.name == text:
            return [plan]
    names = [p.name for p in plans]
    close = difflib.get_close_matches(text, names, n=3, cutoff=0.4)
    hint = Message("plans.did_you_mean", names=close) if close else ""
    raise UnknownPlan("plans.unknown", name=text, hint=hint, known=names or Message("plans.none_here"))


def resolve_one(value: str | os.PathLike | None, *, what: str = "this command") -> PlanFile:
    """The one plan a command that writes reads: `all` is refused."""
    plans = resolve(value)
    if value is not None and os.fspath(value) == ALL:
        raise UnknownPlan("plans.one_only", what=what)
    return plans[0]
