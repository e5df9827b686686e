"""core/validate.py: JSON-shaped data into dataclasses, every problem named by its path."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from typing import Any, Literal

import pytest

from dexter_ls.core.validate import Invalid, build, json_schema, rule, to_data, without_defaults


@dataclass(frozen=True)
class Inner:
    limit_per_minute: int | None = rule(default=None, ge=1)
    kind: Literal["a", "b"] | None = None


@dataclass(frozen=True)
class Outer:
    name: str = rule(pattern=r"^[a-z]+$")
    ratio: float = rule(default=0.5, gt=0, le=1)
    flag: bool = False
    tags: list[str] = rule(default_factory=list, min_length=0)
    inner: Inner = field(default_factory=Inner)
    many: dict[str, Inner] = field(default_factory=dict)


def problems(data: Any, camel: bool = True) -> list[tuple[str, bool, str]]:
    with pytest.raises(Invalid) as caught:
        build(Outer, data, camel=camel)
    return [(".".join(map(str, p.loc)), p.unknown, p.message) for p in caught.value.problems]


def test_camel_and_snake_keys_build_the_same_value() -> None:
    camel = build(Outer, {"name": "x", "inner": {"limitPerMinute": 3}}, camel=True)
    snake = build(Outer, {"name": "x", "inner": {"limit_per_minute": 3}}, camel=True)
    assert camel == snake == Outer("x", inner=Inner(limit_per_minute=3))


def test_every_problem_is_named_by_its_path() -> None:
    found = problems({"name": "X1", "ratio": 0, "flag": "maybe", "colour": 1,
                      "inner": {"kind": "c"}, "many": {"m": {"limitPerMinute": 0}},
                      "tags": ["ok", 3]})
    assert sorted(found) == sorted([
        ("name", False, "String should match pattern '^[a-z]+$'"),
        ("ratio", False, "Input should be greater than 0"),
        ("flag", False, "Input should be a valid boolean"),
        ("colour", True, "Extra inputs are not permitted"),
        ("inner.kind", False, "Input should be 'a' or 'b'"),
        ("many.m.limitPerMinute", False, "Input should be greater than or equal to 1"),
        ("tags.1", False, "Input should be a valid string"),
    ])


def test_a_required_field_missing_and_a_section_of_the_wrong_kind() -> None:
    assert problems({"inner": []}) == [("inner", False, "Input should be an object"),
                                       ("name", False, "Field required")]


def test_snake_case_only_without_camel() -> None:
    assert problems({"name": "x", "inner": {"limitPerMinute": 2}}, camel=False) == [
        ("inner.limitPerMinute", True, "Extra inputs are not permitted")]


@pytest.mark.parametrize("raw, expected", [
    ("0.25", 0.25), (1, 1.0), ("1e-1", 0.1)])
def test_numbers_written_as_text_are_read(raw: object, expected: float) -> None:
    assert build(Outer, {"name": "x", "ratio": raw}).ratio == expected


@pytest.mark.parametrize("raw, message", [
    (True, "Input should be a valid integer"),
    (2.5, "Input should be a valid integer, got a number with a fractional part"),
    ("two", "Input should be a valid integer")])
def test_what_is_not_an_integer(raw: object, message: str) -> None:
    assert problems({"name": "x", "inner": {"limitPerMinute": raw}}) == [
        ("inner.limitPerMinute", False, message)]


def test_the_message_names_paths_never_values() -> None:
    with pytest.raises(Invalid) as caught:
        build(Outer, {"name": "sk-secret-value"})
    assert "sk-secret-value" not in str(caught.value)
    assert "name" in str(caught.value)


def test_to_data_and_without_defaults() -> None:
    value = build(Outer, {"name": "x", "inner": {"limitPerMinute": 2}}, camel=True)
    assert to_data(value, camel=True)["inner"] == {"limitPerMinute": 2, "kind": None}
    assert without_defaults(value) == {"name": "x",
                                       "inner": {"limit_per_minute": 2, "kind": None}}


def test_json_schema_for_editor_settings() -> None:
    schema = json_schema(Outer, camel=True)
    assert schema["additionalProperties"] is False
    assert schema["properties"]["ratio"] == {"type": "number", "exclusiveMinimum": 0,
                                             "maximum": 1}
    inner = schema["properties"]["many"]["additionalProperties"]["properties"]
    assert inner["limitPerMinute"] == {"type": ["integer", "null"], "minimum": 1}
    assert inner["kind"] == {"type": ["string", "null"], "enum": ["a", "b", None]}


def test_neither_the_server_nor_the_cli_loads_pydantic() -> None:
    """pydantic cost ~100 ms of every CLI run and ~11 MiB of every server; it is gone."""
    code = ("import sys, dexter_ls.server, dexter_ls.cli.main, dexter_ls.cli.explain; "
            "from dexter_ls.settings import parse_settings; parse_settings({'model': 'a/b'}); "
            "from dexter_ls.providers.builtin.catalog import load_catalog; load_catalog(); "
            "from dexter_ls.prompting.templates import load_templates; load_templates(); "
            "print('pydantic' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "False"
