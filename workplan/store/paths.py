"""Registry files: where the registry is, how large a file is read, and the collector pause
around bulk loads.

Kept apart from registry.py so that a warm run, which reads the cache, imports neither PyYAML nor
the validators.
"""

from __future__ import annotations

import gc
import os
from contextlib import contextmanager
from pathlib import Path

ENV_DATA = "WORKPLAN_DATA"
ENV_MAX_BYTES = "WORKPLAN_MAX_BYTES"
DEFAULT_MAX_BYTES = 512 * 1024 * 1024


def packaged_registry() -> Path:
    """The registry shipped with the package (a copy of data/items.yaml)."""
    here = Path(__file__).resolve().parent.parent
    shipped = here / "_data" / "items.yaml"
    if shipped.is_file():
        return shipped
    return here.parent / "data" / "items.yaml"  # running from a source checkout


def find_registry(explicit: str | os.PathLike | None = None) -> Path:
    """--data, else $WORKPLAN_DATA, else ./data/items.yaml, else the packaged copy."""
    if explicit:
        return Path(explicit)
    if os.environ.get(ENV_DATA):
        return Path(os.environ[ENV_DATA])
    local = Path("data") / "items.yaml"
    if local.is_file():
        return local
    return packaged_registry()


@contextmanager
def paused_gc():
    """Bulk loads create millions of objects and no cycles; the collector would rescan them all
    again and again (about 3x the load time at 100,000 items)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def max_bytes() -> int:
    """The largest registry file read (a guard against reading a wrong, huge file whole)."""
    try:
        return int(os.environ.get(ENV_MAX_BYTES, DEFAULT_MAX_BYTES))
    except ValueError:
        return DEFAULT_MAX_BYTES
