"""The one way workplan writes a file: the registry, every export, the cache entries.

    from workplan.store.atomic import write_file, replacing

    write_file(path, data)                       # bytes
    write_file(path, lambda stream: ...)         # a function filling a binary stream
    with replacing(path) as temp:                # a library that wants a file name (sqlite3)
        build(temp)

The new content goes to a temporary file in the target's own folder, is flushed to the disk
(fsync) and then renamed over the target in one step (os.replace), so a reader sees the old file
or the new one, never half of one. If anything fails — a full disk, an error while the content is
made, an interrupt — the temporary file is removed and the target is untouched.

- A symlink is written through: its target gets the new content and the link stays a link.
- Only a regular file, or a new name in an existing folder, is written. A device node, a FIFO, a
  folder or a socket is refused (TargetRefused) rather than replaced by a plain file: renaming a
  temporary file over /dev/full would replace the device itself.
- The target keeps its permission bits; a new file gets the usual ones (0666 less the umask).
- A file without write permission is refused as read-only, also when running as root, who could
  otherwise replace it anyway.
- A temporary file is named `.NAME.PID.RANDOM.tmp`; one left by a process that was killed
  (SIGKILL leaves no chance to clean up) is removed by the next write of the same name.
"""

from __future__ import annotations

import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterator, Union

from workplan.core.labels import Message, shown
from workplan.store.paths import os_reason

Payload = Union[bytes, Callable[[BinaryIO], Any]]


class WriteError(Exception):
    """A file was not written (nothing changed); args[0], a Message, says why in one line."""

    exit_code = 1

    def text(self, lang: str = "zh") -> str:
        return str(shown(self.args[0], lang)) if self.args else ""

    def __str__(self) -> str:
        return self.text()


class TargetRefused(WriteError):
    """The target cannot be written as asked (not a regular file, no such folder, read-only)."""

    exit_code = 2


class TargetExists(WriteError):
    """create_file: the file exists already, and is left as it is."""


def _reason(exc: OSError) -> Message:
    return os_reason(exc)


def check_target(path: str | os.PathLike) -> Path:
    """The file that writing `path` would replace or create (symlinks followed); TargetRefused
    if that is not a regular file or a new name in an existing folder, or is read-only."""
    if str(path) == "" or os.fspath(path) == "":
        raise TargetRefused(Message("store.empty_name"))
    shown = os.fspath(path)
    target = Path(os.path.realpath(path))
    try:
        st = target.lstat()
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise TargetRefused(Message("store.cannot_write", path=shown, reason=_reason(exc))) from None
    if st is None:
        folder = target.parent
        if not folder.is_dir():
            raise TargetRefused(Message("store.no_folder", path=shown, folder=Path(shown).parent))
        return target
    if stat.S_ISDIR(st.st_mode):
        raise TargetRefused(Message("store.target_is_folder", path=shown))
    if not stat.S_ISREG(st.st_mode):
        raise TargetRefused(Message("store.not_regular", path=shown, kind=Message(_kind(st.st_mode))))
    if not st.st_mode & 0o222 or not os.access(target, os.W_OK):
        raise TargetRefused(Message("store.read_only", path=shown))
    return target


def _kind(mode: int) -> str:
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "store.kind.device"
    if stat.S_ISFIFO(mode):
        return "store.kind.fifo"
    if stat.S_ISSOCK(mode):
        return "store.kind.socket"
    if stat.S_ISLNK(mode):
        return "store.kind.symlink"
    return "store.kind.other"


def _new_file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _prefix(target: Path) -> str:
    return f".{target.name}."


def sweep_orphans(target: Path) -> None:
    """Remove temporary files of `target` left by processes that no longer run."""
    prefix = _prefix(target)
    try:
        with os.scandir(target.parent) as entries:
            names = [e.name for e in entries if e.name.startswith(prefix) and e.name.endswith(".tmp")]
    except OSError:
        return
    for name in names:
        pid_text = name[len(prefix):].split(".", 1)[0]
        if not pid_text.isdigit() or int(pid_text) == os.getpid() or _alive(int(pid_text)):
            continue
        try:
            os.unlink(target.parent / name)
        except OSError:
            pass


