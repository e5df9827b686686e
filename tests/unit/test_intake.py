# ruff: noqa: E501  (the samples are verbatim tool output, long lines included)
"""dexter_ls.intake: recognising errors in tool output and in LSP JSON.

The samples are real output of the tools (paths moved under /home/dev/proj); go, clang,
lld and ld64 samples follow those tools' documented formats.
"""

from __future__ import annotations

import json
from typing import NamedTuple

import pytest

from dexter_ls.explain.subject import Position, Range, RelatedInfo, Subject
from dexter_ls.intake.parse import diagnostic_from_json, parse_output


class Want(NamedTuple):
    path: str | None
    line: int  # 0-based
    col: int  # 0-based
    source: str | None
    code: str | None
    message: str
    language: str | None
    severity: int | None = 1


def want(subject: Subject) -> Want:
    diag = subject.diagnostic
    start = diag.range.start
    return Want(subject.path, start.line, start.character, diag.source, diag.code, diag.message,
                subject.language, diag.severity)


# --- Python tracebacks -------------------------------------------------------------------

JSON_DECODE = """\
Traceback (most recent call last):
  File "/home/dev/proj/app/main.py", line 14, in <module>
    main()
  File "/home/dev/proj/app/main.py", line 10, in main
    return load("")
           ^^^^^^^^
  File "/home/dev/proj/app/main.py", line 5, in load
    data = json.loads(raw)
           ^^^^^^^^^^^^^^^
  File "/root/.pyenv/versions/3.11.7/lib/python3.11/json/__init__.py", line 346, in loads
    return _default_decoder.decode(s)
           ^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/root/.pyenv/versions/3.11.7/lib/python3.11/json/decoder.py", line 337, in decode
    obj, end = self.raw_decode(s, idx=_w(s, 0).end())
               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/root/.pyenv/versions/3.11.7/lib/python3.11/json/decoder.py", line 355, in raw_decode
    raise JSONDecodeError("Expecting value", s, err.value) from None
json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)
"""

DIRECT_CAUSE = """\
Traceback (most recent call last):
  File "/home/dev/proj/app/chain.py", line 3, in lookup
    return d[k]
           ~^^^
KeyError: 'a'

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/home/dev/proj/app/chain.py", line 15, in <module>
    lookup({}, "a") if __import__("sys").argv[1:] == ["a"] else other()
    ^^^^^^^^^^^^^^^
  File "/home/dev/proj/app/chain.py", line 5, in lookup
    raise ValueError(f"no such key: {k}") from exc
ValueError: no such key: a
"""

DURING_HANDLING = """\
Traceback (most recent call last):
  File "/home/dev/proj/app/chain.py", line 10, in other
    1 / 0
    ~~^~~
ZeroDivisionError: division by zero

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/home/dev/proj/app/chain.py", line 15, in <module>
    lookup({}, "a") if __import__("sys").argv[1:] == ["a"] else other()
                                                                ^^^^^^^
  File "/home/dev/proj/app/chain.py", line 12, in other
    raise RuntimeError
RuntimeError
"""

SYNTAX_ON_IMPORT = """\
Traceback (most recent call last):
  File "<string>", line 1, in <module>
  File "/home/dev/proj/app/bad.py", line 3
    def f(:
          ^
SyntaxError: invalid syntax
"""

SYNTAX_IN_SCRIPT = """\
  File "/home/dev/proj/app/bad.py", line 3
    def f(:
          ^
SyntaxError: invalid syntax
"""

MULTI_LINE_CAUSE = """\
Traceback (most recent call last):
  File "/home/dev/proj/ml.py", line 8, in <module>
    check("80a")
  File "/home/dev/proj/ml.py", line 3, in check
    raise ValueError(f"bad port {port!r}\\nexpected digits only")
ValueError: bad port '80a'
expected digits only

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/home/dev/proj/ml.py", line 10, in <module>
    raise KeyError("port") from exc
KeyError: 'port'
"""

RECURSION = """\
Traceback (most recent call last):
  File "/home/dev/proj/rec.py", line 5, in <module>
    f(1)
  File "/home/dev/proj/rec.py", line 2, in f
    return f(n + 1)
           ^^^^^^^^
  File "/home/dev/proj/rec.py", line 2, in f
    return f(n + 1)
           ^^^^^^^^
  File "/home/dev/proj/rec.py", line 2, in f
    return f(n + 1)
           ^^^^^^^^
  [Previous line repeated 996 more times]
RecursionError: maximum recursion depth exceeded
"""

