# ruff: noqa: F405  (verbatim tool output has long lines; the samples come from one module)
"""dexter_ls.intake: one-line and multi-line tool reports (ruff, mypy, gcc, rustc, tsc...).

The samples are real output of the tools (paths moved under /home/dev/proj); go, clang,
lld and ld64 samples follow those tools' documented formats.
"""

from __future__ import annotations

import pytest

from dexter_ls.core.subject import Position, Range
from dexter_ls.intake.parse import parse_output
from tests.unit.intake_samples import *  # noqa: F403
from tests.unit.intake_support import Want, want
from tests.unit.test_intake_tracebacks import SYNTAX_IN_SCRIPT

LINE_FORMATS = [
    pytest.param(RUFF_CONCISE, None, [
        Want("s.py", 0, 6, "ruff", "invalid-syntax", SYNTAX_PARAM, "python"),
        Want("s.py", 0, 7, "ruff", "invalid-syntax", "Expected `)`, found newline", "python"),
        RUFF_F401, RUFF_B006, RUFF_F821,
    ], id="ruff-concise"),
    pytest.param(RUFF_FULL, "ruff", [
        RUFF_F401, RUFF_B006,
        Want("s.py", 0, 6, "ruff", "invalid-syntax", SYNTAX_PARAM, "python"),
    ], id="ruff-full"),
    pytest.param(RUFF_PYLINT_FORMAT, None, [
        Want("x.py", 0, 0, "ruff", "F401", "`os` imported but unused", "python", 2),
        Want("x.py", 8, 0, "ruff", "F821", "Undefined name `undefined_name`", "python", 2),
    ], id="ruff-pylint-format"),
    pytest.param(FLAKE8, "flake8", [
        Want("x.py", 0, 0, "flake8", "F401", "'os' imported but unused", "python", 2),
        Want("x.py", 4, 79, "flake8", "E501", "line too long (88 > 79 characters)", "python", 2),
    ], id="flake8"),
    pytest.param(FLAKE8, None, [
        Want("x.py", 0, 0, "ruff", "F401", "'os' imported but unused", "python", 2),
        Want("x.py", 4, 79, "ruff", "E501", "line too long (88 > 79 characters)", "python", 2),
    ], id="lint-codes-default-to-ruff"),
    pytest.param(PYLINT, "pylint", [
        Want("x.py", 0, 0, "pylint", "C0114", "Missing module docstring", "python", 2),
    ], id="pylint"),
    pytest.param(MYPY, "mypy", [
        Want("n.py", 6, 0, "mypy", "assignment", 'Incompatible types in assignment (expression '
             'has type "int", variable has type "str")', "python"),
        Want("x.py", 4, 0, "mypy", "return-value", MYPY_RETURN, "python"),
    ], id="mypy-notes-skipped"),
    pytest.param(MYPY_COLUMNS, None, [
        Want("x.py", 4, 11, "mypy", "return-value", MYPY_RETURN, "python"),
        Want("x.py", 8, 4, "mypy", "no-any-return",
             'Returning Any from function declared to return "int"', "python", 2),
    ], id="mypy-columns"),
    pytest.param(PYRIGHT, "pyright", [
        Want("/home/dev/proj/pr/x.py", 4, 11, "pyright", "reportReturnType",
             'Type "Literal[\'a\']" is not assignable to return type "int"\n'
             '  "Literal[\'a\']" is not assignable to "int"', "python"),
        Want("/home/dev/proj/pr/x.py", 7, 0, "pyright", "reportUndefinedVariable",
             '"foo" is not defined', "python"),
        Want("/home/dev/proj/pr/x.py", 7, 0, "pyright", "reportUnusedExpression",
             "Expression value is unused", "python", 2),
    ], id="pyright"),
    pytest.param(PYTHON_WARNING, "python", [
        Want("/home/dev/proj/w.py", 7, 0, "python", "DeprecationWarning",
             "old() is deprecated; use new()", "python", 2),
    ], id="python-warning"),
    pytest.param(GCC_C, "gcc", [
        Want("main.c", 6, 4, "gcc", None, "'x' undeclared (first use in this function)", "c"),
        Want("main.c", 7, 13, "gcc", "-Wformat=", "format '%d' expects argument of type 'int', "
             "but argument 2 has type 'char *'", "c", 2),
        Want("main.c", 5, 8, "gcc", "-Wunused-variable", "unused variable 'y'", "c", 2),
    ], id="gcc"),
    pytest.param(GCC_WERROR, None, [
        Want("main.c", 5, 8, "gcc", "-Wunused-variable", "unused variable 'y'", "c"),
    ], id="gcc-werror"),
    pytest.param(GXX, "g++", [
        Want("o.cpp", 6, 5, "gcc", None, "no matching function for call to 'f(int)'", "cpp"),
    ], id="g++-notes-skipped"),
    pytest.param(GCC_FATAL_UTF8, None, [
        Want("inc.c", 0, 9, "gcc", None, "nope.h: No such file or directory", "c"),
    ], id="gcc-fatal"),
    pytest.param(CLANG, "clang", [
        Want("main.c", 6, 4, "clang", None, "use of undeclared identifier 'x'", "c"),
        Want("main.c", 5, 8, "clang", "-Wunused-variable", "unused variable 'y'", "c", 2),
    ], id="clang"),
    pytest.param(LD, "gcc", [Want("link.c", 0, 0, "ld", None, UNDEFINED_FOO, "c")], id="ld"),
    pytest.param(LD_DEBUG_INFO, "gcc", [
        Want("/home/dev/proj/link.c", 1, 0, "ld", None, UNDEFINED_FOO, "c"),
    ], id="ld-with-line"),
    pytest.param(LD_ONE_LINE, None, [Want("main.c", 0, 0, "ld", None, UNDEFINED_FOO, "c")],
                 id="ld-one-line"),
    pytest.param(LD_MULTIPLE, "gcc", [
        Want("b.c", 0, 0, "ld", None, "multiple definition of `counter'; "
             "/tmp/ccA1k3Zs.o:a.c:(.bss+0x0): first defined here", "c"),
    ], id="ld-multiple-definition"),
    pytest.param(LLD, "clang", [
        Want("link.c", 1, 0, "ld", None, "undefined symbol: foo", "c"),
    ], id="lld"),
    pytest.param(LD64, "clang", [
        Want(None, 0, 0, "ld", None, "undefined symbol _foo for architecture arm64", "c"),
    ], id="ld64"),
    pytest.param(GO_BUILD, "go", [
        Want("./main.go", 4, 1, "go", None, "undefined: foo", "go"),
        Want("./main.go", 7, 1, "go", None, "declared and not used: x", "go"),
    ], id="go-build"),
    pytest.param(GO_VET, "vet", [
        Want("./main.go", 9, 1, "go vet", None,
             "fmt.Printf format %d has arg s of wrong type string", "go", 2),
    ], id="go-vet"),
    pytest.param(GO_VET_TYPE_ERROR, None, [
        Want("./main.go", 4, 1, "go vet", None, "undefined: foo", "go"),
    ], id="go-vet-type-error"),
    pytest.param(RUST_SHORT, "cargo", [
        Want("src/main.rs", 4, 21, "rustc", "E0382",
             "borrow of moved value: `v`: value borrowed here after move", "rust"),
        Want("src/main.rs", 1, 8, "rustc", None, "unused variable: `x`: help: if this is "
             "intentional, prefix it with an underscore: `_x`", "rust", 2),
    ], id="rustc-short"),
    pytest.param(RUST_LONG, "cargo", [
        Want("src/main.rs", 4, 21, "rustc", "E0382", "borrow of moved value: `v`", "rust"),
        Want("src/main.rs", 1, 8, "rustc", "unused_variables", "unused variable: `x`", "rust",
             2),
    ], id="rustc-long"),
    pytest.param(CLIPPY, "clippy", [
        Want("src/main.rs", 1, 4, "clippy", "clippy::needless_return",
             "unneeded `return` statement", "rust", 2),
    ], id="clippy-long"),
    pytest.param(ESLINT_UNIX, "eslint", [
        Want(APP_JS, 0, 6, "eslint", "no-unused-vars", ESLINT_X + ".", "javascript"),
        Want(APP_JS, 2, 6, "eslint", "eqeqeq", ESLINT_EQ + ".", "javascript", 2),
        Want(BROKEN_JS, 0, 6, "eslint", None, PARSING, "javascript"),
    ], id="eslint-unix"),
    pytest.param(ESLINT_COMPACT, None, [
        Want(APP_JS, 0, 6, "eslint", "no-unused-vars", ESLINT_X + ".", "javascript"),
        Want(APP_JS, 2, 6, "eslint", "eqeqeq", ESLINT_EQ + ".", "javascript", 2),
        Want(BROKEN_JS, 0, 6, "eslint", None, PARSING, "javascript"),
    ], id="eslint-compact"),
    pytest.param(ESLINT_STYLISH, "eslint", [
        Want(APP_JS, 0, 6, "eslint", "no-unused-vars", ESLINT_X, "javascript"),
        Want(APP_JS, 2, 6, "eslint", "eqeqeq", ESLINT_EQ, "javascript", 2),
        Want(BROKEN_JS, 0, 6, "eslint", None, PARSING, "javascript"),
    ], id="eslint-stylish"),
    pytest.param(TSC, "tsc", [
        Want("src/app.ts", 2, 6, "typescript", "TS2322", TS2322, "typescript"),
        Want("src/chain.ts", 3, 2, "typescript", "TS2345",
             "Argument of type '(n: number) => void' is not assignable to parameter of type "
             "'(s: string) => void'.\n  Types of parameters 'n' and 's' are incompatible.\n"
             "    Type 'string' is not assignable to type 'number'.", "typescript"),
    ], id="tsc"),
    pytest.param(TSC_PRETTY_COLOURED, None, [
        Want("src/app.ts", 2, 6, "typescript", "TS2322", TS2322, "typescript"),
    ], id="tsc-pretty-coloured"),
    pytest.param(TSC_NO_PATH, "tsc", [
        Want(None, 0, 0, "typescript", "TS5057", "Cannot find a tsconfig.json file at the "
             "specified directory: '.'.", "typescript"),
    ], id="tsc-without-file"),
]


