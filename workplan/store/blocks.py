"""A registry text cut into its items' text blocks, without parsing it.

The merge driver and `diff` compare registries item by item: an item whose block of text is the
same in two versions is the same item, and only the blocks that differ need parsing. A block runs
from the item's `- ` line to the next item's (comments in between go with the item above).

    layout = split(text)      # None when the text is not laid out as one block list of items
    layout.head               # everything before the first item (plan, sections, organisations …)
    layout.blocks             # [(item id, block text)] in file order
    layout.tail               # anything after the items list
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

_ITEMS_KEY = re.compile(r"^items:[ \t]*(?:#[^\r\n]*)?\r?$", re.M)
_FIRST_CONTENT = re.compile(r"^( *)([^\s#])", re.M)  # the first line that is not blank or a comment
# Searched from a line break rather than with ^ and re.M: the engine then skips ahead to each "\n".
_TOP_LEVEL = re.compile(r"\n(?=[^ \t#\r\n-])")
_BAD_ID = re.compile(r"['\"{}\[\],&*!|>%@`]")


@dataclass
class Layout:
    head: str
    blocks: list[tuple[str, str]]
    tail: str

    def text(self) -> str:
        return self.head + "".join(block for _, block in self.blocks) + self.tail

    def ids(self) -> list[str]:
        return [item_id for item_id, _ in self.blocks]

    def line_of(self, index: int) -> int:
        """1-based line on which block `index` starts."""
        return self.head.count("\n") + sum(block.count("\n") for _, block in self.blocks[:index]) + 1


def split(text: str) -> Layout | None:
    """The text's head, item blocks and tail; None if it is not a plain block list of items
    (no `items:` key, a flow list, an item without a readable id, or an id given twice)."""
    key = _ITEMS_KEY.search(text)
    if key is None or _ITEMS_KEY.search(text, key.end()) is not None:
        return None
    list_start = text.find("\n", key.end())
    if list_start < 0:
        return None
    list_start += 1
    first = _FIRST_CONTENT.search(text, list_start)
    if first is None or first.group(2) != "-" or not text.startswith("- ", first.start(2)):
        return None
    indent = first.group(1)
    end_match = _TOP_LEVEL.search(text, first.start())
    end = end_match.start() + 1 if end_match else len(text)
    # Each item's first line, read with the dash: `  - id: 2024-01` gives the id without parsing.
    heads = [(first.start(), None)] + [(m.start() + 1, m.group(1)) for m in
                                       re.compile(rf"\n{indent}- +([^\r\n]*)").finditer(text, first.start(), end)]
    if heads[1:] and heads[1][0] == first.start():
        heads.pop(0)
    blocks = []
    seen: set[str] = set()
    for n, (start, line) in enumerate(heads):
        block = text[start:heads[n + 1][0] if n + 1 < len(heads) else end]
        item_id = _id_text(line[3:]) if line is not None and line.startswith("id:") else block_id(block, len(indent))
        if item_id is None or item_id in seen:
            return None
        seen.add(item_id)
        blocks.append((item_id, block))
    starts = [start for start, _ in heads]
    # Comment lines before the first item belong to the head.
    return Layout(text[:starts[0]] if starts else text[:end], blocks, text[end:])


def block_id(block: str, indent: int) -> str | None:
    """The `id:` of an item block, unquoted; None if it cannot be read without parsing."""
    dash = re.match(r"- +", block[indent:])
    if dash is None:
        return None
    key_col = indent + dash.end()
    first_line = block[key_col:].split("\n", 1)[0]
    if first_line.startswith("id:"):
        raw = first_line[3:]
    else:
        found = re.search(rf"^ {{{key_col}}}id:([^\r\n]*)", block, re.M)
        if found is None:
            return None
        raw = found.group(1)
    return _id_text(raw)


def item_number(block: str) -> int | None:
    """The item's `seq:` (its printed 序号) read from its block, or None if it cannot be read so."""
    indent = len(block) - len(block.lstrip(" "))
    dash = re.match(r"- +", block[indent:])
    if dash is None:
        return None
    found = _seq_pattern(indent, dash.end()).search(block)
    return int(found.group(1)) if found else None


@functools.lru_cache(maxsize=8)
def _seq_pattern(indent: int, dash: int) -> re.Pattern:
    return re.compile(rf"^(?:{' ' * indent}- +| {{{indent + dash}}})seq:[ \t]*([0-9]+)[ \t]*(?:#[^\r\n]*)?\r?$", re.M)


def _id_text(raw: str) -> str | None:
    raw = raw.strip()
    if raw.isascii() and raw.replace("-", "").isalnum():
        return raw  # the usual id, 2024-01: nothing to unquote or refuse
    raw = raw.split(" #", 1)[0].strip()
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        raw = raw[1:-1]
    if not raw or _BAD_ID.search(raw):
        return None
    return raw
