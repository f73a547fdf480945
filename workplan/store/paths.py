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

from workplan.core.labels import Message

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
    """A write was asked of the registry copy shipped inside the package; args[0] is the Message."""


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
        raise ShippedRegistryError(Message("store.shipped_copy", env=ENV_DATA, path=shipped))
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
    """An input file cannot be read as asked; `message` (a Message) says why, without the file name."""

    def __init__(self, message: Message, *, over_limit: bool = False):
        super().__init__(message)
        self.message = message
        self.over_limit = over_limit

    def __str__(self) -> str:
        return str(self.message)


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
        raise SourceError(Message("store.no_such_file")) from None
    except IsADirectoryError:
        raise SourceError(Message("store.is_folder")) from None
    except OSError as exc:
        raise SourceError(Message("store.cannot_read", reason=os_reason(exc))) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise SourceError(Message("store.is_folder"))
        if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
            raise SourceError(Message("store.is_device"))
        if stat.S_ISREG(mode) and os.fstat(fd).st_size > limit:
            raise SourceError(Message("store.over_limit", size=f"{os.fstat(fd).st_size:,}", limit=f"{limit:,}"),
                              over_limit=True)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)  # a writer that is slow to write is waited for
        chunks, size = [], 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                raise SourceError(Message("store.stream_over_limit", limit=f"{limit:,}"), over_limit=True)
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise SourceError(Message("store.cannot_read", reason=os_reason(exc))) from None
    finally:
        os.close(fd)


# The operating system's reasons (strerror) by errno: the system's own words are English on most
# Linux desktops and vary on Windows.
_REASONS = {"ENOSPC": "store.reason.disk_full", "EDQUOT": "store.reason.disk_full", "EACCES": "store.reason.permission",
            "EPERM": "store.reason.permission", "EROFS": "store.reason.read_only_disk", "ENOENT": "store.reason.no_such_file",
            "EISDIR": "store.reason.is_folder", "ENOTDIR": "store.reason.not_folder", "EIO": "store.reason.io",
            "ENAMETOOLONG": "store.reason.name_too_long", "EBUSY": "store.reason.busy", "ENXIO": "store.reason.no_device",
            "ELOOP": "store.reason.loop", "EEXIST": "store.reason.exists", "EFBIG": "store.reason.too_big"}


def os_reason(exc: OSError) -> Message:
    """Why the operating system refused, in the catalogue's words (its own words for a rare errno)."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    if name in _REASONS:
        return Message(_REASONS[name])
    if getattr(exc, "winerror", None) in (32, 33):  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
        return Message("store.reason.in_use")
    return Message("store.reason.other", detail=Quoted(exc.strerror or str(exc) or type(exc).__name__))


class Quoted(Message):
    """A program's own words about a bad file (the YAML parser's, a zip library's), shown in the
    English messages only: among Chinese words they would be an English sentence, and the plain
    words beside them already say what is wrong and where."""

    __slots__ = ("said",)

    def __init__(self, said: str):
        super().__init__("store.quoted")
        self.said = said.replace("\n", " ")

    def text(self, lang: str = "zh") -> str:
        return self.said if lang == "en" else ""
