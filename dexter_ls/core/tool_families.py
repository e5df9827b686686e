"""Tool families: which code space a diagnostic's source speaks, and codes in canonical form.

A tool family groups the sources that share one code space (ruff and flake8 both
say F401; Pylance and pyright both say reportX).
"""

from __future__ import annotations

import re
from typing import Literal

Tool = Literal[
    "python",  # runtime exceptions and tracebacks
    "python-lint",  # pyflakes F, pycodestyle E/W codes (ruff, flake8, pycodestyle)
    "mypy",
    "pyright",
    "typescript",
    "eslint",
    "rustc",
    "clippy",
    "go",  # compiler / type checker
    "govet",  # go vet analyzers
    "c",  # gcc, clang, clangd, clang-tidy (C and C++)
]

# gopls reports a vet finding with the analyzer's name as its source.
GO_VET_ANALYZERS = frozenset({
    "appends", "asmdecl", "assign", "atomic", "bools", "buildtag", "cgocall", "composites",
    "copylocks", "deepequalerrors", "defers", "directive", "errorsas", "fieldalignment",
    "framepointer", "httpresponse", "ifaceassert", "loopclosure", "lostcancel", "nilfunc",
    "nilness", "printf", "shadow", "shift", "sigchanyzer", "slog", "sortslice", "stdmethods",
    "stdversion", "stringintconv", "structtag", "testinggoroutine", "tests", "timeformat",
    "unmarshal", "unreachable", "unsafeptr", "unusedresult", "unusedwrite", "waitgroup",
})

ALL_TOOLS: tuple[Tool, ...] = (
    "python", "python-lint", "mypy", "pyright", "typescript", "eslint",
    "rustc", "clippy", "go", "govet", "c",
)

_SOURCE_TOOLS: dict[str, tuple[Tool, ...]] = {
    "python": ("python",),
    "traceback": ("python",),
    "ruff": ("python-lint",),
    "flake8": ("python-lint",),
    "pyflakes": ("python-lint",),
    "pycodestyle": ("python-lint",),
    "pylint": ("python-lint",),
    "mypy": ("mypy",),
    "dmypy": ("mypy",),
    "pylance": ("pyright",),
    "pyright": ("pyright",),
    "basedpyright": ("pyright",),
    "ts": ("typescript",),
    "tsc": ("typescript",),
    "tsserver": ("typescript",),
    "typescript": ("typescript",),
    "deno-ts": ("typescript",),
    "eslint": ("eslint",),
    "eslint_d": ("eslint",),
    "rustc": ("rustc", "clippy"),
    "rust-analyzer": ("rustc", "clippy"),
    "cargo": ("rustc", "clippy"),
    "clippy": ("clippy", "rustc"),
    "go": ("go", "govet"),
    "gopls": ("go", "govet"),
    "compiler": ("go",),
    "go build": ("go",),
    "go vet": ("govet",),
    "vet": ("govet",),
    "gcc": ("c",),
    "g++": ("c",),
    "cc": ("c",),
    "c++": ("c",),
    "clang": ("c",),
    "clang++": ("c",),
    "clangd": ("c",),
    "clang-tidy": ("c",),
}

_LANGUAGE_TOOLS: dict[str, tuple[Tool, ...]] = {
    "python": ("python", "python-lint", "mypy", "pyright"),
    "typescript": ("typescript", "eslint"),
    "typescriptreact": ("typescript", "eslint"),
    "javascript": ("typescript", "eslint"),
    "javascriptreact": ("typescript", "eslint"),
    "rust": ("rustc", "clippy"),
    "go": ("go", "govet"),
    "c": ("c",),
    "cpp": ("c",),
}


def tools_for(source: str | None, language: str | None = None) -> tuple[Tool, ...]:
    """The tool families whose codes a diagnostic from `source` may carry."""
    if source:
        key = source.strip().lower()
        if key in _SOURCE_TOOLS:
            return _SOURCE_TOOLS[key]
        if key.startswith("clippy"):
            return ("clippy", "rustc")
    if language and language.lower() in _LANGUAGE_TOOLS:
        return _LANGUAGE_TOOLS[language.lower()]
    if source in GO_VET_ANALYZERS:
        return ("govet", "go")
    return ALL_TOOLS


def normalize_code(tool: Tool, code: str) -> str:
    code = code.strip()
    if tool == "typescript":
        digits = code.upper().removeprefix("TS")
        return f"TS{digits}" if digits.isdigit() else code
    if tool in ("python-lint", "rustc") and re.fullmatch(r"[A-Za-z]+\d+", code):
        return code.upper()
    if tool == "clippy" and not code.startswith("clippy::"):
        return f"clippy::{code}"
    return code
