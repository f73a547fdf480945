"""Find, read and check the registry file.

Reading is strict: safe tags only, duplicate keys and aliases are errors, dates are parsed by the
models (so 2024-02-30 is reported, not crashed on), and every problem carries the line and column
of the YAML node it is about. Positions are only looked up when something is wrong, so the common
path is a single C-loader pass.
"""

from __future__ import annotations

import datetime as dt

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from workplan.store.paths import ENV_MAX_BYTES, SourceError, is_regular_file, max_bytes, paused_gc, read_source
from workplan.core.models import Item, Registry
from workplan.core.rules import check_registry, check_unread_references


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a registry file, as `PATH:LINE:COL: message`."""

    path: Path
    line: int | None
    col: int | None
    message: str
    loc: tuple = ()

    def __str__(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}:{self.col or 1}"
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"path": str(self.path), "line": self.line, "column": self.col, "message": self.message}


class RegistryError(Exception):
    """The registry cannot be used; `problems` lists every reason found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(str(problems[0]) if problems else "invalid registry")


class _StrictLoader(_BaseLoader):
    """Safe loader that refuses duplicate keys and aliases and leaves dates to the models."""

    def construct_object(self, node, deep=False):
        if node in self.constructed_objects:
            raise yaml.constructor.ConstructorError(
                None, None, "aliases (*name) are not allowed in the registry", node.start_mark
            )
        return super().construct_object(node, deep=deep)

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(None, None, "expected a mapping", node.start_mark)
        mapping: dict = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                duplicate = key in mapping
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be plain text", key_node.start_mark
                ) from None
            if duplicate:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


class OddNumber:
    """A plain scalar YAML 1.1 reads as an integer the writer hardly meant — 0123 (octal: 83),
    12:30 (base 60: 750), 0x1F, 1_000 — or one of thousands of digits (Python refuses to convert
    more than 4,300). It is kept as written, and no field accepts it: a number field says it is
    not a plain number, a text field to quote it."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def meaning(self) -> str:
        digits = sum(c.isdigit() for c in self.text)
        if digits > _MAX_DIGITS:
            return f"a number of {digits:,} digits"
        return str(yaml.constructor.SafeConstructor.construct_yaml_int(_PLAIN, yaml.ScalarNode("", self.text)))

    def __repr__(self) -> str:
        return self.meaning()


_PLAIN = yaml.constructor.SafeConstructor()
_MAX_DIGITS = 4000
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")


def _construct_int(loader, node):
    text = node.value
    if len(text) <= _MAX_DIGITS and _DECIMAL.match(text):
        return int(text)
    return OddNumber(text)


_StrictLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)

# Dates stay text so that the models parse them and report impossible ones with a position.
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


def read_text(path: Path) -> str:
    """The file's text, or a RegistryError saying plainly why it cannot be read."""
    def fail(message: str) -> RegistryError:
        return RegistryError([Problem(path, None, None, message)])

    try:
        data = read_source(path, max_bytes())
    except SourceError as exc:
        raise fail(f"{exc} (set {ENV_MAX_BYTES} to raise it)" if exc.over_limit else str(exc)) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise RegistryError([Problem(path, line, col, "not UTF-8 text (binary data or another encoding)")]) from None


