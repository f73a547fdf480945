"""A cache of validated registries, so that an unchanged registry is not parsed and checked again.

Parsing YAML is by far the slowest step; reading the validated registry back from JSON is
several times faster (bench/LATEST.md has the figures). Correctness comes first:

- The key is the registry file's content (SHA-256 of its bytes, read in 1 MB chunks), never its
  size or modification time, so an edit is always seen, even one that keeps both.
- An entry also records the cache format, the workplan version and a fingerprint of the code, so
  another version's entry (or one made before a validation rule changed) is not used.
- An entry carries a checksum of its payload; a damaged, truncated or foreign entry is ignored and
  rebuilt, without troubling the user. The checksum only proves the entry is whole, not that
  workplan wrote it: every value read back is checked against the type the models give its field
  (typed.py: text is text, a number a number, a date is made only from text in a date field), so
  a value read back is the value that was validated, and an entry of the wrong types is rebuilt. A small
  entry (the usual plan) is turned back into models by these checks without pydantic's validators,
  which would cost more than the whole query to build; a large one is validated by pydantic's
  JSON parser in strict mode, item by item.
- Beside the items, an entry holds the query index (index.py) under a checksum of its own, so
  that list, due and stats can read the fields they show without the rest, as plain records:
  such a query imports neither pydantic nor PyYAML.
- JSON only (never pickle): reading a cache file can never run code.
- Entries live in the user's cache directory (never beside the data), one per registry path, and
  are written atomically (temporary file + os.replace).

`--no-cache` or WORKPLAN_NO_CACHE=1 reads the YAML every time and leaves the cache alone.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import stat
from pathlib import Path
from typing import Any, Callable

from workplan.store import typed
from workplan.store.paths import max_bytes, paused_gc
from workplan.store.typed import converter

FORMAT = 6
ENV_NO_CACHE = "WORKPLAN_NO_CACHE"
_CHUNK = 1 << 20
_HEADER_MAX = 1 << 16


def cache_dir() -> Path:
    """Where cache entries live, as platformdirs puts a user cache: $XDG_CACHE_HOME/workplan
    (~/.cache/workplan) on Linux, ~/Library/Caches/workplan, %LOCALAPPDATA%\\workplan\\Cache."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("workplan", appauthor=False))


def disabled_by_env() -> bool:
    return os.environ.get(ENV_NO_CACHE, "").strip().lower() in ("1", "true", "yes", "on")


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in 1 MB chunks into one buffer (cheap even for a large file)."""
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
    from workplan import __version__

    package = Path(__file__).resolve().parent.parent
    parts = [f"format={FORMAT}", f"version={__version__}"]
    try:
        for folder in sorted(p for p in package.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))) + [package]:
            with os.scandir(folder) as entries:
                for entry in sorted(entries, key=lambda e: e.name):
                    if entry.name.endswith(".py"):
                        st = entry.stat()
                        parts.append(f"{folder.name}/{entry.name}:{st.st_size}:{st.st_mtime_ns}")
    except OSError:
        parts.append("unreadable")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:32]


def entry_path(path: Path) -> Path:
    """The cache file for a registry path (one per path, so old versions do not pile up)."""
    key = hashlib.sha256(os.fsencode(os.path.abspath(path))).hexdigest()[:32]
    return cache_dir() / "registries" / f"{key}.json"


def load(path: Path, *, use_cache: bool = True, progress: bool = True, index: bool = False):
    """The validated registry at `path`, from the cache when the file is unchanged.

    progress=False may leave the items' progress entries unread (a large part of a big registry)
    for commands that never show them; they are then PROGRESS_NOT_READ, which fails loudly if used.
    index=True may give an IndexedRegistry of plain records with IndexedItems (see index.py), for
    commands that read only the query fields: read that way, nothing imports pydantic. A registry
    read from the YAML is the pydantic one, with its full items, either way.
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
    cached = read_entry(entry, digest, fingerprint, progress=progress, index=index)
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


def store(path: Path, registry, digest: str) -> bool:
    """Make `registry`, validated from the content with this SHA-256, the entry for `path` (after
    workplan itself wrote the file). True if written; like any cache write, failing is no error."""
    if disabled_by_env():
        return False
    return write_entry(entry_path(path), digest, code_fingerprint(), registry, source=path)


