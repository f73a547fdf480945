"""Safe, surgical writes to the registry file (shared by `update` and `import`).

API
---
    from workplan.store.writer import Edit, AppendProgress, apply_edits, load_with_digest

    reg, digest = load_with_digest(path)            # registry + sha256 of the bytes it came from
    new_digest = apply_edits(path, [
        Edit("2024-24", ("status",), "in_progress"),  # Status enums and dt.date are accepted too
        Edit("2024-18", ("milestones", 0, "done_on"), dt.date(2024, 9, 20)),
        AppendProgress("2024-24", {"date": dt.date(2024, 9, 20), "by": "浙江省局",
                                   "status": "in_progress", "text": "平台已上线试运行"}),
    ], expected_sha256=digest)

- `Edit(item_id, path, value)`: set one scalar inside the item with that id. `path` is a tuple of
  mapping keys and 0-based list indexes; `value` is str, int, float, bool, None, dt.date or a
  str Enum. An existing scalar has only its text replaced; a missing last key is added as a new
  line at the end of its mapping. Collections cannot be replaced.
- `AppendProgress(item_id, entry)`: append one entry (keys in the order given) to the item's
  `progress` list, creating `progress:` after `status:` (or at the end of the item) when absent,
  and replacing an empty `progress: []`.
- `apply_edits(path, edits, *, expected_sha256=None) -> str` applies all edits (in order) or none
  and returns the sha256 of the file as written (unchanged file: no write, same digest).
- `load_with_digest(path) -> (Registry, sha256)`: load and validate from one read, so the digest
  is of exactly the content the caller works from; `file_sha256(path)` for the digest alone.
- `edit_text(text, edits) -> str`: the same edit on a string, no I/O and no validation (dry runs,
  diffs); `validate_text(text, path)` raises InvalidEditError if the text is not a valid registry.
- Errors, all `RegistryWriteError`: `ConcurrentModificationError` ("changed on disk since it was
  read"), `LockedError` (names the lock file), `InvalidEditError` (`.problems`: registry Problems,
  positions in the edited text), and plain RegistryWriteError for a bad item id or field path.

Why text edits and not a re-dump: a dump would drop the comments, quoting and layout people keep
in the file. PyYAML's composed node tree gives the exact character span of every scalar, so only
those spans change, and new values are emitted with yaml.safe_dump's quoting rules.

Safety: an OS lock on `items.yaml.lock` beside the registry (filelock; it dies with its process,
and a second writer waits a few seconds for it), a refusal of read-only registries, a re-read
whose sha256 must equal `expected_sha256` (the bytes the caller loaded), full validation of the
new text (registry models and cross checks) before anything is written, then the one atomic
writer (store/atomic.py: temporary file in the same folder, fsync, the original file mode,
os.replace). On any failure the original file is byte-identical. Every failure is a
`RegistryWriteError` (app.run maps it to exit 1).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import stat
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, Sequence, Union

import yaml

from workplan.store.atomic import WriteError, check_target, write_file
from workplan.store.cache import file_sha256, store  # file_sha256 is part of this module's interface too
from workplan.core.labels import Message, shown
from workplan.store.paths import Quoted, SourceError, max_bytes, os_reason, read_source
from workplan.store.load import Problem, RegistryError, parse_yaml, read_text, registry_from_data

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Scalar = Union[str, int, float, bool, None, dt.date, Enum]


class RegistryWriteError(Exception):
    """The registry was not written; args[0], a Message, says why in one line."""

    def text(self, lang: str = "zh") -> str:
        return str(shown(self.args[0], lang)) if self.args else ""

    def __str__(self) -> str:
        return self.text()


class ConcurrentModificationError(RegistryWriteError):
    """The file changed on disk between reading it and writing it."""


class LockedError(RegistryWriteError):
    """Another writer holds the lock file."""


class InvalidEditError(RegistryWriteError):
    """The edits would make the registry invalid; `problems` are located in the edited text."""

    def __init__(self, message: Message, problems: list[Problem] | None = None):
        self.problems = problems or []
        super().__init__(message)


@dataclass(frozen=True)
class Edit:
    """Set one scalar inside an item: Edit("2024-18", ("milestones", 0, "done_on"), date)."""

    item_id: str
    path: tuple
    value: Scalar


@dataclass(frozen=True)
class AppendProgress:
    """Append one entry to an item's `progress` list."""

    item_id: str
    entry: dict = field(hash=False)


