"""The error category of a diagnostic (for dexter.categoryModels and the category templates).

Source and code first, then the message; an error we do not recognise is "other".

1. The source names the tool (ruff, mypy, tsc, rustc, gcc, ...) and with it the code table
   to read the code in: F401 means one thing to ruff and another to nobody else.
2. A code found in that table gives the category; a few message patterns then refine it
   (a type error about `None` is a null error, one about a `Promise` an async one).
3. A code the table does not know, of a linter, is a lint finding (or a deprecation or
   security one when the message says so).
4. Otherwise the message alone decides, through specific patterns tried from the most
   specific category to the most general one.
5. A linter's finding that nothing matched is lint; anything else is "other". A wrong
   category is worse than none, so every pattern is meant to hit only its own kind of error.

Every pattern is linear: literals, bounded repeats and character classes that cannot cross
the quote that ends them.
"""

from __future__ import annotations

import re

from dexter_ls.core.subject import Subject
from dexter_ls.explain.category.patterns import (
    _BY_MESSAGE,
    _LINTER_OVERRIDES,
    _REFINE,
    CATEGORIES,
    _Rules,
)
from dexter_ls.explain.category.tools import (
    _SHARED,
    _TOOLS,
    _Tool,
)

__all__ = ["CATEGORIES", "classify"]


def _tool_for(source: str) -> _Tool | None:
    key = source.strip().lower()
    if key in _TOOLS:
        return _TOOLS[key]
    key = re.sub(r"(?<=[a-z+])-?\d+(?:\.\d+)*$", "", key)  # gcc-13, clang++-17, python3.12
    return _TOOLS.get(key)


def _first(rules: _Rules, message: str) -> str | None:
    for category, pattern in rules:
        if pattern.search(message):
            return category
    return None


def _refine(category: str, message: str) -> str:
    return _first(_REFINE.get(category, ()), message) or category


def classify(subject: Subject) -> str:
    diag = subject.diagnostic
    message = diag.message or ""
    source = (diag.source or "").strip()
    tool = _tool_for(source) if source else None
    code = str(diag.code or "").strip()
    if not code and tool is not None and tool.code_from_source:
        code = source
    if code:
        category = (tool or _SHARED).lookup(code)
        if category is not None:
            return _refine(category, message)
        if tool is not None and tool.default and tool.owns_code(code):
            return _first(_LINTER_OVERRIDES, message) or _refine(tool.default, message)
    category = _first(_BY_MESSAGE, message)
    if category is not None:
        return category
    if tool is not None and tool.fallback:
        return tool.fallback
    return "other"