def parse_yaml(text: str, path: Path) -> Any:
    """Plain data from YAML text, with syntax, tag, alias and duplicate-key errors located."""
    if "\x00" in text:
        line, col = _position(text, text.index("\x00"))
        raise RegistryError([Problem(path, line, col, "a NUL byte (\\x00): binary data, not a YAML text file")])
    from workplan.store import fastyaml

    try:
        return fastyaml.load(text, _StrictLoader)
    except fastyaml.Fallback:
        pass  # something unusual or wrong: the strict loader below reports it with its position
    try:
        loader = _StrictLoader(text)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (a control, a non-character)
        # libyaml counts the position in bytes of UTF-8, PyYAML's own reader in characters.
        index = exc.position
        if _BaseLoader is not yaml.SafeLoader:
            index = len(text.encode("utf-8")[:index].decode("utf-8", "ignore"))
        line, col = _position(text, index)
        raise RegistryError([Problem(path, line, col, _plain_words(
            f"unacceptable character #x{exc.character if isinstance(exc.character, int) else ord(exc.character):04x}: "
            "special characters are not allowed"))]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(part for part in (exc.context, exc.problem) if part) or "invalid YAML"
        if "could not determine a constructor" in message:
            message = f"tag {exc.problem.split('tag ')[-1]} is not allowed: only plain YAML data is accepted"
        message = _plain_words(message)
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise RegistryError([Problem(path, line, col, message)]) from None
    except yaml.YAMLError as exc:
        raise RegistryError([Problem(path, None, None, f"invalid YAML: {exc}")]) from None
    except RecursionError:
        raise RegistryError([Problem(path, None, None, "nesting is too deep")]) from None


def _position(text: str, index: int) -> tuple[int, int]:
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


# What the YAML scanner's words mean, for people who do not write parsers.
_YAML_JARGON = [
    ("found a tab character that violates indentation", "a tab is used to indent; indent with spaces only"),
    ("found character '\\t' that cannot start any token", "a tab is used to indent; indent with spaces only"),
    ("mapping values are not allowed", "a colon followed by a space inside a value; put the value in quotes, "
                                        "or check the indentation of this line"),
    ("could not find expected ':'", "a line is not a `key: value` pair; check its indentation or a missing colon"),
    ("did not find expected key", "the indentation does not line up with the lines above"),
    ("did not find expected '-' indicator", "a list entry is not indented like the ones above it"),
    ("found unexpected end of stream", "the file ends inside a quoted text or a list; a closing quote or ] is missing"),
    ("found unacceptable character", "a control character (a terminal escape, NUL, …) cannot be in the registry"),
    ("special characters are not allowed", "a control character (a terminal escape, NUL, …) cannot be in the registry"),
    ("found undefined alias", "a *name refers to nothing; aliases are not used in the registry"),
    ("expected <block end>, but found", "the indentation does not line up with the lines above"),
    ("while scanning a quoted scalar", "a quoted text is not closed"),
]


def _plain_words(message: str) -> str:
    """The YAML scanner's message with a plain explanation beside it."""
    for jargon, plain in _YAML_JARGON:
        if jargon in message:
            return f"{plain} (YAML: {message})"
    return message


def load_registry(path: Path, *, today: dt.date | None = None) -> Registry:
    """Read, validate and cross-check a registry file; raise RegistryError listing every problem.

    `today` is the day the rules take as today (reports dated later are refused): the clock's by default."""
    today = today or dt.date.today()
    with paused_gc():
        # A pipe or FIFO (`validate /dev/stdin`) can be read only once: straight to the strict path.
        registry = _load_valid(path, today) if is_regular_file(path) else None
        if registry is not None:
            return registry
        text = read_text(path)
        data = parse_yaml(text, path)
        return registry_from_data(data, text, path, today=today)


def _load_valid(path: Path, today: dt.date) -> Registry | None:
    """A valid registry in one pass, each item validated as soon as it is read; None if anything
    is unusual or wrong, and the strict path then finds and locates it.

    Neither the file's text nor its items as plain data are held, so a 100,000-item registry needs
    much less memory than it would otherwise.
    """
    from workplan.store import fastyaml

    try:
        if path.stat().st_size > max_bytes():
            return None
        with path.open("rb") as handle:
            # libyaml would decode UTF-16 or UTF-32 by their byte-order mark; the registry is UTF-8.
            if handle.read(2) in (b"\xff\xfe", b"\xfe\xff"):
                return None
            handle.seek(0)
            data = fastyaml.load(handle, _StrictLoader, each={"items": Item.model_validate})
        if not isinstance(data, dict):
            return None
        registry = Registry.model_validate(data)
    except (OSError, fastyaml.Fallback, ValidationError):
        return None
    if next(iter(check_registry(registry, today=today)), None) is not None:
        return None
    return registry


def registry_from_data(data: Any, text: str, path: Path, *, today: dt.date | None = None) -> Registry:
    today = today or dt.date.today()
    if data is None:
        raise RegistryError([Problem(path, None, None, "file is empty: expected the registry mapping")])
    if not isinstance(data, dict):
        raise RegistryError([Problem(path, 1, 1, "expected a mapping with plan, sections, tasks, organisations and items")])
    try:
        registry = Registry.model_validate(data)
    except ValidationError as exc:
        problems = _validation_problems(exc)
        partial = _valid_part(data)
        if partial is not None:
            problems += list(check_registry(partial.registry, today=today, positions=partial.positions))
            problems += list(check_unread_references(partial.registry, data.get("items"), partial.positions["items"]))
        raise RegistryError(_sorted(_locate(text, path, problems))) from None
    inconsistencies = list(check_registry(registry, today=today))
    if inconsistencies:
        raise RegistryError(_sorted(_locate(text, path, inconsistencies)))
    return registry


@dataclass
class _Partial:
    registry: Registry
    positions: dict[str, list[int]]  # for each list, the original index of every record kept


def _valid_part(data: dict) -> _Partial | None:
    """The records that do validate, so cross-record rules can still be checked and reported."""
    from workplan.core.models import Item, Organisation, Plan, Section, Task

    record_models = {"sections": Section, "tasks": Task, "organisations": Organisation, "items": Item}
    try:
        plan = Plan.model_validate(data.get("plan"))
    except ValidationError:
        return None
    kept: dict[str, list] = {}
    positions: dict[str, list[int]] = {}
    for key, model in record_models.items():
        records = data.get(key)
        if not isinstance(records, list):
            return None
        kept[key], positions[key] = [], []
        for index, record in enumerate(records):
            try:
                kept[key].append(model.model_validate(record))
                positions[key].append(index)
            except ValidationError:
                pass
    return _Partial(Registry.model_construct(plan=plan, **kept), positions)


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.line or 0, p.col or 0))