@dataclass(frozen=True)
class AppendRecord:
    """Append one record to a top-level list of the registry (`items`, `organisations`): a mapping
    whose values are plain values, lists of plain values or lists of such mappings, written in the
    file's own layout (short lists in brackets, lists of mappings as blocks)."""

    list_key: str
    record: dict = field(hash=False)


def update_edits(plan) -> list[Edit | AppendProgress]:
    """The edits that write a planned update (workplan.core.update.UpdatePlan) into the file."""
    edits: list[Edit | AppendProgress] = [
        Edit(plan.item.id, ("milestones", i, "done_on"), plan.entry["date"]) for i in plan.milestones_done]
    if plan.new_status != plan.item.status:
        edits.append(Edit(plan.item.id, ("status",), plan.new_status.value))
    edits.append(AppendProgress(plan.item.id, plan.entry))
    return edits


# -- reading ---------------------------------------------------------------------------------------

def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_with_digest(path: Path, *, today: dt.date | None = None):
    """(registry, sha256) from ONE read of the file, so the digest matches what was validated."""
    path = Path(path)
    data = _read_bytes(path)
    text = _decode(data, path)
    return registry_from_data(parse_yaml(text, path), text, path, today=today), sha256_bytes(data)


def read_registry_text(path: Path) -> str:
    """The registry file's text as the edits see it (a UTF-8 byte-order mark left out)."""
    return _decode(_read_bytes(Path(path)), Path(path))


def _read_bytes(path: Path) -> bytes:
    try:
        return read_source(path, max_bytes())
    except SourceError:
        read_text(path)  # raises the registry's plain-language error
        raise


def _decode(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return read_text(path)  # raises with the position of the bad byte


# -- emitting scalars ------------------------------------------------------------------------------

def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.datetime):
        raise RegistryWriteError(Message("store.edit.datetime", value=value))
    return value


def scalar_text(value: Scalar) -> str:
    """The value as one line of YAML, quoted only where yaml.safe_dump would quote it."""
    value = _plain(value)
    if not isinstance(value, (str, int, float, bool, type(None), dt.date)):
        raise RegistryWriteError(Message("store.edit.not_plain", kind=type(value).__name__))
    # Multi-line text is double-quoted so that the value stays on its line.
    style = '"' if isinstance(value, str) and ("\n" in value or "\r" in value) else None
    dumped = yaml.safe_dump({"k": value}, allow_unicode=True, width=2**31 - 1, default_flow_style=False,
                            default_style=style)
    return dumped.split(": ", 1)[1].rstrip("\n")


