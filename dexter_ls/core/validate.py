"""JSON-shaped data into frozen dataclasses, every problem named by its path.

What the settings, the offline catalog's entries and the prompt templates' headers need and
no more: `str`, `int`, `float`, `bool`, `Literal[...]`, `X | None`, `list[X]`,
`dict[str, X]` and nested dataclasses, with bounds, patterns, minimum lengths and checks per
field (`rule`). Numbers and booleans written as strings are read as such (template headers
are text). This replaced pydantic, whose import and schema building cost ~100 ms of every
CLI run and ~11 MiB of every server.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal, TypeVar, Union, get_args, get_origin

T = TypeVar("T")
_NONE = type(None)
_BAD = object()  # a value that failed; its problem is already recorded
_TRUE = frozenset({"1", "on", "t", "true", "y", "yes"})
_FALSE = frozenset({"0", "off", "f", "false", "n", "no"})


@dataclass(frozen=True)
class Rule:
    gt: float | None = None
    ge: float | None = None
    le: float | None = None
    pattern: str | None = None
    min_length: int | None = None
    check: Callable[[Any], Any] | None = None  # raises ValueError with the reason
    before: Callable[[Any], Any] | None = None  # reshapes the raw value first


def rule(*, default: Any = dataclasses.MISSING, default_factory: Any = dataclasses.MISSING,
         **limits: Any) -> Any:
    """A dataclass field with limits (gt, ge, le, pattern, min_length, check, before)."""
    metadata = {"rule": Rule(**limits)}
    if default_factory is not dataclasses.MISSING:
        return dataclasses.field(default_factory=default_factory, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


@dataclass(frozen=True)
class Problem:
    loc: tuple[str | int, ...]  # keys as the data spelled them, list indexes as ints
    unknown: bool  # a key the shape does not have (else: a value that does not fit)
    message: str
    input: object = None


class Invalid(ValueError):
    """Every problem found; the message names paths and expectations, never the values."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(
            f"{'.'.join(str(part) for part in p.loc) or '(top)'}: {p.message}" for p in problems))


@dataclass(frozen=True)
class _Field:
    name: str
    alias: str
    type: Any
    rule: Rule | None
    required: bool


def to_camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


@cache
def _fields(cls: type) -> tuple[_Field, ...]:
    hints = typing.get_type_hints(cls)
    return tuple(
        _Field(f.name, to_camel(f.name), hints[f.name], f.metadata.get("rule"),
               f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING)
        for f in dataclasses.fields(cls) if f.init)


def build(cls: type[T], data: object, *, camel: bool = False) -> T:
    """`cls` from `data`; raises Invalid naming every problem. With `camel`, keys may be
    camelCase (as editors write settings) or the fields' own snake_case names."""
    problems: list[Problem] = []
    value = _section(cls, data, camel, (), problems)
    if problems:
        raise Invalid(problems)
    return typing.cast(T, value)


def to_data(value: Any, *, camel: bool = False) -> Any:
    """The JSON-shaped form of a built value (keys camelCase with `camel`)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {(f.alias if camel else f.name): to_data(getattr(value, f.name), camel=camel)
                for f in _fields(type(value))}
    if isinstance(value, list | tuple):
        return [to_data(item, camel=camel) for item in value]
    if isinstance(value, dict):
        return {key: to_data(item, camel=camel) for key, item in value.items()}
    return value


def without_defaults(value: Any) -> dict[str, Any]:
    """The fields of a built value that differ from their defaults (JSON-shaped)."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(value):
        current = getattr(value, f.name)
        if f.default is not dataclasses.MISSING and current == f.default:
            continue
        if f.default_factory is not dataclasses.MISSING and current == f.default_factory():
            continue
        out[f.name] = to_data(current)
    return out


def json_schema(tp: Any, *, camel: bool = False) -> dict[str, Any]:
    """A JSON schema of a field type, as editors' settings schemas want it: an optional
    value is `type: [X, "null"]` (and its enum lists null)."""
    origin, args = get_origin(tp), get_args(tp)
    if origin in (Union, types.UnionType):
        inner = json_schema(_optional(tp), camel=camel)
        if "type" in inner:
            inner["type"] = [inner["type"], "null"]
        if "enum" in inner:
            inner["enum"] = [*inner["enum"], None]
        return inner
    if origin is Literal:
        return {"type": "string", "enum": list(args)}
    if origin is list:
        return {"type": "array", "items": json_schema(args[0], camel=camel)}
    if origin is dict:
        return {"type": "object", "additionalProperties": json_schema(args[1], camel=camel)}
    if dataclasses.is_dataclass(tp):
        properties = {}
        for f in _fields(typing.cast(type, tp)):
            node = json_schema(f.type, camel=camel)
            if f.rule is not None:
                bounds = {"exclusiveMinimum": f.rule.gt, "minimum": f.rule.ge,
                          "maximum": f.rule.le}
                node.update({k: v for k, v in bounds.items() if v is not None})
            properties[f.alias if camel else f.name] = node
        return {"type": "object", "additionalProperties": False, "properties": properties}
    names = {str: "string", int: "integer", float: "number", bool: "boolean"}
    if tp in names:
        return {"type": names[tp]}
    raise TypeError(f"no JSON schema for {tp!r}")


