"""Values read back from a cache entry, checked against the types the schema gives them.

A value is read as the type of its field, never guessed from its look: a note that reads
2024-10-08 stays text, and a date is made only from text in a date field. Anything of another
type raises TypeError, KeyError or ValueError, and the cache then counts the entry as damaged.
Used for the pydantic models (cache.py) and for the plain records of the query index (index.py),
so it imports no pydantic.

Units, departments, deadlines as printed ("9月底前") and dates repeat across thousands of items;
JSON gives each occurrence its own object. While an entry is read, equal short texts share one
string and equal dates one date, in two tables apart; `clear()` empties them after each read.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from enum import Enum
from typing import Any, Callable

_TEXTS: dict[str, str] = {}
_DATES: dict[str, dt.date] = {}
_SHORT = 32  # characters; longer texts (titles, measures) are rarely repeated


def clear() -> None:
    _TEXTS.clear()
    _DATES.clear()


def text(value: Any) -> str:
    if type(value) is not str:
        raise TypeError("cached text is not a string")
    return value if len(value) > _SHORT else _TEXTS.setdefault(value, value)


def date(value: Any) -> dt.date:
    day = _DATES.get(value) if type(value) is str else None
    if day is None:
        if type(value) is not str:
            raise TypeError("cached date is not a string")
        day = _DATES[value] = dt.date.fromisoformat(value)
    return day


def number(value: Any) -> int:
    if type(value) is not int:  # bool is a subclass of int, and no number
        raise TypeError("cached number is not an integer")
    return value


def flag(value: Any) -> bool:
    if type(value) is not bool:
        raise TypeError("cached flag is not true or false")
    return value


def converter(annotation: Any, record: Callable[[type], Callable[[Any], Any]]) -> Callable[[Any], Any]:
    """How a JSON value becomes the value of a field of this type, checking it on the way.

    `record(cls)` gives the builder for a nested record class (a pydantic model or a plain
    record); it raises TypeError for a class it cannot build."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:  # Annotated[str, Field(min_length=1)]: the constraints were checked on writing
        return converter(typing.get_args(annotation)[0], record)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(options) != 1 or len(typing.get_args(annotation)) != 2:
            raise TypeError(f"cannot read {annotation!r} back from the cache")
        inner = converter(options[0], record)

        def optional(value: Any) -> Any:
            return None if value is None else inner(value)

        return optional
    if origin is list:
        each = converter(typing.get_args(annotation)[0], record)

        def convert_each(values: Any) -> list:
            if type(values) is not list:
                raise TypeError("cached value is not a list")
            for n, value in enumerate(values):  # in place: each JSON object is freed once converted
                values[n] = each(value)
            return values

        return convert_each
    if annotation is str:
        return text
    if annotation is dt.date:
        return date
    if annotation is bool:
        return flag
    if annotation is int:
        return number
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        members = {member.value: member for member in annotation}
        return members.__getitem__  # a value of another type is no key: KeyError or TypeError
    if isinstance(annotation, type):
        return record(annotation)
    raise TypeError(f"cannot read {annotation!r} back from the cache")
