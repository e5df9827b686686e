"""Pieces shared by the intake parsers: building a Subject from printed positions, tool names."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import PurePath

from dexter_ls.core.languages import language_for_path
from dexter_ls.core.subject import Diagnostic, Frame, Position, Range, Subject

# What a parser returns when it recognised lines[i]: the subjects found (maybe none, for
# context lines it deliberately skips) and the index of the first line it did not consume.
Step = tuple[list[Subject], int]
Parser = Callable[[Sequence[str], int, str | None], Step | None]

ERROR, WARNING, INFORMATION, HINT = 1, 2, 3, 4

_SEVERITY_WORDS = {
    "error": ERROR, "fatal error": ERROR, "fatal": ERROR,
    "warning": WARNING, "information": INFORMATION, "info": INFORMATION,
    "message": INFORMATION, "note": INFORMATION, "suggestion": HINT, "hint": HINT,
}

_LANGUAGE_BY_TOOL = {
    "python": "python", "mypy": "python", "dmypy": "python", "pyright": "python",
    "basedpyright": "python", "ruff": "python", "flake8": "python", "pylint": "python",
    "ty": "python", "rustc": "rust", "cargo": "rust", "clippy": "rust", "go": "go",
    "go vet": "go", "vet": "go", "typescript": "typescript", "tsc": "typescript",
    "vue-tsc": "typescript", "eslint": "javascript", "gcc": "c", "cc": "c", "clang": "c",
    "g++": "cpp", "c++": "cpp", "clang++": "cpp",
}


def severity_of(word: str) -> int:
    return _SEVERITY_WORDS.get(word.strip().lower(), ERROR)


def normalise_hint(hint: str | None) -> str | None:
    """'/usr/bin/x86_64-linux-gnu-g++-12.exe' -> 'g++'; 'python3.11' -> 'python'."""
    if not hint:
        return None
    name = PurePath(hint.replace("\\", "/")).name.lower().removesuffix(".exe")
    name = re.sub(r"^(python|pypy)\d[\d.]*$", r"\1", name)
    name = re.sub(r"(?<=[a-z+])[-.]\d+(?:\.\d+)*$", "", name)  # gcc-12, clang++-17
    for family in ("clang++", "clang", "g++", "gcc"):
        if name.endswith(family):
            return family
    return name


def c_compiler(hint: str | None) -> str:
    """The source name for gcc-style output: clang when the hint says so, else gcc."""
    return "clang" if hint in ("clang", "clang++") else "gcc"


def language_for(path: str | None, source: str | None, hint: str | None = None) -> str | None:
    found = language_for_path(path)
    if found:
        return found
    for tool in (hint, source):
        if tool and tool in _LANGUAGE_BY_TOOL:
            return _LANGUAGE_BY_TOOL[tool]
    return None


def to_int(text: str | None) -> int | None:
    return int(text) if text else None


def make_subject(
    path: str | None,
    line: int | None,
    col: int | None,
    message: str,
    *,
    source: str | None,
    code: str | None = None,
    severity: int | None = ERROR,
    end: Position | None = None,
    hint: str | None = None,
    frames: Sequence[Frame] = (),
) -> Subject:
    """A Subject from a position as printed (1-based line and column, either may be missing)."""
    start = Position(max(0, (line or 1) - 1), max(0, (col or 1) - 1))
    if end is None or (end.line, end.character) < (start.line, start.character):
        end = start
    diagnostic = Diagnostic(
        message=message.strip(), range=Range(start, end), severity=severity,
        code=code or None, source=source,
    )
    return Subject(diagnostic=diagnostic, path=path or None,
                   language=language_for(path, source, hint), frames=tuple(frames))