def _section(cls: type, data: object, camel: bool, loc: tuple[str | int, ...],
             problems: list[Problem]) -> Any:
    if isinstance(data, cls):
        return data
    if not isinstance(data, Mapping):
        problems.append(Problem(loc, False, "Input should be an object", data))
        return _BAD
    fields = _fields(cls)
    by_key = {f.name: f for f in fields}
    if camel:
        by_key.update({f.alias: f for f in fields})
    found = len(problems)
    values: dict[str, Any] = {}
    for key, raw in data.items():
        spec = by_key.get(key) if isinstance(key, str) else None
        if spec is None:
            problems.append(Problem((*loc, key), True, "Extra inputs are not permitted", raw))
            continue
        value = _value(spec, raw, camel, (*loc, key), problems)
        if value is not _BAD:
            values[spec.name] = value
    for spec in fields:
        if spec.required and spec.name not in values and not any(
                by_key.get(k) is spec for k in data if isinstance(k, str)):
            problems.append(Problem((*loc, spec.alias if camel else spec.name), False,
                                    "Field required"))
    if len(problems) > found:
        return _BAD
    return cls(**values)


def _value(spec: _Field, raw: Any, camel: bool, loc: tuple[str | int, ...],
           problems: list[Problem]) -> Any:
    limits = spec.rule
    if limits is not None and limits.before is not None:
        raw = limits.before(raw)
    found = len(problems)
    value = _convert(spec.type, raw, camel, loc, problems)
    if value is _BAD or value is None or limits is None:
        return value
    message = _limit_problem(limits, value)
    if message is None and limits.check is not None:
        try:
            value = limits.check(value)
        except ValueError as exc:
            message = str(exc)
    if message is not None:
        problems.append(Problem(loc, False, message, raw))
    return _BAD if len(problems) > found else value


def _limit_problem(limits: Rule, value: Any) -> str | None:
    if limits.gt is not None and not value > limits.gt:
        return f"Input should be greater than {_number(limits.gt)}"
    if limits.ge is not None and not value >= limits.ge:
        return f"Input should be greater than or equal to {_number(limits.ge)}"
    if limits.le is not None and not value <= limits.le:
        return f"Input should be less than or equal to {_number(limits.le)}"
    if limits.pattern is not None and re.search(limits.pattern, value) is None:
        return f"String should match pattern '{limits.pattern}'"
    if limits.min_length is not None and len(value) < limits.min_length:
        n = limits.min_length
        if isinstance(value, str):
            return f"String should have at least {n} character{'s' if n != 1 else ''}"
        return f"List should have at least {n} item{'s' if n != 1 else ''}"
    return None


def _convert(tp: Any, raw: Any, camel: bool, loc: tuple[str | int, ...],
             problems: list[Problem]) -> Any:
    origin, args = get_origin(tp), get_args(tp)
    if origin in (Union, types.UnionType):
        return None if raw is None else _convert(_optional(tp), raw, camel, loc, problems)
    if origin is Literal:
        for choice in args:
            if raw == choice and type(raw) is type(choice):
                return choice
        return _fail(problems, loc, raw, f"Input should be {_alternatives(args)}")
    if origin is list:
        if not isinstance(raw, list | tuple):
            return _fail(problems, loc, raw, "Input should be a valid list")
        found = len(problems)
        items = [_convert(args[0], item, camel, (*loc, i), problems) for i, item in enumerate(raw)]
        return _BAD if len(problems) > found else items
    if origin is dict:
        if not isinstance(raw, Mapping):
            return _fail(problems, loc, raw, "Input should be an object")
        found = len(problems)
        out: dict[str, Any] = {}
        for key, item in raw.items():
            if not isinstance(key, str):
                _fail(problems, (*loc, str(key)), key, "Keys should be strings")
                continue
            out[key] = _convert(args[1], item, camel, (*loc, key), problems)
        return _BAD if len(problems) > found else out
    if dataclasses.is_dataclass(tp):
        return _section(typing.cast(type, tp), raw, camel, loc, problems)
    reader = _SCALARS.get(tp)
    if reader is None:
        raise TypeError(f"cannot validate {tp!r}")
    value = reader(raw)
    if value is _BAD:
        return _fail(problems, loc, raw, _scalar_message(tp, raw))
    return value


def _optional(tp: Any) -> Any:
    options = [a for a in get_args(tp) if a is not _NONE]
    if len(options) != 1:
        raise TypeError(f"only `X | None` unions are supported, not {tp!r}")
    return options[0]


def _fail(problems: list[Problem], loc: tuple[str | int, ...], raw: Any, message: str) -> Any:
    problems.append(Problem(loc, False, message, raw))
    return _BAD


def _read_str(raw: Any) -> Any:
    return raw if isinstance(raw, str) else _BAD


def _read_bool(raw: Any) -> Any:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str):
        word = raw.strip().lower()
        if word in _TRUE or word in _FALSE:
            return word in _TRUE
    return _BAD


def _read_int(raw: Any) -> Any:
    if isinstance(raw, bool):
        return _BAD
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else _BAD
    if isinstance(raw, str) and re.fullmatch(r"\s*[+-]?\d+\s*", raw):
        return int(raw)
    return _BAD


def _read_float(raw: Any) -> Any:
    if isinstance(raw, bool):
        return _BAD
    if isinstance(raw, int | float):
        return float(raw)
    if isinstance(raw, str):
        try:
            return float(raw)
        except ValueError:
            return _BAD
    return _BAD


_SCALARS: dict[Any, Callable[[Any], Any]] = {
    str: _read_str, bool: _read_bool, int: _read_int, float: _read_float}


def _scalar_message(tp: Any, raw: Any) -> str:
    if tp is int and isinstance(raw, float):
        return "Input should be a valid integer, got a number with a fractional part"
    kind = {str: "a valid string", bool: "a valid boolean", int: "a valid integer",
            float: "a valid number"}[tp]
    return f"Input should be {kind}"


def _alternatives(choices: tuple[Any, ...]) -> str:
    shown = [repr(c) for c in choices]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
