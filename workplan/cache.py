"""A cache of validated registries, so that an unchanged registry is not parsed and checked again.

Parsing YAML is by far the slowest step (about 1 s per 10,000 items); reading the validated
registry back from JSON is 5–10x faster. Correctness comes first:

- The key is the registry file's content (SHA-256 of its bytes, read in 1 MB chunks), never its
  size or modification time, so an edit is always seen, even one that keeps both.
- An entry also records the cache format, the workplan version and a fingerprint of the code, so
  another version's entry (or one made before a validation rule changed) is not used.
- An entry carries a checksum of its payload and is validated again by pydantic on reading; a
  damaged, truncated or foreign entry is ignored and rebuilt, without troubling the user.
- JSON only (never pickle): reading a cache file can never run code.
- Entries live in the user's cache directory (never beside the data), one per registry path, and
  are written atomically (temporary file + os.replace).

`--no-cache` or WORKPLAN_NO_CACHE=1 reads the YAML every time and leaves the cache alone.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

from .registry import load_registry, max_bytes, paused_gc

FORMAT = 1
ENV_NO_CACHE = "WORKPLAN_NO_CACHE"
_CHUNK = 1 << 20
_HEADER_MAX = 1 << 16


def cache_dir() -> Path:
    """Where cache entries live: %LOCALAPPDATA%\\workplan\\Cache, ~/Library/Caches/workplan,
    or $XDG_CACHE_HOME/workplan (~/.cache/workplan)."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "workplan" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "workplan"
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "workplan"


def disabled_by_env() -> bool:
    return os.environ.get(ENV_NO_CACHE, "").strip().lower() in ("1", "true", "yes", "on")


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in 1 MB chunks into one buffer (cheap even at 100 MB)."""
    digest = hashlib.sha256()
    buffer = bytearray(_CHUNK)
    view = memoryview(buffer)
    with open(path, "rb") as handle:
        while True:
            n = handle.readinto(buffer)
            if not n:
                break
            digest.update(view[:n])
    return digest.hexdigest()


def code_fingerprint() -> str:
    """Changes whenever the package's modules change (an upgrade, or a new validation rule)."""
    from . import __version__

    package = Path(__file__).resolve().parent
    parts = [f"format={FORMAT}", f"version={__version__}"]
    try:
        with os.scandir(package) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.name.endswith(".py"):
                    st = entry.stat()
                    parts.append(f"{entry.name}:{st.st_size}:{st.st_mtime_ns}")
    except OSError:
        parts.append("unreadable")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:32]


def entry_path(path: Path) -> Path:
    """The cache file for a registry path (one per path, so old versions do not pile up)."""
    key = hashlib.sha256(os.fsencode(os.path.abspath(path))).hexdigest()[:32]
    return cache_dir() / "registries" / f"{key}.json"


def load(path: Path, *, use_cache: bool = True):
    """The validated registry at `path`, from the cache when the file is unchanged.

    Errors in the registry itself are raised exactly as load_registry raises them; problems with
    the cache never are.
    """
    if not use_cache or disabled_by_env():
        return load_registry(path)
    try:
        if not path.is_file() or path.stat().st_size > max_bytes():
            return load_registry(path)  # reports the missing, odd or oversized file
        digest = file_sha256(path)
    except OSError:
        return load_registry(path)
    entry = entry_path(path)
    fingerprint = code_fingerprint()
    cached = read_entry(entry, digest, fingerprint)
    if cached is not None:
        return cached
    registry = load_registry(path)
    try:
        unchanged = file_sha256(path) == digest  # never file data under a key it does not match
    except OSError:
        unchanged = False
    if unchanged:
        write_entry(entry, digest, fingerprint, registry, source=path)
    return registry


def read_entry(entry: Path, digest: str, fingerprint: str):
    """The cached registry if the entry is intact and made for this content and code; else None."""
    from pydantic import ValidationError

    from .models import Registry

    try:
        with open(entry, "rb") as handle:
            header = json.loads(handle.readline(_HEADER_MAX))
            if not (
                isinstance(header, dict)
                and header.get("format") == FORMAT
                and header.get("code") == fingerprint
                and header.get("source_sha256") == digest
            ):
                return None
            payload = handle.read()
        if len(payload) != header.get("payload_bytes") or hashlib.sha256(payload).hexdigest() != header.get("payload_sha256"):
            return None
        with paused_gc():
            return Registry.model_validate_json(payload)
    except (OSError, ValueError, ValidationError, RecursionError):
        return None  # missing, damaged or foreign: rebuilt from the YAML


def write_entry(entry: Path, digest: str, fingerprint: str, registry, *, source: Path) -> bool:
    """Store the registry; True if written. Failing to write a cache is never an error."""
    from . import __version__

    try:
        # exclude_unset: read back, the registry has the same fields set as one read from the YAML.
        payload = registry.model_dump_json(exclude_unset=True).encode("utf-8")
        header = {
            "format": FORMAT,
            "workplan": __version__,
            "code": fingerprint,
            "source": os.path.abspath(source),
            "source_sha256": digest,
            "payload_bytes": len(payload),
            "payload_sha256": hashlib.sha256(payload).hexdigest(),
        }
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=entry.parent, prefix=entry.stem + ".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(json.dumps(header, ensure_ascii=False).encode("utf-8") + b"\n")
                handle.write(payload)
            os.replace(temp, entry)
        except BaseException:
            try:
                os.unlink(temp)
            except OSError:
                pass
            raise
        return True
    except (OSError, ValueError):
        return False
