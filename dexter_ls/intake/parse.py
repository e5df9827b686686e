"""Recognise errors in text (stdin, a file or a command's output) for `dexter explain`.

`parse_output` finds, in input order, Python tracebacks, `path:line[:col]: ...` lines (ruff,
flake8, pylint, mypy, gcc/clang, go build/vet, rustc short form, eslint unix), rustc's and
ruff's multi-line reports, tsc, pyright, eslint compact and stylish, linker errors, and LSP
diagnostics given as JSON. No I/O here: the CLI reads the input and adds snippets.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from dexter_ls.core.subject import Subject
from dexter_ls.intake.blocks import parse_arrow_block, parse_ld64, parse_lld, parse_stylish
from dexter_ls.intake.common import Parser, Step, normalise_hint
from dexter_ls.intake.lines import (
    parse_colon,
    parse_eslint_compact,
    parse_ld,
    parse_pyright,
    parse_tsc,
)
from dexter_ls.intake.lsp_json import diagnostic_from_json, subjects_from_json
from dexter_ls.intake.tracebacks import parse_traceback

__all__ = ["diagnostic_from_json", "parse_output"]

# Tried in this order on each line; the first that recognises it consumes it (and maybe more).
_PARSERS: tuple[Parser, ...] = (
    parse_traceback, parse_arrow_block, parse_lld, parse_ld64, parse_tsc, parse_pyright,
    parse_eslint_compact, parse_ld, parse_colon, parse_stylish,
)
# Colours and terminal hyperlinks (cargo, tsc --pretty, ruff and Python 3.13 emit them).
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")


def parse_output(text: str, tool_hint: str | None = None) -> list[Subject]:
    """One Subject per error found, in input order; [] when nothing is recognised.

    Raises ValueError, naming the field, for JSON that is not valid LSP diagnostics.
    """
    text = _ANSI.sub("", text.lstrip("\ufeff"))
    value = _as_json(text)
    if value is not None:
        return _dedupe(subjects_from_json(value))
    lines = text.splitlines()
    hint = normalise_hint(tool_hint)
    found: list[Subject] = []
    i = 0
    while i < len(lines):
        step = _step(lines, i, hint)
        if step is None:
            i += 1
            continue
        subjects, after = step
        found.extend(subjects)
        i = max(after, i + 1)
    return _dedupe(found)


def _as_json(text: str) -> object | None:
    """The JSON value when the input is one JSON object or array, else None."""
    stripped = text.strip()
    if not stripped or stripped[0] not in "{[":
        return None
    try:
        value: object = json.loads(stripped)
    except ValueError:  # not JSON after all (e.g. JSON lines, or text starting with '[')
        return None
    return value if isinstance(value, (dict, list)) else None


def _step(lines: Sequence[str], i: int, hint: str | None) -> Step | None:
    if not lines[i].strip():
        return None
    for parser in _PARSERS:
        step = parser(lines, i, hint)
        if step is not None:
            return step
    return None


def _dedupe(subjects: list[Subject]) -> list[Subject]:
    seen: set[tuple[str | None, int, int, str]] = set()
    kept = []
    for subject in subjects:
        start = subject.diagnostic.range.start
        key = (subject.path or subject.uri, start.line, start.character,
               subject.diagnostic.message)
        if key not in seen:
            seen.add(key)
            kept.append(subject)
    return kept
