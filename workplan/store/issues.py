"""Bulletin issue numbers (第N期), remembered per plan in the project folder.

The state file `.workplan/bulletin-issues.json` maps each plan (by 文号) to the number given to
each period. A period keeps its number when its bulletin is written again; a new period gets the
next number; `--issue N` sets one. The file is small JSON, written atomically.
"""

from __future__ import annotations

import json
from pathlib import Path

from workplan.store.atomic import write_file
from workplan.core.labels import Message
from workplan.store.config import ConfigError, project_folder

STATE_NAME = Path(".workplan") / "bulletin-issues.json"


def state_path(registry: Path) -> Path:
    return project_folder(registry) / STATE_NAME


def _read(path: Path) -> dict:
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise ConfigError(Message("store.issues_record", path=path)) from None
    if not isinstance(data, dict):
        raise ConfigError(Message("store.issues_record", path=path))
    return data


def issue_number(registry: Path, plan_key: str, period: str, explicit: int | None = None) -> int:
    """The number the period's bulletin carries: explicit, else the one it had, else the next."""
    if explicit is not None:
        return explicit
    periods = _read(state_path(registry)).get(plan_key, {})
    if period in periods:
        return int(periods[period])
    return max((int(n) for n in periods.values()), default=0) + 1


def remember_issue(registry: Path, plan_key: str, period: str, number: int) -> Path:
    """Record the number given to the period; returns the state file written."""
    path = state_path(registry)
    data = _read(path)
    data.setdefault(plan_key, {})[period] = number
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    write_file(path, text.encode("utf-8"))
    return path
