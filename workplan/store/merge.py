"""Three-way merge of registry texts, item by item: what `workplan merge-driver` does for git.

    result = merge_texts(base, ours, theirs)
    result.text        # the merged text (with conflict markers where it could not merge)
    result.conflicts   # one line per real conflict; empty when the merge is clean

Rules:
- An item whose text is unchanged on one side takes the other side's text; items added on one
  side are added, removed on one side (and unchanged on the other) are removed.
- An item changed on both sides is merged field by field. Progress reports are append-only: the
  reports both sides added are kept, one history in date order (ours first on the same day). Any
  other field changed on one side takes that side's value; changed the same way on both, that
  value; changed two ways, a conflict (a milestone completed on two dates is one).
- The item's status is then its units' combined status over the merged history (see
  core.units), so two bureaus each reporting their share done give a done item. A done item's
  open milestones get the date of the report that completed it.
- The text around the items (plan, sections, organisations) merges line by line with
  `git merge-file`. A registry not laid out as a block list of items merges that way as a whole.

The merged item keeps the text, comments and layout of the side it starts from; the other side's
changes are written into it with the writer's surgical edits.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from workplan.core.labels import Message, Refusal, t
from workplan.store import blocks

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_ABSENT = object()
_WRAP = "items:\n"


@dataclass
class MergeResult:
    text: str
    conflicts: list[str] = field(default_factory=list)
    # The merged text as pieces (None when it did not merge item by item), and our side's layout:
    # what check_merged needs to check only what the merge changed.
    head: str | None = None
    items: list[tuple[str, str]] | None = None
    tail: str | None = None
    ours: blocks.Layout | None = None
    kept_ours: bool = False  # the merge is our side as it was


class _Conflict(Exception):
    pass


class MergeFailed(Refusal):
    """git merge-file itself failed (not a conflict): nothing could be merged."""


def merge_texts(base: str, ours: str, theirs: str, *, labels: tuple[str, str, str] = ("base", "ours", "theirs"),
                lang: str = "zh") -> MergeResult:
    bom = "\ufeff" if ours.startswith("\ufeff") else ""
    base, ours, theirs = (t.removeprefix("\ufeff") for t in (base, ours, theirs))
    if ours == theirs or theirs == base:
        return MergeResult(bom + ours, kept_ours=True)
    if ours == base:
        return MergeResult(bom + theirs)
    layouts = [blocks.split(t) for t in (base, ours, theirs)]
    if any(layout is None for layout in layouts):
        text, clean = merge_lines(base, ours, theirs, labels)
        return MergeResult(bom + text, [] if clean else [t("merge.layout", lang)])
    o, a, b = layouts
    conflicts: list[str] = []
    out: list[str] = []
    merged_items: list[tuple[str, str]] = []

    head, clean = merge_lines(o.head, a.head, b.head, labels)
    if not clean:
        conflicts.append(t("merge.head", lang))
    out.append(head)

    context = _Context(head if clean else a.head)
    base_blocks, our_blocks, their_blocks = dict(o.blocks), dict(a.blocks), dict(b.blocks)
    for item_id in _merged_order(o.ids(), a.ids(), b.ids()):
        ob, ab, tb = base_blocks.get(item_id), our_blocks.get(item_id), their_blocks.get(item_id)
        if ab == tb or tb == ob:
            text = ab
        elif ab == ob:
            text = tb
        elif ab is None or tb is None:
            conflicts.append(f"{item_id}: {t('merge.removed', lang)}")
            text = _markers(ab or "", tb or "", labels)
        else:
            try:
                text = _merge_item(item_id, ob, ab, tb, context)
            except _Conflict as exc:
                reasons = t("merge.reasons_sep", lang).join(t(key, lang, **fields) for key, fields in exc.args[0])
                conflicts.append(f"{item_id}: {reasons}")
                text = _markers(ab, tb, labels)
        if text:
            if not text.endswith("\n"):
                text += "\n"
            out.append(text)
            merged_items.append((item_id, text))

    tail, clean = merge_lines(o.tail, a.tail, b.tail, labels)
    if not clean:
        conflicts.append(t("merge.tail", lang))
    out.append(tail)
    return MergeResult(bom + "".join(out), conflicts, head, merged_items, tail, a)


def check_merged(result: MergeResult, where: Path, *, today: dt.date | None = None) -> list:
    """The problems of the merged registry (store.load.Problem, located in the merged text).

    Our side is the branch's committed registry: what the merge left as it was there was checked
    when it was committed (and `workplan validate` in CI checks the whole file). So when the plan,
    sections, tasks and organisations are unchanged, only the items the merge changed are checked —
    with that head, and with every other item that prints the same 序号, which is the one rule
    across items an item's text can break (ids are unique by the merge's construction)."""
    from dataclasses import replace

    from workplan.store.load import RegistryError, load_registry

    cut = ("", []) if result.kept_ours else _to_check(result)
    if cut is None:
        text, segments = result.text, None
    else:
        text, segments = cut
        if not text:
            return []
    with tempfile.TemporaryDirectory(prefix="workplan-merge-") as folder:
        file = Path(folder) / "items.yaml"
        file.write_text(text, encoding="utf-8", newline="")
        try:
            load_registry(file, today=today)
        except RegistryError as exc:
            return [replace(p, path=where, line=_merged_line(p.line, segments)) for p in exc.problems]
    return []


def _to_check(result: MergeResult) -> tuple[str, list[tuple[int, int, int]]] | None:
    """(the text to validate, its line segments (first line there, first line in the merged text,
    lines)), "" when nothing needs checking; None when the whole merged text must be checked."""
    if result.items is None or result.ours is None or result.head != result.ours.head or result.tail != result.ours.tail:
        return None
    ours = dict(result.ours.blocks)
    touched = {item_id for item_id, text in result.items if ours.get(item_id) != text}
    if not touched:
        return "", []
    numbers = {item_id: blocks.item_number(text) for item_id, text in result.items}
    if any(numbers[item_id] is None for item_id in touched):
        return None
    shared = {numbers[item_id] for item_id in touched}
    parts, segments = [result.head], [(1, 1, result.head.count("\n"))]
    at, merged_at = 1 + result.head.count("\n"), 1 + result.head.count("\n")
    for item_id, text in result.items:
        lines = text.count("\n")
        if item_id in touched or numbers[item_id] is None or numbers[item_id] in shared:
            parts.append(text)
            segments.append((at, merged_at, lines))
            at += lines
        merged_at += lines
    parts.append(result.tail)
    segments.append((at, merged_at, result.tail.count("\n") + 1))
    return "".join(parts), segments


def _merged_line(line: int | None, segments: list[tuple[int, int, int]] | None) -> int | None:
    if line is None or segments is None:
        return line
    for first, merged_first, count in segments:
        if first <= line < first + count:
            return merged_first + line - first
    return line


def merge_lines(base: str, ours: str, theirs: str, labels=("base", "ours", "theirs")) -> tuple[str, bool]:
    """A line-by-line three-way merge (git merge-file); (text, True when without conflicts)."""
    if ours == theirs or theirs == base:
        return ours, True
    if ours == base:
        return theirs, True
    with tempfile.TemporaryDirectory(prefix="workplan-merge-") as folder:
        paths = []
        for name, text in zip(("ours", "base", "theirs"), (ours, base, theirs)):
            path = Path(folder) / name
            path.write_text(text, encoding="utf-8", newline="")
            paths.append(str(path))
        done = subprocess.run(["git", "merge-file", "-p", "-L", labels[1], "-L", labels[0], "-L", labels[2], *paths],
                              capture_output=True)
    if done.returncode < 0 or done.returncode > 127:
        raise MergeFailed("merge.git_failed", reason=done.stderr.decode("utf-8", "replace").strip())
    return done.stdout.decode("utf-8"), done.returncode == 0


def _markers(ours: str, theirs: str, labels) -> str:
    def ended(text: str) -> str:
        return text if not text or text.endswith("\n") else text + "\n"

    return f"<<<<<<< {labels[1]}\n{ended(ours)}=======\n{ended(theirs)}>>>>>>> {labels[2]}\n"


def _merged_order(base: list[str], ours: list[str], theirs: list[str]) -> list[str]:
    """Our order; items only theirs added go after the item they follow in their file."""
    order = list(ours)
    known = set(ours) | set(base)
    for n, item_id in enumerate(theirs):
        if item_id in known:
            continue
        previous = next((p for p in reversed(theirs[:n]) if p in order), None)
        order.insert(order.index(previous) + 1 if previous is not None else 0, item_id)
        known.add(item_id)
    removed = (set(base) - set(ours)) | (set(base) - set(theirs))
    # An item removed on one side stays in the order where the other side still has it.
    for item_id in base:
        if item_id in removed and item_id not in order and item_id in theirs:
            at = base.index(item_id)
            previous = next((p for p in reversed(base[:at]) if p in order), None)
            order.insert(order.index(previous) + 1 if previous is not None else 0, item_id)
    return order


# -- one item changed on both sides ------------------------------------------------------------------

class _Context:
    """What the merge needs from outside the items: the organisations (who leads what)."""

    def __init__(self, head: str):
        self._head = head
        self._registry = None

    def registry(self):
        if self._registry is None:
            from workplan.core.models import Organisation, Registry

            try:
                data = yaml.load(self._head, Loader=_Loader) or {}
                # Who leads what is all the merge reads; the merged text is validated in full after.
                orgs = [Organisation.model_construct(**o) for o in data.get("organisations") or []]
            except Exception:  # an unreadable head: the status is then left as merged
                orgs = None
            self._registry = Registry.model_construct(organisations=orgs) if orgs is not None else False
        return self._registry or None


def _load_block(block: str) -> dict:
    try:
        data = yaml.load(_WRAP + block, Loader=_Loader)
    except yaml.YAMLError:
        raise _Conflict([("merge.unreadable", {})]) from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list) or len(data["items"]) != 1 \
            or not isinstance(data["items"][0], dict):
        raise _Conflict([("merge.unreadable", {})])
    return data["items"][0]


def _leaves(value: Any, prefix: tuple = ()) -> dict[tuple, Any]:
    """Every scalar by its path; lists of mappings (milestones) by index, other lists whole."""
    out: dict[tuple, Any] = {}
    if isinstance(value, dict) and value:
        for key, inner in value.items():
            out.update(_leaves(inner, prefix + (key,)))
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        for index, inner in enumerate(value):
            out.update(_leaves(inner, prefix + (index,)))
    else:
        out[prefix] = value
    return out


def _show(value: Any) -> str | Message:
    if value is _ABSENT:
        return Message("word.absent")
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _where(path: tuple) -> str | Message:
    if len(path) >= 3 and path[0] == "milestones" and isinstance(path[1], int):
        return Message("merge.milestone_field", n=path[1] + 1, field=".".join(str(p) for p in path[2:]))
    return ".".join(str(p) for p in path)


def _merge_item(item_id: str, base_block: str | None, our_block: str, their_block: str, context: _Context) -> str:
    from workplan.store.writer import RegistryWriteError

    base = _load_block(base_block) if base_block is not None else {}
    ours, theirs = _load_block(our_block), _load_block(their_block)
    history = _merge_progress(base.get("progress") or [], ours.get("progress") or [], theirs.get("progress") or [])

    lb, la, lt = (_leaves({k: v for k, v in side.items() if k != "progress"}) for side in (base, ours, theirs))
    merged: dict[tuple, Any] = {}
    taken_from_theirs: dict[tuple, Any] = {}
    taken_from_ours: dict[tuple, Any] = {}
    problems = []
    for path in dict.fromkeys([*la, *lt, *lb]):
        o, a, b = lb.get(path, _ABSENT), la.get(path, _ABSENT), lt.get(path, _ABSENT)
        if a == b:
            merged[path] = a
        elif a == o:
            merged[path] = b
            taken_from_theirs[path] = b
        elif b == o:
            merged[path] = a
            taken_from_ours[path] = a
        elif path == ("status",):
            merged[path] = a  # recomputed from the merged history below; a conflict only without one
            if not history:
                problems.append(("merge.status", {"ours": _show(a), "theirs": _show(b)}))
        elif len(path) == 3 and path[0] == "milestones" and path[2] == "done_on":
            problems.append(("merge.done_on", {"n": path[1] + 1, "ours": _show(a), "theirs": _show(b)}))
        else:
            problems.append(("merge.field", {"field": _where(path), "ours": _show(a), "theirs": _show(b)}))
    if problems:
        raise _Conflict(problems)

    status_edits = _derived(item_id, merged, history, context)
    expected = {path: value for path, value in {**merged, **status_edits}.items() if value is not _ABSENT}
    # A line-by-line merge keeps both sides' comments and layout, when its lines mean the merge.
    comments_differ = not (_comments(our_block) == _comments(their_block) == _comments(base_block))
    if base_block is not None and comments_differ:
        text, clean = merge_lines(base_block, our_block, their_block)
        if clean and _means(text, expected, history):
            return text
    # Otherwise start from one side's text and write the other side's changes into it: ours,
    # unless only theirs added comments; if a change cannot be written as a single value (a list
    # that grew, a field that was removed), the other side is the start.
    sides = [(our_block, taken_from_theirs, ours.get("progress") or []),
             (their_block, taken_from_ours, theirs.get("progress") or [])]
    if _comments(their_block) - _comments(base_block) and not _comments(our_block) - _comments(base_block):
        sides.reverse()
    for text, changes, side_history in sides:
        try:
            return _write(item_id, text, changes, side_history, history, status_edits)
        except (RegistryWriteError, _Unwritable):
            continue
    raise _Conflict([("merge.lists", {})])


def _comments(block: str | None) -> set[str]:
    return {line.strip() for line in (block or "").splitlines() if line.lstrip().startswith("#")}


def _means(block: str, expected: dict[tuple, Any], history: list) -> bool:
    try:
        data = _load_block(block)
    except _Conflict:
        return False
    return (data.get("progress") or []) == history and \
        _leaves({k: v for k, v in data.items() if k != "progress"}) == expected


class _Unwritable(Exception):
    pass


def _merge_progress(base: list, ours: list, theirs: list) -> list:
    """One history: every report of ours, then those only theirs added, in date order (stable:
    ours first on the same day). Each side must keep the base's reports (it may add between them)."""
    from workplan.core.changes import added_indexes

    ours_added, theirs_added = added_indexes(base, ours), added_indexes(base, theirs)
    if ours_added is None or theirs_added is None:
        if ours == base:
            return theirs
        if theirs == base or ours == theirs:
            return ours
        raise _Conflict([("merge.progress", {})])
    mine = [ours[j] for j in ours_added]
    merged = list(ours) + [theirs[j] for j in theirs_added if theirs[j] not in mine]
    merged.sort(key=lambda e: _date_key(e.get("date")))
    return merged