def _comparable(value: Any) -> Any:
    """A value as the registry's strict loader reads it back (dates stay text)."""
    value = _plain(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def flow_list_text(values: Sequence) -> str:
    """A list of plain values as one line of YAML in brackets, quoted as yaml.safe_dump quotes them."""
    values = [_plain(v) for v in values]
    for value in values:
        if not isinstance(value, (str, int, float, bool, type(None), dt.date)) or (
                isinstance(value, str) and ("\n" in value or "\r" in value)):
            raise RegistryWriteError(Message("store.edit.not_in_list", value=repr(value)))
    if not values:
        return "[]"
    return yaml.safe_dump(values, allow_unicode=True, width=2**31 - 1, default_flow_style=True).strip()


def record_lines(record: dict, key_col: int, dash_col: int | None, newline: str) -> str:
    """A mapping as block YAML: keys at key_col, the first one after a dash at dash_col if given."""
    if not record:
        raise RegistryWriteError(Message("store.edit.no_fields"))
    lines = []
    for n, (key, value) in enumerate(record.items()):
        prefix = (" " * dash_col + "-" + " " * (key_col - dash_col - 1)) if n == 0 and dash_col is not None \
            else " " * key_col
        if isinstance(value, (list, tuple)) and value and all(isinstance(v, dict) for v in value):
            lines.append(f"{prefix}{key}:")
            lines += [record_lines(entry, key_col + 4, key_col + 2, newline) for entry in value]
        elif isinstance(value, (list, tuple)):
            lines.append(f"{prefix}{key}: {flow_list_text(value)}")
        else:
            lines.append(f"{prefix}{key}: {scalar_text(value)}")
    return newline.join(lines)


# -- locating nodes --------------------------------------------------------------------------------

def _compose(text: str, where: str):
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise RegistryWriteError(Message("store.edit.not_yaml", where=where, yaml=Quoted(str(exc)))) from None


def _mapping_get(node, key: str):
    """(key_node, value_node) of a block/flow mapping, or (None, None)."""
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return key_node, value_node
    return None, None


def _find_item(root, item_id: str):
    if not isinstance(root, yaml.MappingNode):
        raise RegistryWriteError(Message("load.not_mapping"))
    _, items = _mapping_get(root, "items")
    if not isinstance(items, yaml.SequenceNode):
        raise RegistryWriteError(Message("store.edit.no_list", key="items"))
    for node in items.value:
        if isinstance(node, yaml.MappingNode):
            _, id_node = _mapping_get(node, "id")
            if isinstance(id_node, yaml.ScalarNode) and id_node.value == item_id:
                return node
    raise RegistryWriteError(Message("store.edit.no_item", id=item_id))


def _content_end(text: str, node) -> int:
    """Index just after the node's last character of content (comments and blank lines excluded)."""
    if isinstance(node, yaml.ScalarNode):
        if node.style in ("|", ">"):
            span = text[node.start_mark.index:node.end_mark.index]
            return node.start_mark.index + len(span.rstrip())
        return node.end_mark.index
    if node.flow_style or not node.value:
        return node.end_mark.index
    last = node.value[-1]
    return _content_end(text, last[1] if isinstance(node, yaml.MappingNode) else last)


def _line_end(text: str, index: int) -> int:
    """Index of the line break ending the line that holds `index` (or the end of the text)."""
    for i in range(index, len(text)):
        if text[i] in "\r\n":
            return i
    return len(text)


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


# -- the edits -------------------------------------------------------------------------------------

@dataclass
class _Change:
    start: int
    end: int
    new: str


def _describe(item_id: str, path: tuple) -> str:
    return item_id + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


def _plan_set(text: str, item, edit: Edit) -> _Change | None:
    if not edit.path:
        raise RegistryWriteError(Message("store.edit.no_path", where=edit.item_id))
    node = item
    where = _describe(edit.item_id, edit.path)
    for depth, part in enumerate(edit.path):
        last = depth == len(edit.path) - 1
        if isinstance(part, int):
            if not isinstance(node, yaml.SequenceNode) or not 0 <= part < len(node.value):
                raise RegistryWriteError(Message("store.edit.no_entry", where=where, part=part))
            node = node.value[part]
            continue
        if not isinstance(node, yaml.MappingNode):
            raise RegistryWriteError(Message("store.edit.not_mapping", where=where, part=repr(part)))
        key_node, value_node = _mapping_get(node, part)
        if value_node is None:
            if not last:
                raise RegistryWriteError(Message("store.edit.no_field", where=where, part=repr(part)))
            if edit.value is None:
                return None  # absent already means empty
            return _plan_new_key(text, node, part, _value_text(edit.value))
        if last and isinstance(edit.value, (list, tuple)) and isinstance(value_node, yaml.SequenceNode):
            # A list of plain values is replaced whole, written in brackets on the key's line.
            if any(not isinstance(v, yaml.ScalarNode) for v in value_node.value):
                raise RegistryWriteError(Message("store.edit.records", where=where))
            return _Change(key_node.end_mark.index, _content_end(text, value_node),
                           ": " + flow_list_text(edit.value))
        node = value_node
    if not isinstance(node, yaml.ScalarNode):
        raise RegistryWriteError(Message("store.edit.not_single", where=where))
    start = node.start_mark.index
    return _Change(start, _content_end(text, node), scalar_text(edit.value))


def _value_text(value) -> str:
    return flow_list_text(value) if isinstance(value, (list, tuple)) else scalar_text(value)


def _plan_new_key(text: str, mapping, key: str, value_text: str) -> _Change:
    """A `key: value` added as the mapping's last entry, in the mapping's own style."""
    if mapping.flow_style:
        if not mapping.value:
            at = mapping.start_mark.index + 1  # just after "{"
            return _Change(at, at, f"{key}: {value_text}")
        at = _content_end(text, mapping.value[-1][1])
        return _Change(at, at, f", {key}: {value_text}")
    indent = mapping.value[0][0].start_mark.column
    at = _line_end(text, _content_end(text, mapping.value[-1][1]))
    return _Change(at, at, _newline(text) + " " * indent + f"{key}: {value_text}")


def _entry_lines(entry: dict, dash_col: int, key_col: int, newline: str) -> str:
    if not entry:
        raise RegistryWriteError(Message("store.edit.no_fields"))
    lines = []
    for n, (key, value) in enumerate(entry.items()):
        prefix = " " * dash_col + "-" + " " * (key_col - dash_col - 1) if n == 0 else " " * key_col
        lines.append(f"{prefix}{key}: {scalar_text(value)}")
    return newline.join(lines)


def _flow_entry(entry: dict) -> str:
    return "{" + ", ".join(f"{key}: {scalar_text(value)}" for key, value in entry.items()) + "}"


def _plan_append(text: str, item, edit: AppendProgress) -> _Change:
    newline = _newline(text)
    entry = {k: v for k, v in edit.entry.items() if v is not None}
    key_col = item.value[0][0].start_mark.column
    key_node, progress = _mapping_get(item, "progress")
    if progress is not None and not isinstance(progress, yaml.SequenceNode):
        raise RegistryWriteError(Message("store.edit.progress_not_list", where=f"{edit.item_id}.progress"))
    if progress is not None and progress.value and not progress.flow_style:
        dash_col = progress.start_mark.column
        first = progress.value[0]
        entry_col = first.value[0][0].start_mark.column if isinstance(first, yaml.MappingNode) and first.value else dash_col + 2
        at = _line_end(text, _content_end(text, progress))
        return _Change(at, at, newline + _entry_lines(entry, dash_col, entry_col, newline))
    if progress is not None and progress.value:  # a non-empty flow list stays a flow list
        at = _content_end(text, progress.value[-1])
        return _Change(at, at, ", " + _flow_entry(entry))
    # The item's other block lists (milestones) show how this file indents a list under its key.
    offset = 2
    for _, value in item.value:
        if isinstance(value, yaml.SequenceNode) and not value.flow_style and value.value:
            offset = value.start_mark.column - key_col
            break
    dash_col = key_col + offset
    block = _entry_lines(entry, dash_col, dash_col + 2, newline)
    if progress is not None:  # `progress: []` becomes a block list
        return _Change(key_node.end_mark.index, progress.end_mark.index, ":" + newline + block)
    _, status = _mapping_get(item, "status")
    after = status if status is not None else item.value[-1][1]
    at = _line_end(text, _content_end(text, after))
    return _Change(at, at, newline + " " * key_col + "progress:" + newline + block)


def _plan_append_record(text: str, root, edit: AppendRecord) -> _Change:
    newline = _newline(text)
    if not isinstance(root, yaml.MappingNode):
        raise RegistryWriteError(Message("load.not_mapping"))
    key_node, records = _mapping_get(root, edit.list_key)
    if key_node is None or not isinstance(records, yaml.SequenceNode):
        raise RegistryWriteError(Message("store.edit.no_list", key=edit.list_key))
    if records.value and not records.flow_style:
        first = records.value[0]
        dash_col = records.start_mark.column
        key_col = first.value[0][0].start_mark.column if isinstance(first, yaml.MappingNode) and first.value \
            else dash_col + 2
        at = _line_end(text, _content_end(text, records))
        return _Change(at, at, newline + record_lines(edit.record, key_col, dash_col, newline))
    if records.value:
        raise RegistryWriteError(Message("store.edit.flow_list", key=edit.list_key))
    # `items: []` becomes a block list, indented as the registry's other lists are.
    dash_col = key_node.start_mark.column + 2
    return _Change(key_node.end_mark.index, records.end_mark.index,
                   ":" + newline + record_lines(edit.record, dash_col + 2, dash_col, newline))


def _record_key(edit: AppendRecord) -> tuple:
    return (edit.list_key, edit.record.get("id", edit.record.get("name")))


def edit_text(text: str, edits: Sequence[Edit | AppendProgress], *, where: str = "registry") -> str:
    """The text with every edit applied in order (pure: no I/O, no validation of the result)."""
    # Edits are planned in batches on one parse of the text and applied back to front. A batch
    # ends before an edit that touches what the batch already touches (two reports on one item,
    # the same field twice, overlapping spans): that edit is planned on the updated text.
    pending: list[tuple[int, _Change]] = []
    touched: set = set()
    root = None

    def flush(current: str) -> str:
        for _, change in sorted(pending, key=lambda p: (p[1].start, p[0]), reverse=True):
            current = current[:change.start] + change.new + current[change.end:]
        pending.clear()
        touched.clear()
        return current

    for n, edit in enumerate(edits):
        if isinstance(edit, AppendProgress):
            key = (edit.item_id, "progress")
        elif isinstance(edit, Edit):
            key = (edit.item_id, tuple(edit.path))
        elif isinstance(edit, AppendRecord):
            key = (edit.list_key,)  # records append at one place: each on the text the last left
        else:
            raise RegistryWriteError(Message("store.edit.not_edit", edit=repr(edit)))
        if key in touched:
            text, root = flush(text), None
        if root is None:
            root = _compose(text, where)
        change = _plan_one(text, root, edit)
        if change is None:
            continue
        if any(change.start < c.end and c.start < change.end or change.start == c.start for _, c in pending):
            text = flush(text)
            root = _compose(text, where)
            change = _plan_one(text, root, edit)
            if change is None:
                continue
        pending.append((n, change))
        touched.add(key)
    return flush(text)


def _plan_one(text: str, root, edit) -> _Change | None:
    if isinstance(edit, AppendRecord):
        return _plan_append_record(text, root, edit)
    item = _find_item(root, edit.item_id)
    return _plan_append(text, item, edit) if isinstance(edit, AppendProgress) else _plan_set(text, item, edit)


def _check_applied(data: Any, edits: Sequence[Edit | AppendProgress]) -> None:
    """Read back each edited value: the text edit must mean exactly what was asked."""
    items = {item.get("id"): item for item in data.get("items", []) if isinstance(item, dict)}
    for edit in edits:
        if isinstance(edit, AppendRecord):
            if _deep_comparable(edit.record) not in (data.get(edit.list_key) or []):
                raise RegistryWriteError(Message("store.edit.record_read_back", where=_record_key(edit)[1]))
            continue
        item = items.get(edit.item_id)
        if isinstance(edit, Edit):
            node: Any = item
            for part in edit.path:
                node = node.get(part) if isinstance(node, dict) else node[part]
            ok = node == _deep_comparable(edit.value)
        else:
            entries = (item or {}).get("progress") or []
            expected = {k: _comparable(v) for k, v in edit.entry.items() if v is not None}
            ok = expected in entries
        if not ok:
            raise RegistryWriteError(Message("store.edit.read_back", where=edit.item_id))


def _deep_comparable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _deep_comparable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_deep_comparable(v) for v in value]
    return _comparable(value)


