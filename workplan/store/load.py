"""Find, read and check the registry file.

Reading is strict: safe tags only, duplicate keys and aliases are errors, dates are parsed by the
models (so 2024-02-30 is reported, not crashed on), and every problem carries the line and column
of the YAML node it is about. Positions are only looked up when something is wrong, so the common
path is a single C-loader pass.
"""

from __future__ import annotations

import datetime as dt

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from workplan.store.paths import ENV_MAX_BYTES, SourceError, is_regular_file, max_bytes, paused_gc, read_source
from workplan.core.models import Item, Registry
from workplan.core.rules import check_registry


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
        raise RegistryError([Problem(path, None, None, "contains NUL bytes: not a YAML text file")])
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
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(part for part in (exc.context, exc.problem) if part) or "invalid YAML"
        if "could not determine a constructor" in message:
            message = f"tag {exc.problem.split('tag ')[-1]} is not allowed: only plain YAML data is accepted"
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise RegistryError([Problem(path, line, col, message)]) from None
    except yaml.YAMLError as exc:
        raise RegistryError([Problem(path, None, None, f"invalid YAML: {exc}")]) from None
    except RecursionError:
        raise RegistryError([Problem(path, None, None, "nesting is too deep")]) from None


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
    half the memory it would otherwise.
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
        node, missing_key = _node_at(root, loc)
        if node is None:
            located.append(Problem(path, None, None, f"{_dotted(loc)}: {message}", loc))
            continue
        located.append(
            Problem(path, node.start_mark.line + 1, node.start_mark.column + 1,
                    f"{_dotted(loc)}: {_explain(node, message, value, missing_key)}", loc)
        )
    return located


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


def _dotted(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