def _alive(pid: int) -> bool:
    if os.name == "nt":
        return _windows_alive(pid)  # os.kill(pid, 0) would end the process there (TerminateProcess)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's process (or not ours to judge): leave its file alone
    return True


def _windows_alive(pid: int) -> bool:
    """Whether process `pid` runs, asked of Windows without touching the process."""
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return kernel32.GetLastError() == 5  # access denied: it runs, as someone else
    try:
        code = ctypes.c_ulong()
        return not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)) or code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


@contextmanager
def replacing(path: str | os.PathLike, *, mode: int | None = None, durable: bool = True,
              replace: bool = True) -> Iterator[Path]:
    """A temporary file beside `path`'s target for the body to fill; it replaces the target when
    the body ends without an exception, and is removed otherwise. Yields the temporary path.

    durable=False skips the fsyncs, for files that are only ever rebuilt if lost (cache entries).
    replace=False never replaces a file: the temporary file is linked to the new name, which fails
    (TargetExists) if that name exists, even one made meanwhile."""
    shown = os.fspath(path)
    target = check_target(path)
    if mode is None:
        mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else _new_file_mode()
    sweep_orphans(target)
    try:
        fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f"{_prefix(target)}{os.getpid()}.", suffix=".tmp")
    except OSError as exc:
        raise WriteError(Message("store.cannot_write_in", path=shown, folder=target.parent, reason=_reason(exc))) from None
    os.close(fd)
    temp = Path(temp_name)
    try:
        yield temp
        if durable:
            fd = os.open(temp, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        os.chmod(temp, mode)
        if replace:
            _replace(temp, target, shown)
        else:
            try:
                os.link(temp, target)
            except FileExistsError:
                raise TargetExists(Message("store.exists", path=shown)) from None
            finally:
                temp.unlink(missing_ok=True)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise WriteError(Message("store.not_written", path=shown, reason=_reason(exc))) from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    if durable:
        _sync_folder(target.parent)


# On Windows, replacing a file that another program has open (Excel, a virus scanner, the search
# indexer) fails with PermissionError (a sharing violation) until that program lets go: the rename
# is retried for a moment, then refused in one line that says so.
REPLACE_ATTEMPTS = 10
REPLACE_PAUSE_SECONDS = 0.1


def _replace(temp: Path, target: Path, shown: str) -> None:
    import time

    for attempt in range(REPLACE_ATTEMPTS):
        try:
            os.replace(temp, target)
            return
        except PermissionError as exc:
            if os.name != "nt" and not _held_elsewhere(exc):
                raise
            if attempt == REPLACE_ATTEMPTS - 1:
                raise WriteError(Message("store.held_open", path=shown)) from None
            time.sleep(REPLACE_PAUSE_SECONDS)


def _held_elsewhere(exc: OSError) -> bool:
    """The error Windows gives when another process holds the file (ERROR_SHARING_VIOLATION 32,
    ERROR_LOCK_VIOLATION 33, ERROR_ACCESS_DENIED 5 for a file open without FILE_SHARE_DELETE)."""
    return getattr(exc, "winerror", None) in (5, 32, 33)


def write_file(path: str | os.PathLike, payload: Payload, *, mode: int | None = None, durable: bool = True) -> Path:
    """Write bytes, or what `payload(stream)` writes, to `path` atomically; return the file written
    (a symlink's target). WriteError (TargetRefused for an unusable target) if nothing was written."""
    write = payload if callable(payload) else (lambda stream: stream.write(payload))
    with replacing(path, mode=mode, durable=durable) as temp:
        with open(temp, "wb", buffering=1 << 20) as stream:
            write(stream)
    return Path(os.path.realpath(path))


def create_file(path: str | os.PathLike, payload: Payload, *, durable: bool = True) -> bool:
    """Write a new file atomically; False, and nothing written, if `path` exists (`workplan init`
    never overwrites a file)."""
    if os.path.lexists(path):
        return False
    write = payload if callable(payload) else (lambda stream: stream.write(payload))
    try:
        with replacing(path, durable=durable, replace=False) as temp:
            with open(temp, "wb", buffering=1 << 20) as stream:
                write(stream)
    except TargetExists:
        return False
    return True


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; not possible on every platform."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