# -- writing ---------------------------------------------------------------------------------------

def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


LOCK_WAIT_SECONDS = 5  # a second update waits this long for the first before giving up


_HELD: dict[Path, int] = {}  # the locks this process holds, and how deep: holding() nests


@contextmanager
def holding(path: Path):
    """Hold the registry's lock from reading the registry to writing it, so that a second change
    waits for the first and is planned on what it wrote, rather than refused as changed on disk.
    A write inside (apply_edits) uses the lock already held."""
    path = Path(path)
    try:
        target = check_target(path)
    except WriteError as exc:
        raise RegistryWriteError(Message("store.nothing_written", reason=exc.args[0])) from None
    with _locked(target, path):
        yield


@contextmanager
def _locked(target: Path, shown: Path):
    """Hold the registry's lock. It is an OS lock on `items.yaml.lock` (filelock: flock, or
    LockFileEx on Windows), so it ends with the process that holds it, however that process ends.
    The file is removed before the lock is let go: filelock notices a waiter's file was unlinked
    and opens the path again, so no two writers ever hold two files. A killed process leaves an
    empty file that blocks nothing."""
    from filelock import FileLock, Timeout

    key = target.resolve()
    if key in _HELD:  # flock is per open file: a second FileLock of this process would wait on the first
        _HELD[key] += 1
        try:
            yield
        finally:
            _HELD[key] -= 1
        return
    lock = FileLock(lock_path(target), timeout=LOCK_WAIT_SECONDS)
    try:
        lock.acquire()
    except Timeout:
        raise LockedError(Message("store.locked", path=shown, seconds=LOCK_WAIT_SECONDS, lock=lock_path(shown).name)) from None
    except OSError as exc:
        raise RegistryWriteError(Message("store.lock_failed", path=shown, lock=lock_path(shown), reason=os_reason(exc))) from None
    _HELD[key] = 1
    try:
        yield
    finally:
        del _HELD[key]
        try:
            lock_path(target).unlink()
        except OSError:
            pass
        lock.release()