def _date_key(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _derived(item_id: str, merged: dict[tuple, Any], history: list, context: _Context) -> dict[tuple, Any]:
    """The status the merged history gives, and completion dates for a done item's open milestones."""
    reg = context.registry()
    if not history or reg is None:
        return {}
    from workplan.core.models import Item, Status
    from workplan.core.rules import transition_allowed
    from workplan.core.units import combined_status, unit_states

    data = _unflatten(merged)
    data["progress"] = history
    try:
        item = Item.model_validate(data)
        states = unit_states(reg, item)
    except Exception:  # the merged item is not valid: validation of the whole text reports it
        return {}
    status = combined_status(s.status for s in states)
    if len(states) == 1 and transition_allowed(status, item.status):
        status = item.status  # a single lead's status-only change after its last report stands
    edits: dict[tuple, Any] = {}
    if status.value != merged.get(("status",)):
        edits[("status",)] = status.value
    if status == Status.done:
        completed = next((e.date for e in reversed(item.progress) if e.status == Status.done), None)
        for index, milestone in enumerate(item.milestones):
            if milestone.done_on is None and completed is not None:
                edits[("milestones", index, "done_on")] = completed
    return edits


def _unflatten(leaves: dict[tuple, Any]) -> dict:
    root: dict = {}
    for path, value in leaves.items():
        if value is _ABSENT:
            continue
        if not path:
            continue
        node: Any = root
        for part, following in zip(path, path[1:]):
            if isinstance(node, list):
                while len(node) <= part:
                    node.append({})
                node = node[part]
                continue
            node = node.setdefault(part, [] if isinstance(following, int) else {})
        last = path[-1]
        if isinstance(node, list):
            while len(node) <= last:
                node.append({})
            node[last] = value
        else:
            node[last] = value
    return root


def _write(item_id: str, block: str, changes: dict[tuple, Any], side_history: list, history: list,
           derived: dict[tuple, Any]) -> str:
    from workplan.store.writer import AppendProgress, Edit, edit_text

    edits: list = []
    for path, value in {**changes, **derived}.items():
        if value is _ABSENT or isinstance(value, (list, dict)):
            raise _Unwritable()
        edits.append(Edit(item_id, path, value))
    text = _WRAP + block
    if history[:len(side_history)] != side_history:
        text = _cut_progress(text, item_id, _common_prefix(side_history, history))
        side_history = history[:_common_prefix(side_history, history)]
    for entry in history[len(side_history):]:
        edits.append(AppendProgress(item_id, entry))
    return edit_text(text, edits, where=item_id)[len(_WRAP):]


def _common_prefix(a: list, b: list) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    return n


def _cut_progress(text: str, item_id: str, keep: int) -> str:
    """The text without the item's progress reports after the first `keep` (without `progress:`
    itself when none is kept), so the merged reports can be appended in date order."""
    from workplan.store.writer import _content_end, _line_end

    root = yaml.compose(text, Loader=_Loader)
    item = root.value[0][1].value[0]
    key, progress = next(((k, v) for k, v in item.value if k.value == "progress"), (None, None))
    if progress is None or not isinstance(progress, yaml.SequenceNode) or progress.flow_style:
        raise _Unwritable()
    first = key if keep == 0 else progress.value[keep]
    start = text.rfind("\n", 0, first.start_mark.index) + 1
    end = _line_end(text, _content_end(text, progress.value[-1]))
    return text[:start] + text[end + 1:]
