"""One-line diagnostics: `path:line[:col]: ...` (ruff, flake8, mypy, gcc/clang, go, rustc short,
eslint unix), tsc, pyright, eslint compact and GNU ld; the tool is told from the line's shape."""

from __future__ import annotations

import re
from collections.abc import Sequence

from dexter_ls.core.languages import language_for_path
from dexter_ls.core.subject import Position, Subject
from dexter_ls.intake.common import (
    ERROR,
    WARNING,
    Step,
    c_compiler,
    make_subject,
    severity_of,
    to_int,
)

# A path as tools print it: a Windows drive is the only colon allowed; spaces are allowed inside.
PATH = r"(?P<path>(?:[A-Za-z]:[\\/])?[^\s:\"<>|][^:\"<>|]*?)"

_COLON = re.compile(
    rf"^(?P<vet>vet: )?{PATH}:(?P<line>\d+)(?::(?P<col>\d+))?"
    r"(?::(?P<eline>\d+):(?P<ecol>\d+))?: (?P<rest>\S.*)$")
_SEVERITY = re.compile(
    r"^(?P<sev>fatal error|error|warning|note|remark|info|help)"
    r"(?:\[(?P<code>[^\]\s]+)\])?: (?P<msg>.+)$")
_MYPY_CODE = re.compile(r" \[(?P<code>[a-z][a-z0-9-]*)\]$")
_C_FLAG = re.compile(r" \[(?P<code>-[\w=+,-]+)\]$")
_LINT = re.compile(r"^(?P<code>[A-Z]+[0-9]+) (?:\[\*\] )?(?P<msg>.+)$")
_LINT_BRACKETED = re.compile(r"^\[(?P<code>[A-Z]+[0-9]+)\] (?P<msg>.+)$")  # ruff --format pylint
_PYLINT = re.compile(r"^(?P<code>[CRWEFI]\d{4}): (?P<msg>.+?)(?: \([a-z0-9-]+\))?$")
_LINT_SYNTAX = re.compile(r"^(?P<code>invalid-syntax|SyntaxError): (?P<msg>.+)$")
_PY_WARNING = re.compile(r"^(?P<code>[A-Z]\w*Warning): (?P<msg>.+)$")
_ESLINT_UNIX = re.compile(
    r"^(?P<msg>.+?) \[(?P<sev>Error|Warning)(?:/(?P<rule>[@\w./-]+))?\]$")

_TSC_PAREN = re.compile(
    rf"^{PATH}\((?P<line>\d+),(?P<col>\d+)\): "
    r"(?P<sev>error|warning|message|suggestion) TS(?P<code>\d+): (?P<msg>.*)$")
_TSC_PRETTY = re.compile(
    rf"^{PATH}:(?P<line>\d+):(?P<col>\d+) - "
    r"(?P<sev>error|warning|message|suggestion) TS(?P<code>\d+): (?P<msg>.*)$")
_TSC_GLOBAL = re.compile(r"^(?P<sev>error|warning) TS(?P<code>\d+): (?P<msg>.*)$")
_PYRIGHT = re.compile(
    rf"^\s*{PATH}:(?P<line>\d+):(?P<col>\d+) - "
    r"(?P<sev>error|warning|information): (?P<msg>.*)$")
_PYRIGHT_RULE = re.compile(r" \((?P<rule>report[A-Za-z]+)\)$")
_ESLINT_COMPACT = re.compile(
    rf"^{PATH}: line (?P<line>\d+), col (?P<col>\d+), (?P<sev>Error|Warning) - "
    r"(?P<msg>.+?)(?: \((?P<rule>[@\w./-]+)\))?$")
_LD = re.compile(
    r"^(?:(?:\S*[\\/])?(?:ld|ld\.bfd|ld\.gold|collect2)(?:\.exe)?: "
    r"(?:[^:]+: in function [`'‘][^']*['’]:\s*)?)?"
    r"(?:[^\s:]+\.o(?:bj)?:)?(?P<path>[^\s:()]+):(?:(?P<line>\d+):?)?(?:\([^)]*\))?: "
    r"(?P<msg>(?:undefined reference to|multiple definition of) .+)$")

_PYTHON_LINTERS = {"ruff", "flake8", "pylint", "pycodestyle", "pyflakes"}
_C_DRIVERS = {"gcc", "g++", "cc", "c++", "clang", "clang++", "make", "cmake", "ninja"}


def parse_tsc(lines: Sequence[str], i: int, hint: str | None) -> Step | None:
    found = _TSC_PAREN.match(lines[i]) or _TSC_PRETTY.match(lines[i])
    if found is None:
        found = _TSC_GLOBAL.match(lines[i])
        if found is None:
            return None
    extra, after = _continuation(lines, i + 1, strip=0)
    path = found.groupdict().get("path")
    subject = make_subject(
        path, to_int(found.groupdict().get("line")), to_int(found.groupdict().get("col")),
        "\n".join([found["msg"], *extra]), source="typescript", code=f"TS{found['code']}",
        severity=severity_of(found["sev"]), hint=hint,
    )
    return [subject], after


def parse_pyright(lines: Sequence[str], i: int, hint: str | None) -> Step | None:
    found = _PYRIGHT.match(lines[i])
    if found is None:
        return None
    extra, after = _continuation(lines, i + 1, strip=2)
    message = "\n".join([found["msg"], *extra])
    rule = _PYRIGHT_RULE.search(message)
    if rule:
        message = message[: rule.start()]
    source = hint if hint == "basedpyright" else "pyright"
    subject = make_subject(
        found["path"], int(found["line"]), int(found["col"]), message, source=source,
        code=rule["rule"] if rule else None, severity=severity_of(found["sev"]),
    )
    return [subject], after


