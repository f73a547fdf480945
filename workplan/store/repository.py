"""The only door to a registry file.

A caller says what it needs of the items (workplan.core.needs.Need) and gets a registry whose
items can answer it: from the validated cache, its query index, or the YAML — the repository
chooses, never the caller. Changes go through `preview` (the new text, validated, and its diff)
and `save` (written atomically under the lock, refused if the file changed since it was read).
"""

from __future__ import annotations

import datetime as dt
import difflib
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from workplan.core.needs import Need
from workplan.store.paths import find_registry


@dataclass(frozen=True)
class Preview:
    """A change worked out and validated, not written."""

    path: Path
    old_text: str
    new_text: str

    @property
    def changed(self) -> bool:
        return self.new_text != self.old_text

    def diff(self) -> Iterable[str]:
        return difflib.unified_diff(self.old_text.splitlines(True), self.new_text.splitlines(True),
                                    str(self.path), f"{self.path} (updated)")


class Repository:
    """One registry file. `use_cache=False` (--no-cache) reads the YAML every time and leaves the
    cache alone."""

    def __init__(self, path: Path, *, use_cache: bool = True) -> None:
        self.path = Path(path)
        self.use_cache = use_cache

    @classmethod
    def find(cls, explicit: str | Path | None = None, *, use_cache: bool = True) -> "Repository":
        """The registry in use: `explicit`, $WORKPLAN_DATA, ./data/items.yaml, or the shipped copy."""
        return cls(find_registry(explicit), use_cache=use_cache)

    def open(self, need: Need = Need.ALL):
        """The validated registry, its items able to answer `need`; RegistryError if invalid."""
        from workplan.store import cache

        index = need in (Need.QUERY, Need.SHARES)  # the query index holds each unit's share
        return cache.load(self.path, use_cache=self.use_cache,
                          progress=Need.PROGRESS in need or (Need.SHARES in need and not index), index=index)

    def open_for_change(self, *, today: dt.date | None = None, hold: ExitStack | None = None):
        """(registry with every field, sha256 of the bytes it was validated from), from one read.

        With `hold`, the registry's lock is taken before the read and kept until `hold` closes:
        a change planned on this registry is then saved without another writer in between."""
        from workplan.store.writer import holding, load_with_digest

        if hold is not None:
            hold.enter_context(holding(self.path))
        return load_with_digest(self.path, today=today)

    def preview(self, changes: Sequence, *, today: dt.date | None = None) -> Preview:
        """The file as `changes` would leave it, validated; InvalidEditError if it would be invalid."""
        from workplan.store import writer

        old = writer.read_registry_text(self.path)
        new = writer.edit_text(old, _edits(changes), where=str(self.path))
        if new != old:
            writer.validate_text(new, self.path, today=today)
        return Preview(self.path, old, new)

    def save(self, changes: Sequence, *, expected_sha256: str | None, today: dt.date | None = None) -> str:
        """Write `changes` (all or none) and refresh the cache; the new file's sha256."""
        from workplan.store.writer import apply_edits

        return apply_edits(self.path, _edits(changes), expected_sha256=expected_sha256,
                           cache=self.use_cache, today=today)


def _edits(changes: Sequence) -> list:
    """Text edits for planned updates (workplan.core.update.UpdatePlan) and edits given as such."""
    from workplan.core.update import UpdatePlan
    from workplan.store.writer import update_edits

    edits: list = []
    for change in changes:
        edits.extend(update_edits(change) if isinstance(change, UpdatePlan) else [change])
    return edits
