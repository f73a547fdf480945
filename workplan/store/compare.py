"""Two versions of a registry text, read only as far as they differ (for `diff` and `check-change`).

Items whose block of text is the same in both versions are not parsed at all, so comparing two
revisions of a 10,000-item registry costs about what the changed items cost. The text around the
items (plan, sections, tasks, organisations) is read in full from both: who leads what is needed
to follow each unit's share. Anything unusual (a registry not laid out as a block list of items,
an item that does not validate) is read the strict way, which reports it with its position.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from workplan.core.models import Item, Registry
from workplan.store import blocks
from workplan.store.load import parse_yaml, registry_from_data

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_WRAP = "items:\n"


@dataclass
class Pair:
    old: Item | None
    new: Item | None
    line: int | None          # where the item starts in the new text (the old one if removed)
    block: str | None = None  # the new text's block, to locate fields in


@dataclass
class Comparison:
    old: Registry             # the plan, sections, tasks and organisations of each version
    new: Registry
    pairs: list[Pair] = field(default_factory=list)   # changed items only, in the new file's order
    head_changes: list[tuple[str, int]] = field(default_factory=list)  # (top-level key, line in new text)

    def field_line(self, pair: Pair, path: tuple) -> int | None:
        """The line of a field of a changed item in the new text (the item's line if not found)."""
        if pair.block is None or not path:
            return pair.line
        try:
            node = yaml.compose(_WRAP + pair.block, Loader=_Loader).value[0][1].value[0]
        except (yaml.YAMLError, IndexError, AttributeError):
            return pair.line
        for part in path:
            if isinstance(node, yaml.MappingNode) and isinstance(part, str):
                found = next((v for k, v in node.value if k.value == part), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                found = node.value[part]
            else:
                found = None
            if found is None:
                break
            node = found
        return pair.line + node.start_mark.line - 1


def compare(old_text: str, new_text: str, old_where: Path, new_where: Path) -> Comparison:
    old_layout, new_layout = blocks.split(old_text.removeprefix("\ufeff")), blocks.split(new_text.removeprefix("\ufeff"))
    if old_layout is None or new_layout is None:
        return _compare_whole(old_text, new_text, old_where, new_where)
    try:
        old_head, old_reg = _head(old_layout.head)
        new_head, new_reg = _head(new_layout.head)
    except (yaml.YAMLError, ValidationError, TypeError, AttributeError):
        return _compare_whole(old_text, new_text, old_where, new_where)
    result = Comparison(old_reg, new_reg)
    for key in dict.fromkeys([*new_head, *old_head]):
        if key != "items" and old_head.get(key) != new_head.get(key):
            result.head_changes.append((key, _first_difference(old_layout.head, new_layout.head,
                                                               _key_line(new_layout.head, key))))
    old_blocks = dict(old_layout.blocks)
    new_ids = set(new_layout.ids())
    try:
        for index, (item_id, block) in enumerate(new_layout.blocks):
            before = old_blocks.get(item_id)
            if before == block:
                continue
            result.pairs.append(Pair(_item(before) if before is not None else None, _item(block),
                                     new_layout.line_of(index), block))
        for index, (item_id, block) in enumerate(old_layout.blocks):
            if item_id not in new_ids:
                result.pairs.append(Pair(_item(block), None, old_layout.line_of(index)))
    except (yaml.YAMLError, ValidationError, TypeError, AttributeError):
        return _compare_whole(old_text, new_text, old_where, new_where)
    return result


def _head(head: str) -> tuple[dict, Registry]:
    data = yaml.load(head, Loader=_Loader) or {}
    plain = {k: v for k, v in data.items() if k != "items"}
    return plain, Registry.model_validate({**plain, "items": []})


def _item(block: str) -> Item:
    data = yaml.load(_WRAP + block, Loader=_Loader)
    return Item.model_validate(data["items"][0])


def _first_difference(old: str, new: str, start: int) -> int:
    """The first line, from `start` on, where the new text differs from the old one."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    for number in range(start, len(new_lines) + 1):
        if number > len(old_lines) or old_lines[number - 1] != new_lines[number - 1]:
            return number
    return start


def _key_line(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith(f"{key}:"):
            return number
    return 1


def _compare_whole(old_text: str, new_text: str, old_where: Path, new_where: Path) -> Comparison:
    """Both versions read and validated in full (RegistryError, located, if either is invalid)."""
    old_reg = registry_from_data(parse_yaml(old_text, old_where), old_text, old_where)
    new_reg = registry_from_data(parse_yaml(new_text, new_where), new_text, new_where)
    result = Comparison(old_reg, new_reg)
    for key in ("version", "plan", "sections", "tasks", "organisations"):
        if getattr(old_reg, key) != getattr(new_reg, key):
            result.head_changes.append((key, _key_line(new_text, key)))
    before = {item.id: item for item in old_reg.items}
    after_ids = {item.id for item in new_reg.items}
    for item in new_reg.items:
        if before.get(item.id) != item:
            result.pairs.append(Pair(before.get(item.id), item, None))
    for item in old_reg.items:
        if item.id not in after_ids:
            result.pairs.append(Pair(item, None, None))
    return result


