"""Loading and searching the offline reference catalog.

Lookup order: (tool family of the source, code) first, then the message
patterns of the entries of that family. A source we do not know falls back to
the families of the document's language, then to every family.

Patterns compile on first use, one entry at a time and only for the families a lookup by
message needs: a lookup by code compiles none (the catalog holds ~900 patterns; compiling
them all took longer than the rest of a CLI run).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal

from dexter_ls.core.tool_families import Tool, normalize_code, tools_for

if TYPE_CHECKING:  # the entry shape loads with the catalog, in a worker thread
    from dexter_ls.providers.builtin.entry import CatalogEntry


@dataclass(frozen=True)
class CatalogMatch:
    entry: CatalogEntry
    how: Literal["code", "message"]


@dataclass(frozen=True)
class Catalog:
    entries: tuple[CatalogEntry, ...]
    by_code: dict[tuple[Tool, str], CatalogEntry]
    _compiled: dict[int, tuple[re.Pattern[str], ...]] = field(
        default_factory=dict, compare=False, repr=False)

    def patterns(self, index: int) -> tuple[re.Pattern[str], ...]:
        """The compiled message patterns of `entries[index]` (compiled once, when first asked)."""
        compiled = self._compiled.get(index)
        if compiled is None:
            compiled = tuple(re.compile(p, re.IGNORECASE) for p in self.entries[index].patterns)
            self._compiled[index] = compiled
        return compiled

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
        for index, entry in enumerate(self.entries):
            if entry.tool not in tools:
                continue
            for pattern in self.patterns(index):
                found = pattern.search(message)
                if found and (best is None or len(found.group(0)) > best[0]):
                    best = (len(found.group(0)), entry)
        return CatalogMatch(best[1], "message") if best else None


def catalog_files() -> list[tuple[str, list[dict[str, Any]]]]:
    """(file name, its entries as JSON) for every shipped catalog file, in name order."""
    folder = resources.files("dexter_ls.providers.builtin") / "catalog"
    return [(item.name, json.loads(item.read_text("utf-8")))
            for item in sorted(folder.iterdir(), key=lambda p: p.name)
            if item.name.endswith(".json")]


def _load_files() -> list[CatalogEntry]:
    """The shipped entries, built without validation: tests/unit/test_catalog.py validates
    every file with `validate_entry` (and compiles every pattern), so a load pays neither."""
    from dexter_ls.providers.builtin.entry import CatalogEntry, Example

    entries: list[CatalogEntry] = []
    for name, raw in catalog_files():
        try:
            for item in raw:
                examples = [Example(**e) for e in item.get("examples", ())]
                entries.append(CatalogEntry(**{**item, "examples": examples}))
        except (TypeError, AttributeError) as exc:  # not a list of objects: a bug, name it
            raise ValueError(f"catalog file {name} is invalid: {exc}") from exc
    return entries


@cache
def load_catalog() -> Catalog:
    entries = _load_files()
    by_code: dict[tuple[Tool, str], CatalogEntry] = {}
    for entry in entries:
        for code in entry.codes:
            by_code.setdefault((entry.tool, normalize_code(entry.tool, code)), entry)
    return Catalog(tuple(entries), by_code)