SITE_PACKAGES = """\
Traceback (most recent call last):
  File "/home/dev/proj/fetch.py", line 4, in <module>
    httpx.get("http://localhost:1")
  File "/home/dev/proj/.venv/lib/python3.12/site-packages/httpx/_api.py", line 195, in get
    return request(
           ^^^^^^^^
  File "/home/dev/proj/.venv/lib/python3.12/site-packages/httpx/_transports/default.py", line 118, in map_httpcore_exceptions
    raise mapped_exc(message) from exc
httpx.ConnectError: [Errno 111] Connection refused
"""

ONLY_LIBRARY = """\
Traceback (most recent call last):
  File "<frozen runpy>", line 198, in _run_module_as_main
  File "<frozen runpy>", line 88, in _run_code
  File "/usr/lib/python3.12/json/tool.py", line 85, in main
    raise SystemExit(e)
SystemExit: Expecting value: line 1 column 1 (char 0)
"""


class TB(NamedTuple):
    path: str
    line: int  # 0-based
    col: int
    code: str
    message: str
    frames: int
    function: str | None  # of the chosen frame


TRACEBACKS = [
    pytest.param(JSON_DECODE, TB("/home/dev/proj/app/main.py", 4, 0, "JSONDecodeError",
                                 "Expecting value: line 1 column 1 (char 0)", 6, "load"),
                 id="qualified-exception-stdlib-frames-skipped"),
    pytest.param(DIRECT_CAUSE, TB("/home/dev/proj/app/chain.py", 4, 0, "ValueError",
                                  "no such key: a", 2, "lookup"), id="direct-cause"),
    pytest.param(DURING_HANDLING, TB("/home/dev/proj/app/chain.py", 11, 0, "RuntimeError",
                                     "RuntimeError", 2, "other"), id="during-handling-no-message"),
    pytest.param(MULTI_LINE_CAUSE, TB("/home/dev/proj/ml.py", 9, 0, "KeyError", "'port'", 1,
                                      "<module>"), id="cause-with-multi-line-message"),
    pytest.param(SYNTAX_ON_IMPORT, TB("/home/dev/proj/app/bad.py", 2, 6, "SyntaxError",
                                      "invalid syntax", 2, None), id="syntax-error-with-header"),
    pytest.param(SYNTAX_IN_SCRIPT, TB("/home/dev/proj/app/bad.py", 2, 6, "SyntaxError",
                                      "invalid syntax", 1, None), id="syntax-error-no-header"),
    pytest.param(RECURSION, TB("/home/dev/proj/rec.py", 1, 0, "RecursionError",
                               "maximum recursion depth exceeded", 4, "f"), id="repeated-frames"),
    pytest.param(SITE_PACKAGES, TB("/home/dev/proj/fetch.py", 3, 0, "ConnectError",
                                   "[Errno 111] Connection refused", 3, "<module>"),
                 id="site-packages-skipped"),
    pytest.param(ONLY_LIBRARY, TB("/usr/lib/python3.12/json/tool.py", 84, 0, "SystemExit",
                                  "Expecting value: line 1 column 1 (char 0)", 3, "main"),
                 id="all-library-falls-back-to-last"),
]


@pytest.mark.parametrize(("text", "expected"), TRACEBACKS)
def test_python_traceback(text: str, expected: TB) -> None:
    [subject] = parse_output(text)
    diag = subject.diagnostic
    chosen = [f for f in subject.frames
              if f.path == subject.path and f.line == diag.range.start.line + 1]
    assert chosen, "the location is one of the frames"
    got = TB(subject.path or "", diag.range.start.line, diag.range.start.character, diag.code or "",
             diag.message, len(subject.frames), chosen[-1].function)
    assert got == expected
    assert (diag.source, diag.severity, subject.language) == ("python", 1, "python")
    assert subject.uri is None and subject.snippet is None


def test_traceback_frames_keep_function_and_source_line() -> None:
    [subject] = parse_output(JSON_DECODE)
    first, *_, last = subject.frames
    assert (first.path, first.line, first.function, first.text) == (
        "/home/dev/proj/app/main.py", 14, "<module>", "main()")
    assert (last.line, last.function) == (355, "raw_decode")
    assert last.text == 'raise JSONDecodeError("Expecting value", s, err.value) from None'


