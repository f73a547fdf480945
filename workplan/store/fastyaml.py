"""A fast path for reading plain YAML: build dicts and lists straight from libyaml's events.

PyYAML's loaders first compose the whole document as a node tree (every node with two position
marks) and then walk it with generator-based constructors; for a large registry that is most of
the time and memory. Registry files are plain data, so the common case can skip the tree.

Anything unusual — an anchor, alias, explicit non-standard tag, merge key, duplicate key, several
documents, a syntax error — raises Fallback, and the caller reads the file again with the strict
node-based loader, which reports the problem with its position exactly as before. The fast path
therefore never decides what is an error; it only returns the same data sooner.

A large registry is mostly its items list; `each` converts every element of a top-level list as
soon as it is read (the loader validates each item), so the whole list never exists as plain data
and as models at the same time. Short texts (leads, departments, statuses) are shared rather than
repeated: a hundred thousand copies of 浙江省局 are one string.
"""

from __future__ import annotations

from typing import Any, Callable

from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode


class Fallback(Exception):
    """The text needs the full loader (or is invalid); nothing has been decided yet."""


_STR = "tag:yaml.org,2002:str"
_SCALAR_TAGS = {_STR, "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
                "tag:yaml.org,2002:null"}
_MAP_TAGS = {None, "!", "tag:yaml.org,2002:map"}
_SEQ_TAGS = {None, "!", "tag:yaml.org,2002:seq"}


_SHARED_UP_TO = 32  # characters; longer texts (titles, measures) are rarely repeated


def load(source, loader_class, each: dict[str, Callable[[Any], Any]] | None = None) -> Any:
    """The single document in `source` (text, or a binary file read in chunks) as plain data,
    built the way `loader_class` would build it.

    `loader_class` supplies the scalar resolvers and constructors (so a loader that keeps dates as
    text keeps them as text here too). `each` maps a top-level key to a function applied to every
    element of the list under it, as it is read. Raises Fallback for anything the fast path does
    not handle, and for any exception `each` raises.
    """
    loader = loader_class(source)
    try:
        return _Builder(loader).document(each)
    except Fallback:
        raise
    except Exception as exc:  # syntax errors, deep nesting …: the full loader reports them
        raise Fallback(str(exc)) from None
    finally:
        loader.dispose()


class _Builder:
    def __init__(self, loader):
        self.loader = loader
        self.get = loader.get_event
        self.shared: dict[str, str] = {}
        resolvers = loader.yaml_implicit_resolvers
        # Plain scalars whose first character starts no implicit type are text, without a regex.
        self.typed_starts = frozenset(resolvers) - {None}
        if None in resolvers:
            self.typed_starts = None  # a wildcard resolver: every plain scalar needs resolving

    def document(self, each: dict[str, Callable[[Any], Any]] | None) -> Any:
        get = self.get
        get()  # StreamStartEvent
        event = get()
        if isinstance(event, StreamEndEvent):
            return None
        data = self.node(get(), each=each)
        get()  # DocumentEndEvent
        if not isinstance(get(), StreamEndEvent):
            raise Fallback("several documents")
        return data

    def text(self, value: str) -> str:
        return self.shared.setdefault(value, value) if len(value) <= _SHARED_UP_TO else value

    def scalar(self, event) -> Any:
        if event.anchor is not None:
            raise Fallback("anchor")
        tag, value = event.tag, event.value
        if tag is None or tag == "!":
            if tag is not None or not event.implicit[0]:
                return self.text(value)
            if self.typed_starts is not None and value[:1] not in self.typed_starts:
                return self.text(value)
            tag = self.loader.resolve(ScalarNode, value, event.implicit)
        if tag == _STR:
            return self.text(value)
        if tag not in _SCALAR_TAGS:
            raise Fallback(f"tag {tag}")
        return self.loader.yaml_constructors[tag](self.loader, ScalarNode(tag, value))

    def node(self, event, each: dict[str, Callable[[Any], Any]] | None = None,
             convert: Callable[[Any], Any] | None = None) -> Any:
        """The data of the node that starts with `event`. In a mapping, the list under a key of
        `each` has its elements converted; in a list, `convert` converts each element."""
        # The hot loop: plain text scalars (most of a registry) are taken without a call.
        kind = event.__class__
        if kind is ScalarEvent:
            return self.scalar(event)
        if kind is AliasEvent or event.anchor is not None:
            raise Fallback("alias or anchor")
        get, node, scalar, typed = self.get, self.node, self.scalar, self.typed_starts
        if kind is MappingStartEvent:
            if event.tag not in _MAP_TAGS:
                raise Fallback(f"tag {event.tag}")
            mapping: dict = {}
            while True:
                event = get()
                if event.__class__ is not ScalarEvent:
                    if event.__class__ is MappingEndEvent:
                        return mapping
                    raise Fallback("non-scalar key")
                if (event.tag is None and event.anchor is None and typed is not None and event.implicit[0]
                        and event.value[:1] not in typed):
                    key = event.value
                else:
                    key = scalar(event)
                if key in mapping:
                    raise Fallback("duplicate key")
                event = get()
                if (event.__class__ is ScalarEvent and event.tag is None and event.anchor is None
                        and typed is not None and event.implicit[0] and event.value[:1] not in typed):
                    mapping[key] = self.text(event.value)
                elif each and key in each:
                    mapping[key] = node(event, convert=each[key])
                else:
                    mapping[key] = node(event)
        if kind is SequenceStartEvent:
            if event.tag not in _SEQ_TAGS:
                raise Fallback(f"tag {event.tag}")
            sequence: list = []
            append = sequence.append
            while True:
                event = get()
                if event.__class__ is SequenceEndEvent:
                    return sequence
                append(node(event) if convert is None else convert(node(event)))
        raise Fallback(f"unexpected {kind.__name__}")
