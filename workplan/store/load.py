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

from workplan.store.paths import ENV_MAX_BYTES, Quoted, SourceError, is_regular_file, max_bytes, paused_gc, read_source
from workplan.core.labels import Message, shown
from workplan.core.models import Item, Registry
from workplan.core.rules import check_registry, check_unread_references


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a registry file, as `PATH:LINE:COL: message`; the message is words of
    the catalogue (a Message), shown in the reader's language."""

    path: Path
    line: int | None
    col: int | None
    message: object
    loc: tuple = ()

    def words(self, lang: str = "zh") -> str:
        """The message alone, in `lang`."""
        return str(shown(self.message, lang))

    def text(self, lang: str = "zh") -> str:
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}:{self.col or 1}"
        return f"{where}: {self.words(lang)}"

    def __str__(self) -> str:
        return self.text()

    def as_dict(self, lang: str = "zh") -> dict[str, Any]:
        return {"path": str(self.path), "line": self.line, "column": self.col, "message": self.words(lang)}


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
                None, None, Message("load.alias"), node.start_mark
            )
        return super().construct_object(node, deep=deep)

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(None, None, Message("load.expected_mapping"), node.start_mark)
        mapping: dict = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                duplicate = key in mapping
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, Message("load.key_not_text"), key_node.start_mark
                ) from None
            if duplicate:
                raise yaml.constructor.ConstructorError(
                    None, None, Message("load.duplicate_key", key=key), key_node.start_mark
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

    def meaning(self) -> object:
        digits = sum(c.isdigit() for c in self.text)
        if digits > _MAX_DIGITS:
            return Message("load.many_digits", digits=f"{digits:,}")
        return str(yaml.constructor.SafeConstructor.construct_yaml_int(_PLAIN, yaml.ScalarNode("", self.text)))

    def __repr__(self) -> str:
        return str(self.meaning())


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
    def fail(message: object) -> RegistryError:
        return RegistryError([Problem(path, None, None, message)])

    try:
        data = read_source(path, max_bytes())
    except SourceError as exc:
        raise fail(Message("load.raise_limit", reason=exc.message, env=ENV_MAX_BYTES) if exc.over_limit
                   else exc.message) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise RegistryError([Problem(path, line, col, Message("load.not_utf8"))]) from None


def parse_yaml(text: str, path: Path) -> Any:
    """Plain data from YAML text, with syntax, tag, alias and duplicate-key errors located."""
    if "\x00" in text:
        line, col = _position(text, text.index("\x00"))
        raise RegistryError([Problem(path, line, col, Message("load.nul"))])
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
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise RegistryError([Problem(path, line, col, Message("load.control_character", code=f"{code:04X}"))]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if isinstance(exc.problem, Message):
            message = exc.problem
        else:
            said = " ".join(part for part in (exc.context, exc.problem) if part)
            if "could not determine a constructor" in said:
                message = Message("load.tag", tag=exc.problem.split("tag ")[-1])
            else:
                message = _plain_words(said)
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise RegistryError([Problem(path, line, col, message)]) from None
    except yaml.YAMLError as exc:
        raise RegistryError([Problem(path, None, None, _plain_words(str(exc)))]) from None
    except RecursionError:
        raise RegistryError([Problem(path, None, None, Message("load.too_deep"))]) from None


def _position(text: str, index: int) -> tuple[int, int]:
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


# What the YAML scanner's words mean, for people who do not write parsers (its own words are quoted
# beside them, as a parser's message is what a search finds help for).
_YAML_JARGON = [
    ("found a tab character that violates indentation", "load.yaml.tab"),
    ("found character '\\t' that cannot start any token", "load.yaml.tab"),
    ("mapping values are not allowed", "load.yaml.colon"),
    ("could not find expected ':'", "load.yaml.not_key_value"),
    ("did not find expected key", "load.yaml.indentation"),
    ("did not find expected '-' indicator", "load.yaml.list_indentation"),
    ("did not find expected ',' or ']'", "load.yaml.flow_list"),
    ("did not find expected ',' or '}'", "load.yaml.flow_mapping"),
    ("found unexpected end of stream", "load.yaml.unclosed"),
    ("found unacceptable character", "load.yaml.control"),
    ("special characters are not allowed", "load.yaml.control"),
    ("found undefined alias", "load.yaml.alias"),
    ("expected <block end>, but found", "load.yaml.indentation"),
    ("while scanning a quoted scalar", "load.yaml.quote"),
]


def _plain_words(message: str) -> Message:
    """The YAML parser's message with a plain explanation beside it."""
    for jargon, key in _YAML_JARGON:
        if jargon in message:
            return Message("load.yaml.explained", plain=Message(key), yaml=Quoted(message))
    return Message("load.yaml.invalid", yaml=Quoted(message or "?"))


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
        raise RegistryError([Problem(path, None, None, Message("load.empty"))])
    if not isinstance(data, dict):
        raise RegistryError([Problem(path, 1, 1, Message("load.not_mapping"))])
    try:
        registry = Registry.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        problems = _validation_problems(exc)
        partial = _valid_part(data, errors)
        if partial is not None:
            found = list(check_registry(partial.registry, today=today, positions=partial.positions))
            found += list(check_unread_references(partial.registry, data.get("items"), partial.positions["items"]))
            problems += [problem for problem in found if not _about_stand_in(problem[0], partial.broken)]
        raise RegistryError(_sorted(_locate(text, path, problems))) from None
    inconsistencies = list(check_registry(registry, today=today))
    if inconsistencies:
        raise RegistryError(_sorted(_locate(text, path, inconsistencies)))
    return registry


@dataclass
class _Partial:
    registry: Registry
    positions: dict[str, list[int]]  # for each list, the original index of every record kept
    broken: list[tuple]  # where a field failed validation: problems the rules find there are not reported


def _valid_part(data: dict, errors: list[dict]) -> _Partial | None:
    """The registry as far as it validates, so that the rules across fields and records are still
    checked and reported beside the field errors: a record with a bad field is kept with a stand-in
    for that field (see `_stand_in`), and the rules' findings about a stand-in are dropped, as the
    field error already says what is wrong there. A record that cannot be mended is left out."""
    from workplan.core.models import Item, Organisation, Plan, Section, Task

    record_models = {"sections": Section, "tasks": Task, "organisations": Organisation, "items": Item}
    by_record: dict[tuple, list[dict]] = {}
    for err in errors:
        loc = tuple(err["loc"])
        head = loc[:2] if loc and loc[0] in record_models else loc[:1]
        by_record.setdefault(head, []).append({**err, "loc": loc[len(head):]})
    broken: list[tuple] = []
    plan_data = data.get("plan")
    plan = _mended(Plan, plan_data, by_record.get(("plan",), []), ("plan",), broken, None)
    if plan is None or {("plan", "year"), ("plan", "issued")} <= {place[:2] for place in broken}:
        return None  # every date is checked against the plan's year and issue date
    kept: dict[str, list] = {}
    positions: dict[str, list[int]] = {}
    for key, model in record_models.items():
        records = data.get(key)
        if not isinstance(records, list):
            return None
        kept[key], positions[key] = [], []
        for index, record in enumerate(records):
            mended = _mended(model, record, by_record.get((key, index), []), (key, index), broken, plan)
            if mended is not None:
                kept[key].append(mended)
                positions[key].append(index)
    broken += _unreadable_references(data, kept, broken)
    return _Partial(Registry.model_construct(plan=plan, **kept), positions, broken)


def _unreadable_references(data: dict, kept: dict[str, list], broken: list[tuple]) -> list[tuple]:
    """A section or task whose own number (or a task whose section) did not validate may be the one
    another record refers to: those references are not reported as unknown or mismatched."""
    places = {place[:3] for place in broken}
    out: list[tuple] = []
    numbers_unreadable = {kind: any(p[0] == kind and p[2:3] == ("number",) for p in places) for kind in ("sections", "tasks")}
    sections = {s.number for s in kept["sections"]}
    tasks = {t.number for t in kept["tasks"]}
    unsure_tasks: set[int] = set()
    for i, record in enumerate(data.get("tasks") or []):
        if isinstance(record, dict) and ("tasks", i, "section") in places and isinstance(record.get("number"), int):
            unsure_tasks.add(record["number"])
    for kind in ("tasks", "items"):
        for i, record in enumerate(data.get(kind) or []):
            if not isinstance(record, dict):
                continue
            if numbers_unreadable["sections"] and record.get("section") not in sections:
                out.append((kind, i, "section"))
            task = record.get("task")
            if kind == "items" and (task in unsure_tasks or numbers_unreadable["tasks"] and task not in tasks):
                out.append((kind, i, "task"))
    return out


_MARK = "\x00"  # a stand-in text: no registry text holds NUL, so it names no unit and repeats nothing
# A stand-in for one field also stands in what is checked against it.
_RELATED = {"id": ("seq",), "section": ("task",), "kind": ("members",),
            "year": (), "issued": ()}


def _mended(model, record: Any, errors: list[dict], where: tuple, broken: list[tuple], plan):
    """`record` validated as `model`, its failing fields replaced by stand-ins; None if it cannot be."""
    import copy

    if not errors:
        try:
            return model.model_validate(record)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
    if not isinstance(record, dict):
        return None
    record = copy.deepcopy(record)
    for _ in range(4):  # a stand-in list of one entry may need stand-ins itself
        for err in errors:
            loc = tuple(err["loc"])
            if err["type"] != "extra_forbidden":
                broken.append(where + loc)
                broken.extend(where + loc[:-1] + (related,) for related in _RELATED.get(str(loc[-1]), ()))
            if not _stand_in(model, record, loc, err["type"], plan):
                return None
        try:
            return model.model_validate(record)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
    return None


def _stand_in(model, record: dict, loc: tuple, kind: str, plan) -> bool:
    """Put a value that validates where `loc` failed: an optional field falls back to its default, a
    date to the one before it in its list (so the order checks compare the neighbours), a text to a
    mark that names nothing. False if the place cannot be found."""
    container: Any = record
    for part in loc[:-1]:
        try:
            container = container[part]
        except (KeyError, IndexError, TypeError):
            return False
    key = loc[-1] if loc else None
    if key is None or not isinstance(container, (dict, list)):
        return False
    if kind == "extra_forbidden":
        container.pop(key, None)
        return True
    field = _field_at(model, loc)
    if isinstance(container, dict) and field is not None and not field.is_required():
        container.pop(key, None)
        return True
    name = str(loc[-2] if isinstance(key, int) and len(loc) > 1 else key)
    if name in ("due", "date", "issued", "done_on", "adjusted_due", "adjusted_on"):
        value = _earlier_date(record, loc) or (plan.issued.isoformat() if plan is not None else None)
        if value is None:
            value = dt.date(_year(record), 1, 1).isoformat()
    elif name == "year":
        issued = str(record.get("issued", ""))
        value = int(issued[:4]) if re.match(r"(20\d\d|2100)-", issued) else 2000
    elif name == "seq":
        found = re.fullmatch(r"\d{4}-0*(\d+)[a-z]?", str(record.get("id", "")))
        value = int(found.group(1)) if found else 10**9
    elif name in ("number", "section", "task", "milestone", "amends", "version"):
        value = 10**9  # a number nothing has
    elif name == "status":
        value = _earlier(record, loc) or "not_started"
    elif name == "kind":
        value = "provincial_bureau"
    elif name in ("milestones", "progress", "sections", "tasks", "organisations", "items", "safeguards"):
        value = {} if isinstance(key, int) else []
    elif name in ("leads", "departments", "aliases", "members"):
        value = _MARK if isinstance(key, int) else [_MARK]
    elif name == "id":
        value = f"X{id(record)}"  # matches the id pattern, and no other item's id
    else:
        value = _MARK
    if isinstance(container, list) and not (isinstance(key, int) and key < len(container)):
        return False
    container[key] = value
    return True


def _field_at(model, loc: tuple):
    """The pydantic field `loc` names inside `model` (through lists of records), or None."""
    import typing

    field = None
    for part in loc:
        if isinstance(part, int):
            continue
        if model is None or not hasattr(model, "model_fields"):
            return None
        fields = {(info.alias or name): info for name, info in model.model_fields.items()}
        field = fields.get(part)
        if field is None:
            return None
        inner = [arg for arg in typing.get_args(field.annotation) if hasattr(arg, "model_fields")]
        model = inner[0] if inner else field.annotation
    return field


def _earlier(record: dict, loc: tuple) -> Any:
    """The same field of the entry before this one in its list (milestones[2].due → milestones[1].due)."""
    if len(loc) < 3 or not isinstance(loc[-2], int):
        return None
    entries = record.get(loc[0]) if len(loc) == 3 else None
    if not isinstance(entries, list):
        return None
    for entry in reversed(entries[:loc[-2]]):
        if isinstance(entry, dict) and isinstance(entry.get(loc[-1]), str):
            return entry[loc[-1]]
    return None


def _earlier_date(record: dict, loc: tuple) -> str | None:
    value = _earlier(record, loc)
    try:
        return dt.date.fromisoformat(value).isoformat() if isinstance(value, str) else None
    except ValueError:
        return None


def _year(record: dict) -> int:
    year = record.get("year")
    return year if isinstance(year, int) and 2000 <= year <= 2100 else 2000


def _about_stand_in(loc: tuple, broken: list[tuple]) -> bool:
    return any(loc[:len(place)] == place for place in broken)


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.line or 0, p.col or 0))