@pytest.mark.parametrize(("text", "hint", "expected"), LINE_FORMATS)
def test_line_formats(text: str, hint: str | None, expected: list[Want]) -> None:
    subjects = parse_output(text, hint)
    assert [want(s) for s in subjects] == expected
    assert all(s.uri is None and s.snippet is None and not s.frames for s in subjects)


def test_mypy_end_column_is_exclusive() -> None:
    [first, _] = parse_output(MYPY_COLUMNS)
    assert first.diagnostic.range == Range(Position(4, 11), Position(4, 14))


def test_tool_hint_is_normalised() -> None:
    [subject] = parse_output(GXX, "/usr/bin/x86_64-linux-gnu-clang++-17")
    assert subject.diagnostic.source == "clang"
    [subject] = parse_output(FLAKE8.splitlines()[0], "flake8.exe")
    assert subject.diagnostic.source == "flake8"


def test_windows_paths() -> None:
    text = (
        "C:\\proj\\x.py:5: error: Name \"foo\" is not defined  [name-defined]\n"
        "src\\app.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.\n"
    )
    assert [(s.path, s.language, s.diagnostic.code) for s in parse_output(text)] == [
        ("C:\\proj\\x.py", "python", "name-defined"),
        ("src\\app.ts", "typescript", "TS2322"),
    ]


