"""The person's default unit: $WORKPLAN_UNIT, else `unit` in the project's `workplan.toml`.

    # workplan.toml, in the project folder (or any folder above the one you work in)
    unit = "浙江省局"

so that 浙江省局 staff need not type `--by 浙江省局` on every command; `--by`, `--unit` and
`--lead` given on the command line always win.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_UNIT = "WORKPLAN_UNIT"
CONFIG_NAME = "workplan.toml"


class ConfigError(Exception):
    """The config file cannot be read; the message names it and says why."""


def config_file(start: Path | None = None) -> Path | None:
    """The nearest workplan.toml in `start` (default: the current folder) or a folder above it."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        path = candidate / CONFIG_NAME
        if path.is_file():
            return path
    return None


def default_unit(start: Path | None = None) -> str | None:
    """$WORKPLAN_UNIT, else the config file's `unit`, else None."""
    if os.environ.get(ENV_UNIT, "").strip():
        return os.environ[ENV_UNIT].strip()
    path = config_file(start)
    if path is None:
        return None
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    unit = data.get("unit")
    if unit is not None and (not isinstance(unit, str) or not unit.strip()):
        raise ConfigError(f"{path}: unit must be a unit's name, such as unit = \"浙江省局\"")
    return unit.strip() if unit else None
