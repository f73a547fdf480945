"""Registry files: where the registry is, how large a file is read, and the collector pause
around bulk loads.

Kept apart from registry.py so that a warm run, which reads the cache, imports neither PyYAML nor
the validators.
"""

from __future__ import annotations

import gc
import os
import stat
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


class ShippedRegistryError(Exception):
    """A write was asked of the registry copy shipped inside the package."""


def find_registry(explicit: str | os.PathLike | None = None, *, to_write: bool = False) -> Path:
    """--data, else $WORKPLAN_DATA, else ./data/items.yaml, else the packaged copy.

    to_write=True refuses the packaged copy (ShippedRegistryError): it is the reference the
    package came with, and an upgrade would silently replace every change written into it."""
    if explicit:
        return Path(explicit)
    if os.environ.get(ENV_DATA):
        return Path(os.environ[ENV_DATA])
    local = Path("data") / "items.yaml"
    if local.is_file():
        return local
    shipped = packaged_registry()
    if to_write:
        raise ShippedRegistryError(
            f"no registry of your own here (no --data, no ${ENV_DATA}, no ./data/items.yaml): the copy shipped "
            f"with workplan ({shipped}) is read-only; run `workplan init` to copy it to ./data/items.yaml, "
            "then update that")
    return shipped


@contextmanager
def paused_gc():
    """Bulk loads create millions of objects and no cycles; the collector would rescan them all
    again and again (bench/LATEST.md: several times the load time of a large registry)."""
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


class SourceError(Exception):
    """An input file cannot be read as asked; the message says why (without the file name)."""

    def __init__(self, message: str, *, over_limit: bool = False):
        super().__init__(message)
        self.over_limit = over_limit


def is_regular_file(path: str | os.PathLike) -> bool:
    """A regular file (symlinks followed): something that can be read twice and hashed."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def read_source(path: str | os.PathLike, limit: int) -> bytes:
    """The bytes of an input: a regular file, or a pipe or FIFO read once to its end.

    Never blocks on a FIFO that nobody writes to (it is opened without waiting for a writer, and
    then reads as empty); refuses folders and devices (/dev/zero would never end); reads at most
    `limit` bytes, so a stream that goes on and on is refused rather than held in memory."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise SourceError("no such file") from None
    except IsADirectoryError:
        raise SourceError("is a directory, not a file") from None
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise SourceError("is a directory, not a file")
        if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
            raise SourceError("is a device, not a file")
        if stat.S_ISREG(mode) and os.fstat(fd).st_size > limit:
            raise SourceError(f"file is {os.fstat(fd).st_size:,} bytes, over the {limit:,}-byte limit", over_limit=True)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)  # a writer that is slow to write is waited for
        chunks, size = [], 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                raise SourceError(f"input is over the {limit:,}-byte limit", over_limit=True)
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