def validate_text(text: str, path: Path, *, today: dt.date | None = None) -> Any:
    """Plain data of the text if it is a valid registry; InvalidEditError otherwise."""
    return _validated(text, path, today)[0]


def _validated(text: str, path: Path, today: dt.date | None) -> tuple[Any, Any]:
    """(plain data, Registry) of the text if it is a valid registry; InvalidEditError otherwise."""
    try:
        data = parse_yaml(text, path)
        registry = registry_from_data(data, text, path, today=today)
    except RegistryError as exc:
        first = exc.problems[0].message if exc.problems else Message("store.invalid")
        key = "store.edit_invalid_more" if len(exc.problems) > 1 else "store.edit_invalid"
        raise InvalidEditError(Message(key, path=path, first=first, more=len(exc.problems) - 1), exc.problems) from None
    return data, registry


def apply_edits(path: Path, edits: Sequence[Edit | AppendProgress], *, expected_sha256: str | None = None,
                cache: bool = True, today: dt.date | None = None) -> str:
    """Apply all edits to the registry file atomically, or none; return the new file's sha256.

    cache=False (--no-cache) leaves the validated-registry cache alone."""
    path = Path(path)
    try:
        target = check_target(path)  # a symlink is written through, never replaced
    except WriteError as exc:
        raise RegistryWriteError(Message("store.nothing_written", reason=exc.args[0])) from None
    with _locked(target, path):
        try:
            original = target.read_bytes()
            mode = stat.S_IMODE(target.stat().st_mode)
        except OSError as exc:
            raise RegistryWriteError(Message("store.cannot_read_path", path=path, reason=os_reason(exc))) from None
        digest = sha256_bytes(original)
        if expected_sha256 is not None and digest != expected_sha256:
            raise ConcurrentModificationError(Message("store.changed_on_disk", path=path))
        bom = original.startswith(b"\xef\xbb\xbf")
        try:
            text = original.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise RegistryWriteError(Message("store.not_utf8_path", path=path)) from None
        new_text = edit_text(text, edits, where=str(path))
        if new_text == text:
            return digest
        plain, registry = _validated(new_text, path, today)
        _check_applied(plain, edits)
        data = (b"\xef\xbb\xbf" if bom else b"") + new_text.encode("utf-8")
        _replace(target, data, mode)
        new_digest = sha256_bytes(data)
    # The registry just validated becomes the cache entry: the next command is not a cold one
    # (the parse of a large registry saved after every update).
    if cache:
        store(path, registry, new_digest)
    return new_digest


def _replace(target: Path, data: bytes, mode: int) -> None:
    try:
        write_file(target, data, mode=mode)
    except WriteError as exc:
        raise RegistryWriteError(Message("store.registry_unchanged", reason=exc.args[0])) from None
