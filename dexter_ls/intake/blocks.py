"""Diagnostics spread over several lines: rustc's human form and ruff's full form (a header, then
` --> path:line:col`), eslint's default "stylish" form, and the lld / macOS ld linker reports."""

from __future__ import annotations

import re
from collections.abc import Sequence

from dexter_ls.core.languages import language_for_path
from dexter_ls.core.subject import Subject
from dexter_ls.intake.common import ERROR, WARNING, Step, make_subject, severity_of, to_int

_RUST_HEAD = re.compile(r"^(?P<sev>error|warning)(?:\[(?P<code>[\w:-]+)\])?: (?P<msg>.+)$")
_LINT_HEAD = re.compile(
    r"^(?:(?P<code>[A-Z]+[0-9]+) (?:\[\*\] )?|(?P<syntax>invalid-syntax|SyntaxError): )"
    r"(?P<msg>.+)$")
_ARROW = re.compile(r"^\s*--> (?P<path>.+?):(?P<line>\d+)(?::(?P<col>\d+))?\s*$")
_LINT_ATTRIBUTE = re.compile(r"#\[(?:warn|deny|forbid)\((?P<lint>[\w:]+)\)\]")

_STYLISH_ROW = re.compile(
    r"^\s+(?P<line>\d+):(?P<col>\d+)\s+(?P<sev>error|warning)\s+(?P<rest>\S.*)$")
_RULE = re.compile(r"[@\w./-]+")

_LLD_HEAD = re.compile(r"^(?:\S*[\\/])?(?:ld\.lld|lld|ld64\.lld)(?:\.exe)?: error: (?P<msg>.+)$")
_LLD_WHERE = re.compile(
    r"^>>> (?:referenced by|defined at) (?P<path>[^\s:()]+)(?::(?P<line>\d+))?(?:\s|$)")
_LD64_HEAD = re.compile(r"^Undefined symbols for architecture (?P<arch>\S+):\s*$")
_LD64_SYMBOL = re.compile(r'^\s+"(?P<symbol>[^"]+)", referenced from:\s*$')


def parse_arrow_block(lines: Sequence[str], i: int, hint: str | None) -> Step | None:
    """`error[E0382]: msg` / `F401 [*] msg` with the location on the next line."""
    if not _is_arrow_head(lines, i):
        return None
    arrow = _ARROW.match(lines[i + 1])
    assert arrow is not None
    end = _block_end(lines, i + 2)
    where = (arrow["path"], int(arrow["line"]), to_int(arrow["col"]))
    head = lines[i].rstrip()
    rust = _RUST_HEAD.match(head)
    if rust:
        code = rust["code"] or _lint_attribute(lines[i + 2 : end])
        source = _arrow_source(arrow["path"], code, hint)
        subject = make_subject(*where, rust["msg"], source=source, code=code,
                               severity=severity_of(rust["sev"]), hint=hint)
        return [subject], end
    lint = _LINT_HEAD.match(head)
    assert lint is not None
    code = lint["code"] or (lint["syntax"] if lint["syntax"] == "invalid-syntax" else None)
    syntax = lint["syntax"] is not None or (code or "").startswith("E9")
    subject = make_subject(*where, lint["msg"], source=hint if hint == "flake8" else "ruff",
                           code=code, severity=ERROR if syntax else WARNING)
    return [subject], end


def _is_arrow_head(lines: Sequence[str], i: int) -> bool:
    if i + 1 >= len(lines) or not _ARROW.match(lines[i + 1]):
        return False
    head = lines[i].rstrip()
    return bool(_RUST_HEAD.match(head) or _LINT_HEAD.match(head))


def _block_end(lines: Sequence[str], j: int) -> int:
    """The end of a block: a blank line, or the next block's header."""
    while j < len(lines) and lines[j].strip() and not _is_arrow_head(lines, j):
        j += 1
    return j


def _lint_attribute(body: Sequence[str]) -> str | None:
    """rustc names the lint of a warning in a note: `#[warn(unused_variables)]` on by default."""
    for line in body:
        found = _LINT_ATTRIBUTE.search(line)
        if found:
            return found["lint"]
    return None


def _arrow_source(path: str, code: str | None, hint: str | None) -> str | None:
    language = language_for_path(path)
    if language == "rust":
        clippy = hint == "clippy" or (code or "").startswith("clippy::")
        return "clippy" if clippy else "rustc"
    if language == "python":
        return hint or "ty"  # astral's ty prints rustc-style reports
    return hint


def parse_stylish(lines: Sequence[str], i: int, hint: str | None) -> Step | None:
    """eslint's default output: the path alone on a line, then `  line:col  sev  msg  rule`."""
    path = lines[i].strip()
    if not path or lines[i][:1].isspace() or i + 1 >= len(lines):
        return None
    if not _STYLISH_ROW.match(lines[i + 1]):
        return None
    found: list[Subject] = []
    j = i + 1
    while j < len(lines):
        row = _STYLISH_ROW.match(lines[j])
        if row is None:
            break
        message, rule = _message_and_rule(row["rest"])
        found.append(make_subject(path, int(row["line"]), int(row["col"]), message,
                                  source="eslint", code=rule, severity=severity_of(row["sev"])))
        j += 1
    return found, j


def _message_and_rule(rest: str) -> tuple[str, str | None]:
    """`msg  rule`: the columns are two or more spaces apart; a parse error has no rule."""
    parts = re.split(r"\s{2,}", rest.strip())
    if len(parts) > 1 and _RULE.fullmatch(parts[-1]):
        return "  ".join(parts[:-1]), parts[-1]
    return "  ".join(parts), None


def parse_lld(lines: Sequence[str], i: int, hint: str | None) -> Step | None:
    """`ld.lld: error: undefined symbol: foo` then `>>> referenced by main.c:4`."""
    head = _LLD_HEAD.match(lines[i])
    if head is None:
        return None
    path: str | None = None
    line: int | None = None
    j = i + 1
    while j < len(lines) and lines[j].startswith(">>>"):
        where = _LLD_WHERE.match(lines[j])
        if where and path is None and language_for_path(where["path"]):
            path, line = where["path"], to_int(where["line"])
        j += 1
    return [make_subject(path, line, None, head["msg"], source="ld", hint=hint)], j


def parse_ld64(lines: Sequence[str], i: int, hint: str | None) -> Step | None:
    """macOS: `Undefined symbols for architecture arm64:` then `  "_foo", referenced from:`."""
    head = _LD64_HEAD.match(lines[i])
    if head is None:
        return None
    found: list[Subject] = []
    j = i + 1
    while j < len(lines) and lines[j][:1].isspace():
        symbol = _LD64_SYMBOL.match(lines[j])
        if symbol:
            message = f"undefined symbol {symbol['symbol']} for architecture {head['arch']}"
            found.append(make_subject(None, None, None, message, source="ld", hint=hint))
        j += 1
    return found, j
