"""The Claude models Dexter knows about without asking: `/v1/models` gives ids and display
names only, so context windows and capabilities come from here.

Dated ids match exactly; aliases (`claude-sonnet-4-5`, `claude-3-5-haiku-latest`) match the
longest entry prefix. Unknown ids get no context window and only chat/streaming.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dexter_ls.core.model_info import Capability

FAMILY = "claude"
CLAUDE_CAPABILITIES = frozenset({Capability.CHAT, Capability.STREAMING, Capability.CODE,
                                 Capability.VISION, Capability.TOOLS})
BASIC_CAPABILITIES = frozenset({Capability.CHAT, Capability.STREAMING})

_DATED = re.compile(r"^(?P<prefix>.+)-(?P<date>\d{8})$")


@dataclass(frozen=True)
class CatalogModel:
    id: str  # the dated model id, e.g. "claude-3-5-haiku-20241022"
    display_name: str
    context_window: int = 200_000
    capabilities: frozenset[Capability] = CLAUDE_CAPABILITIES

    @property
    def prefix(self) -> str:
        """The id without its date: what the aliases start with."""
        match = _DATED.match(self.id)
        return match["prefix"] if match else self.id

    @property
    def version(self) -> str | None:
        """The snapshot date, `YYYY-MM-DD`."""
        match = _DATED.match(self.id)
        if not match:
            return None
        date = match["date"]
        return f"{date[:4]}-{date[4:6]}-{date[6:]}"


CATALOG: tuple[CatalogModel, ...] = (
    CatalogModel("claude-opus-4-5-20251101", "Claude Opus 4.5"),
    CatalogModel("claude-sonnet-4-5-20250929", "Claude Sonnet 4.5"),
    CatalogModel("claude-haiku-4-5-20251001", "Claude Haiku 4.5"),
    CatalogModel("claude-opus-4-1-20250805", "Claude Opus 4.1"),
    CatalogModel("claude-opus-4-20250514", "Claude Opus 4"),
    CatalogModel("claude-sonnet-4-20250514", "Claude Sonnet 4"),
    CatalogModel("claude-3-7-sonnet-20250219", "Claude Sonnet 3.7"),
    CatalogModel("claude-3-5-haiku-20241022", "Claude Haiku 3.5"),
    CatalogModel("claude-3-haiku-20240307", "Claude Haiku 3"),
)


def lookup(model: str) -> CatalogModel | None:
    """The catalog entry for a dated id or an alias of one (longest prefix wins)."""
    best: CatalogModel | None = None
    for entry in CATALOG:
        if model == entry.id:
            return entry
        prefix = entry.prefix
        if (model == prefix or model.startswith(prefix + "-")) and (
                best is None or len(prefix) > len(best.prefix)):
            best = entry
    return best


def family(model: str) -> str | None:
    return FAMILY if model.lower().startswith(FAMILY) else None