def _validation_problems(exc: ValidationError) -> list[tuple[tuple, object, Any]]:
    """(location, the pydantic error, the value) of each field that failed."""
    return [(tuple(err["loc"]), err, err.get("input")) for err in exc.errors(include_url=False)]


# -- positions -------------------------------------------------------------------------------------

def locate(path: Path, problems: list[tuple[tuple, str, Any]]) -> list[Problem]:
    """Problems found in a valid registry file (rules across files), with their lines and columns."""
    return _sorted(_locate(read_text(path), path, problems))


def _locate(text: str, path: Path, problems: list[tuple[tuple, object, Any]]) -> list[Problem]:
    try:
        root = yaml.compose(text, Loader=_BaseLoader)
    except yaml.YAMLError:
        root = None
    located = []
    for loc, message, value in problems:
        node, missing_key = _node_at(root, loc)
        name = _dotted(loc, _item_id(root, loc))
        if isinstance(message, dict):  # a pydantic error
            message = _explain(node, message, value, missing_key)
        if node is None:
            located.append(Problem(path, None, None, Message("load.at", name=name, reason=message), loc))
            continue
        located.append(Problem(path, node.start_mark.line + 1, node.start_mark.column + 1,
                               Message("load.at", name=name, reason=message), loc))
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
    "tag:yaml.org,2002:bool": "load.tag_name.bool",
    "tag:yaml.org,2002:int": "load.tag_name.number",
    "tag:yaml.org,2002:float": "load.tag_name.number",
    "tag:yaml.org,2002:null": "load.tag_name.null",
}

