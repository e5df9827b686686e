"""What the category classifier knows of one tool: its code table and how to read its codes.

The tables themselves are in python.py, js.py and native.py; which
source names which tool is in tools.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from dexter_ls.explain.category.lazy import LazyPattern
from dexter_ls.explain.category.patterns import _Rules


def _as_is(code: str) -> tuple[str, ...]:
    return (code,)


@dataclass(frozen=True)
class _Tool:
    codes: Mapping[str, str]
    patterns: _Rules = ()  # (category, pattern) tried on a code the table does not hold
    owns: LazyPattern | None = None  # the shape of this tool's own rule codes ...
    default: str | None = None  # ... and their category when no table names it
    fallback: str | None = None  # the category of its findings that nothing else explains
    code_from_source: bool = False  # the source is the code (gopls names analyzers so)
    normalize: Callable[[str], tuple[str, ...]] = _as_is

    def lookup(self, code: str) -> str | None:
        for candidate in self.normalize(code):
            if candidate in self.codes:
                return self.codes[candidate]
            for category, pattern in self.patterns:
                if pattern.search(candidate):
                    return category
        return None

    def owns_code(self, code: str) -> bool:
        return self.owns is not None and self.owns.search(code) is not None