def _validation_problems(exc: ValidationError) -> list[tuple[tuple, str, Any]]:
    return [(tuple(err["loc"]), err["msg"], err.get("input")) for err in exc.errors(include_url=False)]


# -- positions -------------------------------------------------------------------------------------

def locate(path: Path, problems: list[tuple[tuple, str, Any]]) -> list[Problem]:
    """Problems found in a valid registry file (rules across files), with their lines and columns."""
    return _sorted(_locate(read_text(path), path, problems))


def _locate(text: str, path: Path, problems: list[tuple[tuple, str, Any]]) -> list[Problem]:
    try:
        root = yaml.compose(text, Loader=_BaseLoader)
    except yaml.YAMLError:
        root = None
    located = []
    for loc, message, value in problems:
        message = str(message)  # the rules word theirs by catalogue key (in Chinese here)
        node, missing_key = _node_at(root, loc)
        name = _dotted(loc, _item_id(root, loc))
        if node is None:
            located.append(Problem(path, None, None, f"{name}: {message}", loc))
            continue
        located.append(
            Problem(path, node.start_mark.line + 1, node.start_mark.column + 1,
                    f"{name}: {_explain(node, message, value, missing_key)}", loc)
        )
    return located


def _item_id(root, loc: tuple) -> str | None:
    """The id of the item `loc` is in (items[23] is 2024-24), if it has a plain one."""
    if len(loc) < 2 or loc[0] != "items" or not isinstance(loc[1], int):
        return None
    item, _ = _node_at(root, loc[:2])
    if not isinstance(item, yaml.MappingNode):
        return None
    for key_node, value_node in item.value:
        if key_node.value == "id" and isinstance(value_node, yaml.ScalarNode) and value_node.value.strip():
            return value_node.value
    return None


def _node_at(root, loc: tuple):
    """The deepest YAML node along `loc`, and the key that was missing if the path stops early."""
    node = root
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == str(part):
                    node = value_node
                    break
            else:
                return node, str(part)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return node, None
    return node, None


_TAG_NAMES = {
    "tag:yaml.org,2002:bool": "a true/false value",
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:null": "an empty value",
}


def _explain(node, message: str, value: Any, missing_key: str | None) -> str:
    if missing_key is not None and message.lower().startswith("field required"):
        return f"missing required field {missing_key!r}"
    if isinstance(value, OddNumber) and "valid integer" in message:
        plain = value.text.lstrip("+").lstrip("0") if re.fullmatch(r"\+?0[0-7]+", value.text) else None
        fix = f"write {plain}" if plain else "write the number in plain digits (1, 2, 30)"
        shown = value.text if len(value.text) <= 24 else value.text[:20] + "…"
        return f"{shown} is not a plain whole number (YAML 1.1 reads it as {value.meaning()}); {fix}"
    if (isinstance(node, yaml.ScalarNode) and not node.style and node.tag == "tag:yaml.org,2002:bool"
            and "valid integer" in message):
        return f"{node.value} is read by YAML as a true/false value ({value!r}), not a number; write the number"
    if isinstance(node, yaml.ScalarNode) and isinstance(value, (str, float)) and "valid integer" in message:
        return f"{node.value!r} is not a whole number; write it in digits (1, 2, 30)"
    if (
        isinstance(node, yaml.ScalarNode)
        and not node.style  # plain, unquoted
        and node.tag in _TAG_NAMES
        and "valid string" in message
    ):
        return (f"{node.value} is read by YAML as {_TAG_NAMES[node.tag]} ({value!r}), not text; "
                f"put it in quotes: \"{node.value}\"")
    if isinstance(node, yaml.ScalarNode) and "valid date" in message:
        reason = message.split(",", 1)[1].strip() if "," in message else message
        return f"{node.value!r} is not a valid date ({reason}); write YYYY-MM-DD"
    if message.startswith("Extra inputs are not permitted"):
        return "unknown field (misspelt, or not part of the registry format)"
    return message


def _dotted(loc: tuple, item_id: str | None = None) -> str:
    """items[23].status as `2024-24.status` when the item has an id, else as the path."""
    out = ""
    if item_id is not None:
        out, loc = item_id, loc[2:]
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