def load_registry(path: Path):
    # Imported here: a warm run needs neither PyYAML nor the validators.
    from workplan.store.load import load_registry as load_yaml

    return load_yaml(path)


def read_entry(entry: Path, digest: str, fingerprint: str, *, progress: bool = True, index: bool = False):
    """The cached registry if the entry is intact and made for this content and code; else None.

    The payload is the registry without its items on one line, the query index on the next (its
    own checksum covers these two lines), then one line per item: the item without its progress
    entries, a tab, and the entries (nothing when the file gives none). Lines are read and built one
    at a time, so a large registry never exists as parsed JSON and models at once. The checksum is
    taken along the way, and nothing is returned unless it matches.
    """
    try:
        with _open_regular(entry) as handle, paused_gc():
            header = json.loads(handle.readline(_HEADER_MAX))
            if not (
                isinstance(header, dict)
                and header.get("format") == FORMAT
                and header.get("code") == fingerprint
                and header.get("source_sha256") == digest
            ):
                return None
            checksum, size = hashlib.sha256(), 0
            first, rows = handle.readline(), handle.readline()
            checksum.update(first)
            checksum.update(rows)
            size += len(first) + len(rows)
            if index:
                if size != header.get("index_bytes") or checksum.hexdigest() != header.get("index_sha256"):
                    return None
                # Plain records, not models: a query served by the index imports no pydantic.
                from workplan.store.index import indexed_registry

                return indexed_registry(json.loads(rows))
            from workplan.core.models import Item, ProgressEntry, Registry

            registry = trusted_model(Registry)(json.loads(first) | {"items": []})
            if header.get("payload_bytes", 0) > _VALIDATE_ABOVE:
                # A large entry is validated again after all: pydantic's Rust JSON parser makes an
                # item faster than json.loads and the builder, once its validators are built.
                from pydantic import TypeAdapter

                # Strict: JSON text is never coerced into a number, a flag or another type.
                validate_item = Item.model_validate_json
                validate_progress = TypeAdapter(list[ProgressEntry]).validate_json

                def make_item(text: bytes):
                    return validate_item(text, strict=True)

                def make_progress(text: bytes):
                    return validate_progress(text, strict=True)
            else:
                build_item, build_entry = trusted_model(Item), trusted_model(ProgressEntry)

                def make_item(text: bytes):
                    return build_item(json.loads(text))

                def make_progress(text: bytes):
                    entries = json.loads(text)
                    if type(entries) is not list:
                        raise TypeError("cached progress entries are not a list")
                    return [build_entry(entry) for entry in entries]

            items = registry.items
            for line in handle:
                checksum.update(line)
                size += len(line)
                head, tab, tail = line.rstrip(b"\n").partition(b"\t")
                if not tab:
                    return None
                item = make_item(head)
                if not progress:
                    item.__dict__["progress"] = PROGRESS_NOT_READ
                elif tail:
                    item.__dict__["progress"] = make_progress(tail)
                    item.__pydantic_fields_set__.add("progress")
                items.append(item)
        if size != header.get("payload_bytes") or checksum.hexdigest() != header.get("payload_sha256"):
            return None
        return registry
    except (OSError, ValueError, TypeError, LookupError, AttributeError, RecursionError):
        return None  # missing, damaged or foreign: rebuilt from the YAML
    finally:
        typed.clear()