def test_syntax_error_range_spans_the_carets() -> None:
    [subject] = parse_output(SYNTAX_ON_IMPORT)
    assert subject.diagnostic.range == Range(Position(2, 6), Position(2, 7))
    assert [f.path for f in subject.frames] == ["<string>", "/home/dev/proj/app/bad.py"]


def test_two_tracebacks_in_one_log_are_two_subjects() -> None:
    subjects = parse_output("starting\n" + JSON_DECODE + "retrying\n" + RECURSION)
    assert [s.diagnostic.code for s in subjects] == ["JSONDecodeError", "RecursionError"]


# --- one diagnostic per line, and multi-line reports ---------------------------------------

RUFF_CONCISE = """\
s.py:1:7: invalid-syntax: Expected a parameter or the end of the parameter list
s.py:1:8: invalid-syntax: Expected `)`, found newline
x.py:1:8: F401 [*] `os` imported but unused
x.py:8:9: B006 Do not use mutable data structures for argument defaults
x.py:9:12: F821 Undefined name `undefined_name`
Found 5 errors.
[*] 1 fixable with `--fix` (1 unsafe fix available with `--fix --unsafe-fixes`).
"""

RUFF_FULL = """\
F401 [*] `os` imported but unused
 --> x.py:1:8
  |
1 | import os
  |        ^^
help: Remove unused import: `os`
  |
  - import os
1 |
  |

B006 Do not use mutable data structures for argument defaults
 --> x.py:8:9
  |
8 | def g(x=[]):
  |         ^^
9 |     return undefined_name
  |
help: Replace with `None`; initialize within function
   |
7  |
   - def g(x=[]):
8  + def g(x=None):
9  +     if x is None:
10 +         x = []
11 |     return undefined_name
   |
note: This is an unsafe fix and may change runtime behavior

invalid-syntax: Expected a parameter or the end of the parameter list
 --> s.py:1:7
  |
1 | def f(:
  |       ^
2 |     pass
  |

Found 3 errors.
[*] 1 fixable with `--fix` (1 unsafe fix available with `--fix --unsafe-fixes`).
"""

RUFF_PYLINT_FORMAT = """\
x.py:1: [F401] `os` imported but unused
x.py:9: [F821] Undefined name `undefined_name`
"""

FLAKE8 = """\
x.py:1:1: F401 'os' imported but unused
x.py:5:80: E501 line too long (88 > 79 characters)
"""

PYLINT = """\
************* Module x
x.py:1:0: C0114: Missing module docstring (missing-module-docstring)
"""

MYPY = """\
n.py:6: note: Revealed type is "int"
n.py:7: error: Incompatible types in assignment (expression has type "int", variable has type "str")  [assignment]
x.py:5: error: Incompatible return value type (got "str", expected "int")  [return-value]
Found 2 errors in 2 files (checked 2 source files)
"""

MYPY_COLUMNS = """\
x.py:5:12:5:14: error: Incompatible return value type (got "str", expected "int")  [return-value]
x.py:9:5: warning: Returning Any from function declared to return "int"  [no-any-return]
Found 1 error in 1 file (checked 1 source file)
"""

PYRIGHT = (
    "/home/dev/proj/pr/x.py\n"
    '  /home/dev/proj/pr/x.py:5:12 - error: Type "Literal[\'a\']" is not assignable to return type "int"\n'
    '  \xa0\xa0"Literal[\'a\']" is not assignable to "int" (reportReturnType)\n'
    '  /home/dev/proj/pr/x.py:8:1 - error: "foo" is not defined (reportUndefinedVariable)\n'
    "  /home/dev/proj/pr/x.py:8:1 - warning: Expression value is unused (reportUnusedExpression)\n"
    "2 errors, 1 warning, 0 informations\n"
)

PYTHON_WARNING = """\
/home/dev/proj/w.py:8: DeprecationWarning: old() is deprecated; use new()
  old()
"""

GCC_C = r"""main.c: In function 'main':
main.c:7:5: error: 'x' undeclared (first use in this function)
    7 |     x = 1;
      |     ^
main.c:7:5: note: each undeclared identifier is reported only once for each function it appears in
main.c:8:14: warning: format '%d' expects argument of type 'int', but argument 2 has type 'char *' [-Wformat=]
    8 |     printf("%d\n", "s");
      |             ~^     ~~~
      |              |     |
      |              int   char *
      |             %s
main.c:6:9: warning: unused variable 'y' [-Wunused-variable]
    6 |     int y;
      |         ^
"""

