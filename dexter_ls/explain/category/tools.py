"""Which tool each diagnostic source names, for error categories (see classify.py), and the
codes that mean the same whatever the source. The tables are in python.py,
js.py and native.py; a tool's shape is in tool.py."""

from __future__ import annotations

from collections.abc import Mapping

from dexter_ls.explain.category.js import _ESLINT, _JS, _TS
from dexter_ls.explain.category.lazy import lazy
from dexter_ls.explain.category.native import (
    _C,
    _CLANG_TIDY,
    _CLIPPY,
    _CPPCHECK,
    _GO,
    _GO_ANALYZER,
    _GO_ANALYZERS,
    _GO_VET,
    _RUST,
    _c_flag,
)
from dexter_ls.explain.category.patterns import _words
from dexter_ls.explain.category.python import (
    _FLAKE8,
    _MYPY,
    _PYLINT,
    _PYRIGHT,
    _PYTHON,
    _WARNING_CLASS,
    _python_names,
)
from dexter_ls.explain.category.tool import _Tool

_ANY_LINTER = _Tool({}, owns=lazy(r"."), default="lint", fallback="lint")
_SECURITY_SCANNER = _Tool({}, owns=lazy(r"."), default="security", fallback="security")
_MEMORY_CHECKER = _Tool({}, fallback="memory")
_RACE_DETECTOR = _Tool({}, fallback="async")


def _sources(tool: _Tool, names: str) -> dict[str, _Tool]:
    return dict.fromkeys(_words(names), tool)


_TOOLS: dict[str, _Tool] = {
    **_sources(_PYTHON, "python python3 cpython pypy traceback pytest ipython jupyter"),
    **_sources(_FLAKE8, "ruff ruff-lsp flake8 pyflakes pycodestyle pep8 pydocstyle mccabe "
                        "pylsp"),
    **_sources(_PYLINT, "pylint"),
    **_sources(_MYPY, "mypy dmypy"),
    **_sources(_PYRIGHT, "pyright basedpyright pylance"),
    **_sources(_TS, "ts typescript tsc tsserver deno-ts vue-tsc"),
    **_sources(_JS, "node nodejs javascript js deno bun v8 browser chrome firefox"),
    **_sources(_ESLINT, "eslint eslint_d"),
    **_sources(_RUST, "rustc rust rust-analyzer cargo"),
    **_sources(_CLIPPY, "clippy cargo-clippy"),
    **_sources(_GO, "go gopls compiler golang"),
    **{"go build": _GO},
    **_sources(_GO_VET, "vet govet go-vet staticcheck golangci-lint golangci_lint revive "
                        "errcheck ineffassign"),
    **{"go vet": _GO_VET},
    **dict.fromkeys(_GO_ANALYZERS, _GO_ANALYZER),
    **_sources(_C, "gcc g++ cc c++ clang clang++ clangd"),
    **_sources(_CLANG_TIDY, "clang-tidy"),
    **_sources(_CPPCHECK, "cppcheck"),
    **_sources(_ANY_LINTER, "shellcheck hadolint markdownlint yamllint stylelint golint "
                            "rubocop biome oxlint deno-lint tslint jshint standard isort black "
                            "clang-format prettier"),
    **_sources(_SECURITY_SCANNER, "bandit gosec pip-audit cargo-audit npm-audit safety snyk "
                                  "trivy grype osv-scanner gitleaks detect-secrets trufflehog"),
    **_sources(_MEMORY_CHECKER, "addresssanitizer asan leaksanitizer lsan memorysanitizer "
                                "msan valgrind memcheck"),
    **_sources(_RACE_DETECTOR, "threadsanitizer tsan helgrind drd"),
}


def _shared_codes(*tables: Mapping[str, str]) -> dict[str, str]:
    """The codes of several tools that mean the same wherever they appear; clashes dropped."""
    merged: dict[str, str] = {}
    clashes: set[str] = set()
    for table in tables:
        for code, category in table.items():
            if merged.setdefault(code, category) != category:
                clashes.add(code)
    return {code: category for code, category in merged.items() if code not in clashes}


# For a diagnostic whose source is missing or unknown: only codes that cannot be mistaken
# (exception classes, TSnnnn, rustc's Ennnn and lint names, -W flags, reportX, mypy's
# hyphenated codes); a bare F401 or E0602 means nothing without its tool.
_SHARED = _Tool(
    _shared_codes(
        _PYTHON.codes, _JS.codes, _PYRIGHT.codes, _TS.codes, _RUST.codes, _C.codes,
        {code: category for code, category in _GO.codes.items() if code[:1].isupper()},
        {code: category for code, category in _MYPY.codes.items() if "-" in code},
    ),
    patterns=(("deprecation", _WARNING_CLASS), *_RUST.patterns,
              ("deprecation", lazy(r"^-W\S*deprecat")),
              ("security", lazy(r"^clang-analyzer-(?:alpha\.)?security\.")),
              ("security", lazy(
                  r"^(?:CVE-\d{4}-\d{4,}|GHSA(?:-[0-9a-z]{4}){3}|RUSTSEC-\d{4}-\d{4}"
                  r"|PYSEC-\d{4}-\d+|GO-\d{4}-\d{4})$")),
              ("deprecation", lazy(r"^DEP\d{4}$"))),
    normalize=lambda code: (*_python_names(code), *_c_flag(code)),
)
