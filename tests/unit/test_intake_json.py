"""dexter_ls.intake: LSP diagnostics given as JSON, and precise errors for malformed ones."""

from __future__ import annotations

import json

import pytest

from dexter_ls.core.subject import Position, Range, RelatedInfo
from dexter_ls.intake.parse import diagnostic_from_json, parse_output
from tests.unit.intake_samples import GCC_WERROR

# --- LSP diagnostics as JSON -------------------------------------------------------------

DIAG = {
    "range": {"start": {"line": 2, "character": 4}, "end": {"line": 2, "character": 9}},
    "message": "\"foo\" is not defined",
    "severity": 1,
    "code": "reportUndefinedVariable",
    "source": "Pylance",
    "codeDescription": {"href": "https://example.com/rules#reportUndefinedVariable"},
}


def test_json_single_diagnostic() -> None:
    [subject] = parse_output(json.dumps(DIAG, indent=2))
    diag = subject.diagnostic
    assert (subject.path, subject.uri, subject.language) == (None, None, None)
    assert diag.range == Range(Position(2, 4), Position(2, 9))
    assert (diag.code, diag.source, diag.severity) == ("reportUndefinedVariable", "Pylance", 1)
    assert diag.code_href == "https://example.com/rules#reportUndefinedVariable"


def test_json_list_of_diagnostics_and_int_code() -> None:
    other = {**DIAG, "code": 2322, "source": "ts", "message": "Type mismatch"}
    subjects = parse_output(json.dumps([DIAG, other]))
    assert [s.diagnostic.code for s in subjects] == ["reportUndefinedVariable", "2322"]


def test_json_publish_diagnostics_params() -> None:
    params = {"uri": "file:///home/dev/my%20proj/app.py", "version": 3, "diagnostics": [DIAG]}
    [subject] = parse_output(json.dumps(params))
    assert subject.uri == "file:///home/dev/my%20proj/app.py"
    assert (subject.path, subject.language) == ("/home/dev/my proj/app.py", "python")


def test_json_list_of_params_and_uri_with_one_diagnostic() -> None:
    text = json.dumps([
        {"uri": "file:///c%3A/proj/main.rs", "diagnostics": [DIAG]},
        {"uri": "untitled:Untitled-1", "diagnostic": {**DIAG, "message": "other"}},
    ])
    first, second = parse_output(text)
    assert (first.path, first.language) == ("c:/proj/main.rs", "rust")
    assert (second.path, second.uri) == (None, "untitled:Untitled-1")


def test_json_related_information_and_extra_fields() -> None:
    related = {"location": {"uri": "file:///a.py", "range": DIAG["range"]}, "message": "here"}
    raw = {**DIAG, "relatedInformation": [related], "data": {"fix": 1}, "tags": [1]}
    diag = diagnostic_from_json(raw)
    assert diag.related == (RelatedInfo("file:///a.py", Range(Position(2, 4), Position(2, 9)),
                                        "here"),)


def _with(**changes: object) -> dict[str, object]:
    return {**DIAG, **changes}


@pytest.mark.parametrize(("raw", "where", "error"), [
    ("x", "diagnostic", "diagnostic must be an object, got 'x'"),
    ({"range": DIAG["range"]}, "diagnostic", "diagnostic.message is missing"),
    (_with(message=""), "diagnostic", "diagnostic.message must be a non-empty string, got ''"),
    (_with(message=3), "d", "d.message must be a non-empty string, got 3"),
    ({"message": "m"}, "diagnostic", "diagnostic.range is missing"),
    (_with(range={"start": {"line": "x", "character": 0}, "end": {"line": 0, "character": 0}}),
     "diagnostic", "diagnostic.range.start.line must be a non-negative integer, got 'x'"),
    (_with(range={"start": {"line": 0, "character": 0}, "end": {"line": 0}}),
     "diagnostic", "diagnostic.range.end.character is missing"),
    (_with(range={"start": {"line": 0, "character": -1}, "end": {"line": 0, "character": 0}}),
     "diagnostic", "diagnostic.range.start.character must be a non-negative integer, got -1"),
    (_with(range={"start": {"line": True, "character": 0}, "end": {"line": 0, "character": 0}}),
     "diagnostic", "diagnostic.range.start.line must be a non-negative integer, got true"),
    (_with(range={"start": {"line": 3, "character": 0}, "end": {"line": 1, "character": 0}}),
     "diagnostic", "diagnostic.range.end must not come before diagnostic.range.start"),
    (_with(range=[0, 1]), "diagnostic", "diagnostic.range must be an object, got a list"),
    (_with(severity=7), "diagnostic", "diagnostic.severity must be 1, 2, 3 or 4, got 7"),
    (_with(severity="error"), "diagnostic",
     "diagnostic.severity must be 1, 2, 3 or 4, got 'error'"),
    (_with(code=[1]), "diagnostic",
     "diagnostic.code must be a string or an integer, got a list"),
    (_with(source=5), "diagnostic", "diagnostic.source must be a string, got 5"),
    (_with(codeDescription={"href": 1}), "diagnostic",
     "diagnostic.codeDescription.href must be a string, got 1"),
    (_with(relatedInformation={}), "diagnostic",
     "diagnostic.relatedInformation must be a list, got an object"),
    (_with(relatedInformation=[{"location": {"uri": "", "range": DIAG["range"]},
                                "message": "m"}]),
     "diagnostic", "diagnostic.relatedInformation[0].location.uri must be a non-empty string"),
])
def test_diagnostic_from_json_names_the_bad_field(raw: object, where: str, error: str) -> None:
    with pytest.raises(ValueError) as caught:
        diagnostic_from_json(raw, where)
    assert str(caught.value).startswith(error)


@pytest.mark.parametrize(("value", "error"), [
    ({"message": "m", "range": {"start": {"line": "x", "character": 0},
                                "end": {"line": 0, "character": 0}}},
     "diagnostic.range.start.line must be a non-negative integer, got 'x'"),
    ([DIAG, {"message": "m"}], "diagnostics[1].range is missing"),
    ({"uri": "file:///a.py", "diagnostics": [DIAG, {**DIAG, "severity": 0}]},
     "diagnostics[1].severity must be 1, 2, 3 or 4, got 0"),
    ({"uri": "file:///a.py", "diagnostics": {}}, "diagnostics must be a list, got an object"),
    ({"uri": 3, "diagnostics": []}, "uri must be a non-empty string, got 3"),
    ({"uri": "file:///a.py"}, "diagnostics is missing"),
    ([{"uri": "file:///a.py", "diagnostic": {"message": ""}}],
     "[0].diagnostic.message must be a non-empty string, got ''"),
    ({"version": "1.1", "generalDiagnostics": []}, "diagnostic.message is missing"),
])
def test_malformed_json_diagnostics_raise(value: object, error: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_output(json.dumps(value))
    assert str(caught.value).startswith(error)


def test_json_optional_fields_may_be_null() -> None:
    diag = diagnostic_from_json({**DIAG, "severity": None, "code": None, "source": None,
                                 "codeDescription": None, "relatedInformation": None})
    assert (diag.severity, diag.code, diag.source, diag.code_href, diag.related) == (
        None, None, None, None, ())


def test_json_edge_cases() -> None:
    assert parse_output("[]") == []
    assert parse_output('{"uri": "file:///a.py", "diagnostics": []}') == []
    ninja = "[1/2] Building C object CMakeFiles/app.dir/main.c.o\n" + GCC_WERROR
    assert [s.path for s in parse_output(ninja)] == ["main.c"]  # '[' but not JSON: text