GCC_WERROR = r"""main.c: In function 'main':
main.c:6:9: error: unused variable 'y' [-Werror=unused-variable]
    6 |     int y;
      |         ^
cc1: all warnings being treated as errors
"""

GXX = """\
o.cpp: In function 'int main()':
o.cpp:7:6: error: no matching function for call to 'f(int)'
    7 |     f(1);
      |     ~^~~
o.cpp:3:6: note: candidate: 'void f(const std::string&)'
    3 | void f(const std::string& s);
      |      ^
o.cpp:4:6: note:   candidate expects 2 arguments, 1 provided
"""

GCC_FATAL_UTF8 = """\
inc.c:1:10: fatal error: nope.h: No such file or directory
    1 | #include "nope.h"
      |          ^~~~~~~~
compilation terminated.
"""

CLANG = """\
main.c:7:5: error: use of undeclared identifier 'x'
    7 |     x = 1;
      |     ^
main.c:6:9: warning: unused variable 'y' [-Wunused-variable]
    6 |     int y;
      |         ^
1 warning and 1 error generated.
"""

LD = """\
/usr/bin/ld: /tmp/ccgYMf1T.o: in function `main':
link.c:(.text+0x5): undefined reference to `foo'
collect2: error: ld returned 1 exit status
"""

LD_DEBUG_INFO = """\
/usr/bin/ld: /tmp/ccGzAPKN.o: in function `main':
/home/dev/proj/link.c:2: undefined reference to `foo'
collect2: error: ld returned 1 exit status
"""

LD_MULTIPLE = (
    "/usr/bin/ld: /tmp/ccB2x9Qa.o:b.c:(.bss+0x0): multiple definition of `counter'; "
    "/tmp/ccA1k3Zs.o:a.c:(.bss+0x0): first defined here\n"
    "collect2: error: ld returned 1 exit status\n"
)

LD_ONE_LINE = "/usr/bin/ld: main.o: in function `main': main.c:(.text+0x1e): undefined reference to `foo'\n"

LLD = """\
ld.lld: error: undefined symbol: foo
>>> referenced by link.c:2
>>>               /tmp/link-5b1c2e.o:(main)
clang: error: linker command failed with exit code 1 (use -v to see invocation)
"""

LD64 = """\
Undefined symbols for architecture arm64:
  "_foo", referenced from:
      _main in link-5b1c2e.o
ld: symbol(s) not found for architecture arm64
clang: error: linker command failed with exit code 1 (use -v to see invocation)
"""

GO_BUILD = """\
# example.com/hello
./main.go:5:2: undefined: foo
./main.go:8:2: declared and not used: x
"""

GO_VET = """\
# example.com/hello
# [example.com/hello]
./main.go:10:2: fmt.Printf format %d has arg s of wrong type string
"""

GO_VET_TYPE_ERROR = """\
# example.com/hello
vet: ./main.go:5:2: undefined: foo
"""

RUST_SHORT = """\
   Compiling rs v0.1.0 (/home/dev/proj/rs)
src/main.rs:5:22: error[E0382]: borrow of moved value: `v`: value borrowed here after move
src/main.rs:2:9: warning: unused variable: `x`: help: if this is intentional, prefix it with an underscore: `_x`
warning: `rs` (bin "rs") generated 1 warning
error: could not compile `rs` (bin "rs") due to 1 previous error; 1 warning emitted
"""

RUST_LONG = """\
   Compiling rs v0.1.0 (/home/dev/proj/rs)
error[E0382]: borrow of moved value: `v`
 --> src/main.rs:5:22
  |
3 |     let v = vec![1, 2, 3];
  |         - move occurs because `v` has type `Vec<i32>`, which does not implement the `Copy` trait
4 |     let w = v;
  |             - value moved here
5 |     println!("{:?}", v);
  |                      ^ value borrowed here after move
  |
help: consider cloning the value if the performance cost is acceptable
  |
4 |     let w = v.clone();
  |              ++++++++

warning: unused variable: `x`
 --> src/main.rs:2:9
  |
2 |     let x = 5;
  |         ^ help: if this is intentional, prefix it with an underscore: `_x`
  |
  = note: `#[warn(unused_variables)]` (part of `#[warn(unused)]`) on by default

For more information about this error, try `rustc --explain E0382`.
warning: `rs` (bin "rs") generated 1 warning
error: could not compile `rs` (bin "rs") due to 1 previous error; 1 warning emitted
"""