def test_mixed_formats_in_input_order() -> None:
    text = (
        "$ make check\n"
        + MYPY_COLUMNS
        + GCC_C
        + "some unrelated log line: all good\n"
        + SYNTAX_IN_SCRIPT
        + TSC
        + GO_BUILD
        + RUST_LONG
    )
    got = [(s.diagnostic.source, s.path, s.diagnostic.range.start.line) for s in parse_output(text)]
    assert got == [
        ("mypy", "x.py", 4), ("mypy", "x.py", 8),
        ("gcc", "main.c", 6), ("gcc", "main.c", 7), ("gcc", "main.c", 5),
        ("python", "/home/dev/proj/app/bad.py", 2),
        ("typescript", "src/app.ts", 2), ("typescript", "src/chain.ts", 3),
        ("go", "./main.go", 4), ("go", "./main.go", 7),
        ("rustc", "src/main.rs", 4), ("rustc", "src/main.rs", 1),
    ]


def test_duplicates_are_reported_once() -> None:
    line = "x.py:1:8: F401 [*] `os` imported but unused\n"
    assert len(parse_output(line + line + TSC + TSC)) == 3


@pytest.mark.parametrize("text", [
    "",
    "\n\n",
    "All checks passed!\n",
    "Success: no issues found in 3 source files\n",
    "2024-05-01 12:30:45: server started on port 8080\n",
    "x.py:3: in test_it\nwarning: `rs` (bin \"rs\") generated 1 warning\n",
    "[INFO] build finished\n[WARN] cache is cold\n",
    "error: could not compile `rs` (bin \"rs\") due to 1 previous error\n",
    "In file included from main.c:1:\n",
])
def test_unrecognised_text_gives_nothing(text: str) -> None:
    assert parse_output(text) == []
