"""The error category of a diagnostic from its message alone, "other" for an error we do not
recognise, and the category names the templates use."""

from __future__ import annotations

import re

import pytest

from dexter_ls.explain.category.classify import CATEGORIES, classify
from tests.unit.test_category_codes import PACKAGE, subject

# Clear enough from the message alone (no source, no code).
MESSAGE_ONLY: list[tuple[str, str]] = [
    ("SyntaxError: invalid syntax", "syntax"),
    ("unterminated string literal (detected at line 1)", "syntax"),
    ("expected ‘;’ before ‘}’ token", "syntax"),
    ("syntax error: unexpected newline, expected comma or )", "syntax"),
    ("Parsing error: Unexpected token )", "syntax"),
    ("TypeError: Cannot read properties of undefined (reading 'map')", "null"),
    ("'NoneType' object has no attribute 'text'", "null"),
    ("panic: runtime error: invalid memory address or nil pointer dereference", "null"),
    ("called `Option::unwrap()` on a `None` value", "null"),
    ("Object is possibly 'null'.", "null"),
    ("unsupported operand type(s) for +: 'int' and 'str'", "type"),
    ("Argument of type 'string' is not assignable to parameter of type 'number'.", "type"),
    ("cannot use x (variable of type int) as string value in assignment", "type"),
    ("ReferenceError: foo is not defined", "name"),
    ("cannot find value `y` in this scope", "name"),
    ("‘strng’ was not declared in this scope; did you mean ‘str’?", "name"),
    ("ModuleNotFoundError: No module named 'cv2'", "import"),
    ("Cannot find module './utils' or its corresponding type declarations.", "import"),
    ("fatal error: nothere.h: No such file or directory", "import"),
    ("panic: runtime error: index out of range [5] with length 3", "index"),
    ("index out of bounds: the len is 3 but the index is 5", "index"),
    ("coroutine 'main' was never awaited", "async"),
    ("fatal error: all goroutines are asleep - deadlock!", "async"),
    ("WARNING: DATA RACE", "async"),
    ("cannot borrow `v` as mutable because it is also borrowed as immutable", "memory"),
    ("Segmentation fault (core dumped)", "memory"),
    ("free(): double free detected in tcache 2", "memory"),
    ("FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory",
     "memory"),
    ("getaddrinfo ENOTFOUND api.example.com", "network"),
    ("dial tcp 127.0.0.1:6379: connect: connection refused", "network"),
    ("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer "
     "certificate (_ssl.c:1006)", "network"),
    ('relation "users" does not exist', "database"),
    ('psycopg2.errors.SyntaxError: syntax error at or near "FROM"', "database"),
    ("ER_NO_SUCH_TABLE: Table 'shop.users' doesn't exist", "database"),
    ("401 Client Error: Unauthorized for url: https://api.github.com/user", "auth"),
    ("fatal: Authentication failed for 'https://github.com/acme/app.git/'", "auth"),
    ("Environment variable OPENAI_API_KEY is not set", "config"),
    ("Cannot use JSX unless the '--jsx' flag is provided.", "config"),
    ("'foo' is declared but its value is never read.", "lint"),
    ("'lodash' imported but unused", "lint"),
    ("warning: use of deprecated function `foo`: use `bar` instead", "deprecation"),
    ("Possible hardcoded password: 'hunter2'", "security"),
]

# Nothing we recognise: a wrong category is worse than none.
UNRECOGNISED: list[tuple[str | None, str | None, str]] = [
    ("frobnicate", "FROB-001", "the frobnicator is misaligned"),
    ("acme-check", "ACME123", "Widget count 12 exceeds the quota of 10"),
    (None, None, ""),
    (None, None, "error"),
    (None, None, "   "),
    (None, None, "Something went wrong"),
    ("make", None, "*** [Makefile:12: all] Error 2"),
    ("ld", None, "ld returned 1 exit status"),
    ("python", "ValueError", "could not convert string to float: 'abc'"),
    ("python", "ZeroDivisionError", "division by zero"),
    ("python", "RecursionError", "maximum recursion depth exceeded"),
    ("python", "JSONDecodeError", "Expecting value: line 1 column 1 (char 0)"),
    (None, None, "Optional dependency 'rich' is not installed; falling back to plain output"),
    (None, None, "The config loader finished with 2 notes"),
    (None, None, "null"),
    ("mypy", "no-redef", 'Name "path" already defined (by an import)'),
    (None, "F401", "the frobnicator is misaligned"),  # F401 means nothing without its tool
    (None, "2304", "the frobnicator is misaligned"),  # nor does a bare number
    ("acme-check", None, "Timeout while waiting for the operator"),
]


def test_categories_include_every_category_template() -> None:
    assert len(set(CATEGORIES)) == len(CATEGORIES)
    assert {"deprecation", "security", "other"} <= set(CATEGORIES)
    templates = sorted((PACKAGE / "prompts").glob("category-*.txt"))
    assert len(templates) >= len(CATEGORIES) - 1  # every category but "other" has one
    for template in templates:
        header = template.read_text(encoding="utf-8").split("---", 1)[0]
        found = re.search(r"^categories:\s*(.+)$", header, re.MULTILINE)
        assert found is not None, template.name
        for category in re.split(r"[,\s]+", found[1].strip()):
            assert category in CATEGORIES, f"{template.name}: {category}"



@pytest.mark.parametrize("message, expected", MESSAGE_ONLY)
def test_message_alone(message: str, expected: str) -> None:
    assert classify(subject(message)) == expected


@pytest.mark.parametrize("source, code, message", UNRECOGNISED)
def test_unrecognised_is_other(source: str | None, code: str | None, message: str) -> None:
    assert classify(subject(message, source, code)) == "other"


@pytest.mark.parametrize("unit", [
    "Type 'null ", 'has incompatible type "None ', "expected `", "cannot find value `x ",
    "must be a", "_`", "Table '", "borrow ", "a",
])
def test_a_long_message_gets_the_category_of_a_short_one(unit: str) -> None:
    """Hostile repetitions (20 kB) are read to the end like short ones (timing:
    bench/text_speed.py)."""
    for source, code in ((None, None), ("mypy", "arg-type"), ("ts", "TS2322")):
        assert classify(subject(unit * (20_000 // len(unit)), source, code)) == classify(
            subject(unit * 3, source, code))