def _open_regular(path: Path):
    """A binary reader of a regular file; OSError for anything else (a FIFO must not block)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path}: not a regular file")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


class _ProgressNotRead(tuple):
    """Stands for progress entries a command chose not to read: any use is a bug, so it fails."""

    def _fail(self, *args, **kwargs):
        raise RuntimeError("progress entries were not read for this command (cache.load(progress=False))")

    __iter__ = __len__ = __getitem__ = __bool__ = __contains__ = __reversed__ = _fail


PROGRESS_NOT_READ = _ProgressNotRead()


# -- reading models back without validating them again -------------------------------------------

_BUILDERS: dict[type, Callable[[dict], Any]] = {}


def trusted_model(model: type) -> Callable[[dict], Any]:
    """A function making `model` from the JSON its model_dump_json(exclude_unset=True) wrote.

    For data the model validated before (a cache entry whose checksum matched): each value is
    checked against its field's type and converted as validation converts it (dates from text,
    enums by value, nested models); the other constraints were checked when the entry was written.
    Anything of another type or shape raises, and the caller treats the entry as damaged.
    """
    builder = _BUILDERS.get(model)
    if builder is None:
        builder = _BUILDERS[model] = _make_builder(model)
    return builder


def _make_builder(model: type) -> Callable[[dict], Any]:
    fields = getattr(model, "model_fields", None)
    if not isinstance(fields, dict):
        raise TypeError(f"cannot read {model!r} back from the cache")
    plan = [(name, converter(info.annotation, trusted_model), _default(info)) for name, info in fields.items()]
    new = object.__new__
    set_attr = object.__setattr__

    def build(data: dict) -> Any:
        if type(data) is not dict:
            raise TypeError(f"cached {model.__name__} is not an object")
        values = {}
        for name, convert, default in plan:
            if name in data:
                values[name] = convert(data[name])  # None only where the field allows it
            elif default is None:
                raise KeyError(f"cached {model.__name__} lacks {name}")
            else:
                values[name] = default()
        if len(data) > len(plan) or not fields.keys() >= data.keys():
            raise KeyError(f"unknown field in cached {model.__name__}")
        # What BaseModel.model_construct does, without its per-field alias handling.
        instance = new(model)
        set_attr(instance, "__dict__", values)
        set_attr(instance, "__pydantic_fields_set__", set(data))
        set_attr(instance, "__pydantic_extra__", None)
        set_attr(instance, "__pydantic_private__", None)
        return instance

    return build


def _default(info: Any) -> Callable[[], Any] | None:
    """What a field left out gets (as validation would give it); None for a required field.
    FieldInfo.get_default does the same, more slowly."""
    if info.is_required():
        return None
    if info.default_factory is not None:
        if info.default_factory_takes_validated_data:
            raise TypeError("cannot read a default made from other fields back from the cache")
        return info.default_factory  # a fresh list per instance
    value = info.default
    return lambda: value


_VALIDATE_ABOVE = 4 << 20  # bytes of payload where the two ways cost about the same (bench/LATEST.md)


def _header_bytes(header: dict) -> bytes:
    return json.dumps(header, ensure_ascii=False).encode("utf-8")


def write_entry(entry: Path, digest: str, fingerprint: str, registry, *, source: Path) -> bool:
    """Store the registry; True if written. Failing to write a cache is never an error."""
    from workplan import __version__
    from workplan.store.atomic import WriteError, write_file

    try:
        # exclude_unset: read back, the registry has the same fields set as one read from the YAML.
        from workplan.store.index import build_index

        def item_lines():
            for item in registry.items:
                # JSON text never holds a raw tab, so the tab cleanly splits the entries off. Each
                # entry dumps itself: a TypeAdapter for the list would build a schema of its own.
                progress = (b"[" + b",".join(entry.model_dump_json(exclude_unset=True).encode("utf-8")
                                             for entry in item.progress) + b"]"
                            if "progress" in item.model_fields_set else b"")
                yield (item.model_dump_json(exclude_unset=True, exclude={"progress"}).encode("utf-8")
                       + b"\t" + progress + b"\n")

        meta = registry.model_dump_json(exclude_unset=True, exclude={"items"}).encode("utf-8") + b"\n"
        index = json.dumps(build_index(registry), ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
        header = {
            "format": FORMAT,
            "workplan": __version__,
            "code": fingerprint,
            "source": os.path.abspath(source),
            "source_sha256": digest,
            "index_bytes": len(meta) + len(index),
            "index_sha256": hashlib.sha256(meta + index).hexdigest(),
            "payload_bytes": 10**18,  # the widest the real figures can be, to reserve the header's room
            "payload_sha256": "0" * 64,
        }
        # The items are written as they are made, so the header, which needs their size and
        # checksum, is written over a blank line of reserved room at the end.
        reserved = len(_header_bytes(header))

        def write(handle) -> None:
            handle.write(b" " * reserved + b"\n")
            checksum, size = hashlib.sha256(), 0
            for line in itertools.chain((meta, index), item_lines()):
                handle.write(line)
                checksum.update(line)
                size += len(line)
            header.update(payload_bytes=size, payload_sha256=checksum.hexdigest())
            handle.seek(0)
            handle.write(_header_bytes(header).ljust(reserved))

        entry.parent.mkdir(parents=True, exist_ok=True)
        write_file(entry, write, durable=False)  # a lost entry is only rebuilt
        return True
    except (OSError, ValueError, WriteError):
        return False
