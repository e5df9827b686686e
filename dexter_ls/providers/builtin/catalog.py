"""Loading and searching the offline reference catalog.

Lookup order: (tool family of the source, code) first, then the message
patterns of the entries of that family. A source we do not know falls back to
the families of the document's language, then to every family.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import TypeAdapter

from dexter_ls.providers.builtin.entry import CatalogEntry, Tool

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


@dataclass(frozen=True)
class CatalogMatch:
    entry: CatalogEntry
    how: Literal["code", "message"]


@dataclass(frozen=True)
class Catalog:
    entries: tuple[CatalogEntry, ...]
    by_code: dict[tuple[Tool, str], CatalogEntry]
    patterns: tuple[tuple[CatalogEntry, tuple[re.Pattern[str], ...]], ...]

    def lookup(
        self,
        source: str | None,
        code: str | int | None,
        message: str,
        language: str | None = None,
    ) -> CatalogMatch | None:
        tools = tools_for(source, language)
        codes = [str(code)] if code not in (None, "") else []
        if source and "govet" in tools:
            codes.append(source)  # gopls names the vet analyzer in `source`
        for raw in codes:
            for tool in tools:
                entry = self.by_code.get((tool, normalize_code(tool, raw)))
                if entry is not None:
                    return CatalogMatch(entry, "code")
        best: tuple[int, CatalogEntry] | None = None
        for entry, compiled in self.patterns:
            if entry.tool not in tools:
                continue
            for pattern in compiled:
                found = pattern.search(message)
                if found and (best is None or len(found.group(0)) > best[0]):
                    best = (len(found.group(0)), entry)
        return CatalogMatch(best[1], "message") if best else None


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
    if source and _looks_like_go_analyzer(source):
        return ("govet", "go")
    return ALL_TOOLS


def _looks_like_go_analyzer(source: str) -> bool:
    return source.isalpha() and source.islower() and source in _govet_codes()


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


def _load_files() -> list[CatalogEntry]:
    adapter = TypeAdapter(list[CatalogEntry])
    entries: list[CatalogEntry] = []
    folder = resources.files("dexter_ls.providers.builtin") / "catalog"
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".json"):
            try:
                entries.extend(adapter.validate_python(json.loads(item.read_text("utf-8"))))
            except ValueError as exc:  # a broken shipped file is a bug: name it
                raise ValueError(f"catalog file {item.name} is invalid: {exc}") from exc
    return entries


@cache
def load_catalog() -> Catalog:
    entries = _load_files()
    by_code: dict[tuple[Tool, str], CatalogEntry] = {}
    for entry in entries:
        for code in entry.codes:
            by_code.setdefault((entry.tool, normalize_code(entry.tool, code)), entry)
    patterns = tuple(
        (entry, tuple(re.compile(p, re.IGNORECASE) for p in entry.patterns)) for entry in entries
    )
    return Catalog(tuple(entries), by_code, patterns)


@cache
def _govet_codes() -> frozenset[str]:
    return frozenset(c for e in load_catalog().entries if e.tool == "govet" for c in e.codes)
