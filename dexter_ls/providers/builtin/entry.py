"""The shape of one entry of the offline reference catalog (one JSON file per language)."""

from __future__ import annotations

from dataclasses import dataclass, field

from dexter_ls.core.tool_families import Tool
from dexter_ls.core.validate import build, rule


@dataclass(frozen=True)
class Example:
    """A real diagnostic this entry must explain (used by the catalog tests)."""

    source: str
    message: str
    code: str | None = None


@dataclass(frozen=True)
class CatalogEntry:
    id: str = rule(pattern=r"^[a-z0-9-]+:[A-Za-z0-9_:@/.+-]+$")
    tool: Tool = rule()
    title: str = rule(min_length=3)
    patterns: list[str] = rule(min_length=1)
    meaning: str = rule(min_length=20)
    causes: list[str] = rule(min_length=1)
    fixes: list[str] = rule(min_length=1)
    link: str = rule(pattern=r"^https://")
    examples: list[Example] = rule(min_length=1)
    codes: list[str] = field(default_factory=list)
    # That every pattern compiles is checked by tests/unit/test_catalog.py, not at each load:
    # the catalog compiles a pattern only when a lookup first needs it.


def validate_entry(raw: object) -> CatalogEntry:
    """An entry checked field by field (the catalog tests run this on every shipped entry;
    a load builds entries without it). Raises core.validate.Invalid."""
    return build(CatalogEntry, raw)
