"""The offline catalog: every entry is reachable by its code and by its real messages."""

from __future__ import annotations

from collections import Counter

import pytest

from dexter_ls.core.tool_families import normalize_code
from dexter_ls.core.validate import Invalid
from dexter_ls.providers.builtin.catalog import catalog_files, load_catalog
from dexter_ls.providers.builtin.entry import validate_entry

CATALOG = load_catalog()
EXAMPLES = [
    pytest.param(entry, example, id=f"{entry.id}#{i}")
    for entry in CATALOG.entries
    for i, example in enumerate(entry.examples)
]

MINIMUM_PER_TOOL = {
    "python": 15, "python-lint": 10, "mypy": 8, "pyright": 8, "typescript": 15,
    "eslint": 8, "rustc": 12, "clippy": 4, "go": 8, "govet": 4, "c": 12,
}


FILES = [pytest.param(name, raw, id=name) for name, raw in catalog_files()]


@pytest.mark.parametrize("name, raw", FILES)
def test_every_shipped_file_is_valid(name: str, raw: list[dict[str, object]]) -> None:
    """Validated here, not at each load (the catalog loads without checking each field)."""
    validated = [validate_entry(item) for item in raw]
    loaded = [e for e in CATALOG.entries if e.id in {v.id for v in validated}]
    assert loaded == validated, name


@pytest.mark.parametrize("change, where", [
    ({"link": "http://example.com"}, "link"),
    ({"patterns": []}, "patterns"),
    ({"tool": "cobol"}, "tool"),
    ({"meaning": "short"}, "meaning"),
    ({"examples": [{"source": "ruff"}]}, "examples.0.message"),
    ({"colour": "blue"}, "colour"),
])
def test_a_broken_entry_is_named(change: dict[str, object], where: str) -> None:
    good = dict(catalog_files()[0][1][0])
    validate_entry(good)
    with pytest.raises(Invalid) as caught:
        validate_entry({**good, **change})
    assert [".".join(map(str, p.loc)) for p in caught.value.problems] == [where]


def test_every_pattern_compiles() -> None:
    """Checked here, not at load: the catalog compiles patterns lazily."""
    for index, entry in enumerate(CATALOG.entries):
        assert len(CATALOG.patterns(index)) == len(entry.patterns), entry.id


def test_a_lookup_by_code_compiles_no_pattern() -> None:
    catalog = load_catalog.__wrapped__()
    found = catalog.lookup("Pylance", "reportUndefinedVariable", '"x" is not defined')
    assert found is not None and found.how == "code"
    assert catalog._compiled == {}
    by_message = catalog.lookup("rustc", None, "borrow of moved value: `v`")
    assert by_message is not None and by_message.entry.tool == "rustc"
    compiled_tools = {catalog.entries[i].tool for i in catalog._compiled}
    assert compiled_tools <= {"rustc", "clippy"}


def test_catalog_holds_at_least_150_diagnostics() -> None:
    assert len(CATALOG.entries) >= 150


@pytest.mark.parametrize("tool, minimum", sorted(MINIMUM_PER_TOOL.items()))
def test_every_language_is_covered(tool: str, minimum: int) -> None:
    count = sum(1 for e in CATALOG.entries if e.tool == tool)
    assert count >= minimum, f"{tool}: {count} entries, want {minimum}"


def test_ids_and_codes_are_unique() -> None:
    ids = Counter(e.id for e in CATALOG.entries)
    assert [i for i, n in ids.items() if n > 1] == []
    codes = Counter((e.tool, normalize_code(e.tool, c)) for e in CATALOG.entries for c in e.codes)
    assert [c for c, n in codes.items() if n > 1] == []


@pytest.mark.parametrize("entry, example", EXAMPLES)
def test_example_found_by_code_and_by_message(entry, example) -> None:  # type: ignore[no-untyped-def]
    if example.code:
        found = CATALOG.lookup(example.source, example.code, example.message)
        assert found is not None and found.entry.id == entry.id
        assert found.how == "code"
    by_message = CATALOG.lookup(example.source, None, example.message)
    assert by_message is not None, f"no pattern of {entry.id} matches {example.message!r}"
    assert by_message.entry.id == entry.id, f"{example.message!r} went to {by_message.entry.id}"


def test_typescript_numeric_codes_are_normalised() -> None:
    by_number = CATALOG.lookup("ts", 2304, "Cannot find name 'foo'.")
    by_text = CATALOG.lookup("typescript", "TS2304", "")
    assert by_number is not None and by_text is not None
    assert by_number.entry.id == by_text.entry.id


def test_foreign_source_does_not_cross_languages() -> None:
    # A Go message must not be explained by a Python entry just because words overlap.
    found = CATALOG.lookup("gopls", None, "name 'x' is not defined")
    assert found is None or found.entry.tool in ("go", "govet")


def test_unknown_diagnostic_is_not_matched() -> None:
    assert CATALOG.lookup("my-tool", "ZZ999", "the frobnicator is misaligned") is None