def parse_eslint_compact(lines: Sequence[str], i: int, hint: str | None) -> Step | None:
    found = _ESLINT_COMPACT.match(lines[i])
    if found is None:
        return None
    subject = make_subject(
        found["path"], int(found["line"]), int(found["col"]), found["msg"], source="eslint",
        code=found["rule"], severity=severity_of(found["sev"]),
    )
    return [subject], i + 1


def parse_ld(lines: Sequence[str], i: int, hint: str | None) -> Step | None:
    found = _LD.match(lines[i])
    if found is None:
        return None
    path = found["path"] if language_for_path(found["path"]) else None
    subject = make_subject(path, to_int(found["line"]), None, found["msg"], source="ld",
                           hint=hint)
    return [subject], i + 1


def parse_colon(lines: Sequence[str], i: int, hint: str | None) -> Step | None:
    """`path:line[:col[:end_line:end_col]]: rest`, the tool told from `rest` and the path."""
    found = _COLON.match(lines[i])
    if found is None:
        return None
    subjects = _classify(found, hint)
    return None if subjects is None else (subjects, i + 1)


def _classify(found: re.Match[str], hint: str | None) -> list[Subject] | None:
    """The subjects of one line ([] for a context line such as a note), None if not ours."""
    path, rest = found["path"], found["rest"]
    language = language_for_path(path)
    where = (path, int(found["line"]), to_int(found["col"]))
    end = _end(found)
    if found["vet"] or language == "go":
        vet = bool(found["vet"]) or hint == "vet"
        return [make_subject(*where, rest, source="go vet" if vet else "go",
                             severity=WARNING if vet and not found["vet"] else ERROR)]
    severity = _SEVERITY.match(rest)
    if severity:
        return _severity_line(severity, where, end, language, hint)
    unix = _ESLINT_UNIX.match(rest)
    if unix:
        return [make_subject(*where, unix["msg"], source="eslint", code=unix["rule"],
                             severity=severity_of(unix["sev"]), end=end)]
    if language == "python" or path.endswith(".ipynb") or hint in _PYTHON_LINTERS:
        subject = _python_line(rest, where, end, hint)
        return [subject] if subject else None
    return None


def _severity_line(
    found: re.Match[str], where: tuple[str, int, int | None], end: Position | None,
    language: str | None, hint: str | None,
) -> list[Subject]:
    if found["sev"] in ("note", "remark", "info", "help"):
        return []
    severity = severity_of(found["sev"])
    message = found["msg"]
    if language == "python":
        tail = _MYPY_CODE.search(message)
        return [make_subject(*where, message[: tail.start()] if tail else message,
                             source="dmypy" if hint == "dmypy" else "mypy",
                             code=tail["code"] if tail else None, severity=severity, end=end)]
    if language == "rust":
        return [make_subject(*where, message, source="clippy" if hint == "clippy" else "rustc",
                             code=found["code"], severity=severity, end=end)]
    flag = _C_FLAG.search(message)
    code = flag["code"].split(",")[-1].replace("-Werror=", "-W") if flag else found["code"]
    c_like = language in ("c", "cpp") or hint is None or hint in _C_DRIVERS
    return [make_subject(*where, message[: flag.start()] if flag else message,
                         source=c_compiler(hint) if c_like else hint, code=code,
                         severity=severity, end=end, hint=hint)]


def _python_line(
    rest: str, where: tuple[str, int, int | None], end: Position | None, hint: str | None,
) -> Subject | None:
    tool = hint if hint in _PYTHON_LINTERS else "ruff"
    lint = _LINT.match(rest) or _LINT_BRACKETED.match(rest)
    if lint:
        severity = ERROR if lint["code"].startswith("E9") else WARNING
        return make_subject(*where, lint["msg"], source=tool, code=lint["code"],
                            severity=severity, end=end)
    pylint = _PYLINT.match(rest)
    if pylint:  # pylint counts columns from 0
        path, line, col = where
        return make_subject(path, line, (col or 0) + 1, pylint["msg"], source="pylint",
                            code=pylint["code"], severity=WARNING)
    syntax = _LINT_SYNTAX.match(rest)
    if syntax:
        code = syntax["code"] if syntax["code"] != "SyntaxError" else None
        return make_subject(*where, syntax["msg"], source=tool, code=code, end=end)
    warning = _PY_WARNING.match(rest)
    if warning:
        return make_subject(*where, warning["msg"], source="python", code=warning["code"],
                            severity=WARNING)
    return None


def _end(found: re.Match[str]) -> Position | None:
    """mypy --show-error-end prints an inclusive 1-based end column: exclusive 0-based."""
    if found["eline"] is None:
        return None
    return Position(int(found["eline"]) - 1, int(found["ecol"]))


def _continuation(lines: Sequence[str], j: int, strip: int) -> tuple[list[str], int]:
    """Indented lines that continue a message (tsc chains, pyright addenda)."""
    extra: list[str] = []
    while j < len(lines) and lines[j][:1].isspace() and lines[j].strip():
        if _PYRIGHT.match(lines[j]):
            break
        text = lines[j].replace("\xa0", " ").rstrip()
        extra.append(text[strip:] if text[:strip].isspace() else text)
        j += 1
    return extra, j