CLIPPY = """\
    Checking rs v0.1.0 (/home/dev/proj/rs)
warning: unneeded `return` statement
 --> src/main.rs:2:5
  |
2 |     return a + b;
  |     ^^^^^^^^^^^^
  |
  = help: for further information visit https://rust-lang.github.io/rust-clippy/rust-1.95.0/index.html#needless_return
  = note: `#[warn(clippy::needless_return)]` on by default
help: remove `return`
  |
2 -     return a + b;
2 +     a + b
  |

warning: `rs` (bin "rs") generated 1 warning (run `cargo clippy --fix --bin "rs" -p rs -- ` to apply 1 suggestion)
"""

ESLINT_UNIX = """\
/home/dev/proj/app.js:1:7: 'x' is assigned a value but never used. [Error/no-unused-vars]
/home/dev/proj/app.js:3:7: Expected '===' and instead saw '=='. [Warning/eqeqeq]
/home/dev/proj/broken.js:1:7: Parsing error: Unexpected token = [Error]

3 problems
"""

ESLINT_COMPACT = """\
/home/dev/proj/app.js: line 1, col 7, Error - 'x' is assigned a value but never used. (no-unused-vars)
/home/dev/proj/app.js: line 3, col 7, Warning - Expected '===' and instead saw '=='. (eqeqeq)
/home/dev/proj/broken.js: line 1, col 7, Error - Parsing error: Unexpected token =

3 problems
"""

ESLINT_STYLISH = """\

/home/dev/proj/app.js
  1:7   error    'x' is assigned a value but never used  no-unused-vars
  3:7   warning  Expected '===' and instead saw '=='     eqeqeq

/home/dev/proj/broken.js
  1:7  error  Parsing error: Unexpected token =

\u2716 3 problems (2 errors, 1 warning)

"""

TSC = """\
src/app.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.
src/chain.ts(4,3): error TS2345: Argument of type '(n: number) => void' is not assignable to parameter of type '(s: string) => void'.
  Types of parameters 'n' and 's' are incompatible.
    Type 'string' is not assignable to type 'number'.
"""

TSC_PRETTY_COLOURED = (
    "\x1b[96msrc/app.ts\x1b[0m:\x1b[93m3\x1b[0m:\x1b[93m7\x1b[0m - \x1b[91merror\x1b[0m"
    "\x1b[90m TS2322: \x1b[0mType 'string' is not assignable to type 'number'.\n"
    "\n"
    "\x1b[7m3\x1b[0m const x: number = \"a\";\n"
    "\x1b[7m \x1b[0m \x1b[91m      ~\x1b[0m\n"
    "\n"
    "  \x1b[96msrc/app.ts\x1b[0m:\x1b[93m1\x1b[0m:\x1b[93m28\x1b[0m\n"
    "    \x1b[7m1\x1b[0m interface Foo { a: string; b: number }\n"
    "    'b' is declared here.\n"
    "\n"
    "\n"
    "Found 1 error in src/app.ts\x1b[90m:3\x1b[0m\n"
)

TSC_NO_PATH = "error TS5057: Cannot find a tsconfig.json file at the specified directory: '.'.\n"

RUFF_F401 = Want("x.py", 0, 7, "ruff", "F401", "`os` imported but unused", "python", 2)
RUFF_B006 = Want("x.py", 7, 8, "ruff", "B006",
                 "Do not use mutable data structures for argument defaults", "python", 2)
RUFF_F821 = Want("x.py", 8, 11, "ruff", "F821", "Undefined name `undefined_name`", "python", 2)
SYNTAX_PARAM = "Expected a parameter or the end of the parameter list"
MYPY_RETURN = 'Incompatible return value type (got "str", expected "int")'
ESLINT_X = "'x' is assigned a value but never used"
ESLINT_EQ = "Expected '===' and instead saw '=='"
PARSING = "Parsing error: Unexpected token ="
APP_JS, BROKEN_JS = "/home/dev/proj/app.js", "/home/dev/proj/broken.js"
TS2322 = "Type 'string' is not assignable to type 'number'."
UNDEFINED_FOO = "undefined reference to `foo'"

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
