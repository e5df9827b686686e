"""The shape of one entry of the offline reference catalog (one JSON file per language)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from dexter_ls.core.tool_families import Tool


class Example(BaseModel):
    """A real diagnostic this entry must explain (used by the catalog tests)."""

    model_config = ConfigDict(extra="forbid")

    source: str
    code: str | None = None
    message: str


class CatalogEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9-]+:[A-Za-z0-9_:@/.+-]+$")
    tool: Tool
    codes: list[str] = Field(default_factory=list)
    title: str = Field(min_length=3)
    patterns: list[str] = Field(min_length=1)
    meaning: str = Field(min_length=20)
    causes: list[str] = Field(min_length=1)
    fixes: list[str] = Field(min_length=1)
    link: str = Field(pattern=r"^https://")
    examples: list[Example] = Field(min_length=1)
    # That every pattern compiles is checked by tests/unit/test_catalog.py, not at each load:
    # the catalog compiles a pattern only when a lookup first needs it.
