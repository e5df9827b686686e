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
from typing import TYPE_CHECKING, Literal

from dexter_ls.core.tool_families import Tool, normalize_code, tools_for

if TYPE_CHECKING:  # pydantic loads with the catalog, in a worker thread, not at start-up
    from dexter_ls.providers.builtin.entry import CatalogEntry


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


def _load_files() -> list[CatalogEntry]:
    from pydantic import TypeAdapter

    from dexter_ls.providers.builtin.entry import CatalogEntry

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