# pydantic's own words by error type; the location is the problem's, the value the file's.
_PYDANTIC_TYPES = {
    "missing": "load.pydantic.missing",
    "string_type": "load.pydantic.string_type",
    "string_too_short": "load.pydantic.string_too_short",
    "string_too_long": "load.pydantic.string_too_long",
    "string_pattern_mismatch": "load.pydantic.pattern",
    "int_type": "load.pydantic.int_type",
    "int_parsing": "load.pydantic.int_type",
    "int_from_float": "load.pydantic.int_type",
    "bool_type": "load.pydantic.bool_type",
    "bool_parsing": "load.pydantic.bool_type",
    "date_type": "load.pydantic.date_type",
    "date_parsing": "load.pydantic.date_type",
    "date_from_datetime_parsing": "load.pydantic.date_type",
    "date_from_datetime_inexact": "load.pydantic.date_type",
    "list_type": "load.pydantic.list_type",
    "model_type": "load.pydantic.mapping_type",
    "dict_type": "load.pydantic.mapping_type",
    "model_attributes_type": "load.pydantic.mapping_type",
    "too_short": "load.pydantic.too_short",
    "too_long": "load.pydantic.too_long",
    "greater_than_equal": "load.pydantic.at_least",
    "greater_than": "load.pydantic.more_than",
    "less_than_equal": "load.pydantic.at_most",
    "less_than": "load.pydantic.less_than",
    "extra_forbidden": "load.unknown_field",
}
# Why a text is not a date, as pydantic (speedate) says it.
_DATE_REASONS = {
    "day value is outside expected range": "load.date.day",
    "month value is outside expected range": "load.date.month",
    "input is too short": "load.date.too_short",
    "input is too long": "load.date.too_long",
    "invalid character in year": "load.date.characters",
    "invalid character in month": "load.date.characters",
    "invalid character in day": "load.date.characters",
    "invalid date separator, expected `-`": "load.date.separator",
    "unexpected extra characters at the end of the input": "load.date.extra",
}


