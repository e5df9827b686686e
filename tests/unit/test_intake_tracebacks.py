# ruff: noqa: E501  (the samples are verbatim tool output, long lines included)
"""dexter_ls.intake: Python tracebacks.

The samples are real CPython output (paths moved under /home/dev/proj).
"""

from __future__ import annotations

from typing import NamedTuple

import pytest

from dexter_ls.core.subject import Position, Range
from dexter_ls.intake.parse import parse_output

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