def _explain(node, err: dict, value: Any, missing_key: str | None) -> object:
    """A pydantic error in plain words of the catalogue, with what the file holds there."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    scalar = isinstance(node, yaml.ScalarNode)
    if kind == "missing" and missing_key is not None:
        return Message("load.missing_field", field=missing_key)
    if isinstance(value, OddNumber) and kind in ("int_type", "int_parsing"):
        plain = value.text.lstrip("+").lstrip("0") if re.fullmatch(r"\+?0[0-7]+", value.text) else None
        shown_text = value.text if len(value.text) <= 24 else value.text[:20] + "…"
        return Message("load.odd_number_write" if plain else "load.odd_number", text=shown_text,
                       meaning=value.meaning(), plain=plain or "")
    if isinstance(value, OddNumber) and kind == "string_type":
        shown_text = value.text if len(value.text) <= 24 else value.text[:20] + "…"
        return Message("load.not_text_quote", text=shown_text, read_as=Message("load.tag_name.number"),
                       value=value.meaning())
    if scalar and not node.style and node.tag == "tag:yaml.org,2002:bool" and kind in ("int_type", "int_parsing"):
        return Message("load.bool_not_number", text=node.value, value=repr(value))
    if scalar and isinstance(value, (str, float)) and kind in ("int_type", "int_parsing", "int_from_float"):
        return Message("load.not_whole_number", text=repr(node.value))
    if scalar and not node.style and node.tag in _TAG_NAMES and kind == "string_type":
        return Message("load.not_text_quote", text=node.value, read_as=Message(_TAG_NAMES[node.tag]), value=repr(value))
    if scalar and kind in ("date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"):
        reason = str(ctx.get("error", ""))
        return Message("load.bad_date", text=repr(node.value),
                       reason=Message(_DATE_REASONS.get(reason, "load.date.form")))
    return pydantic_words(err)


def pydantic_words(err: dict) -> Message:
    """A pydantic error's words by its type, without the file's text (a config file's, say)."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind in ("enum", "literal_error"):
        return Message("load.pydantic.enum", choices=[_choice(code) for code in re.findall(r"'([^']*)'", str(ctx.get("expected", "")))])
    if kind in _PYDANTIC_TYPES:
        limit = next((ctx[k] for k in ("ge", "gt", "le", "lt", "min_length", "max_length") if k in ctx), "")
        return Message(_PYDANTIC_TYPES[kind], limit=limit, pattern=ctx.get("pattern", ""))
    return Message("load.pydantic.other", detail=Quoted(str(err.get("msg", kind))))


def _choice(code: str) -> object:
    """A status or kind of organisation as its words and its code (推进中（in_progress）)."""
    from workplan.core.labels import CATALOGUE

    for prefix in ("status.", "org_kind."):
        if prefix + code in CATALOGUE:
            return Message("hint.status_choice", label=Message(prefix + code), code=code)
    return code


def _dotted(loc: tuple, item_id: str | None = None) -> str:
    """items[23].status as `2024-24.status` when the item has an id, else as the path."""
    out = ""
    if item_id is not None:
        out, loc = item_id, loc[2:]
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
