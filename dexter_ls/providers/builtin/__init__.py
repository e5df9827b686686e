"""`builtin/reference`: offline explanations from a shipped catalog. No network, never fails."""

from __future__ import annotations

from collections.abc import AsyncIterator

from dexter_ls.core.model_info import Capability, ModelInfo, ModelStatus
from dexter_ls.core.provider import (
    ChatRequest,
    Chunk,
    ErrorClass,
    Health,
    ProviderError,
    TextChunk,
    Usage,
    UsageChunk,
)
from dexter_ls.core.subject import Subject
from dexter_ls.core.tool_families import ALL_TOOLS, normalize_code, tools_for
from dexter_ls.providers.builtin.catalog import load_catalog
from dexter_ls.providers.builtin.render import render_reference
from dexter_ls.providers.builtin.tools import tool_explanation

REFERENCE = ModelInfo(
    id="builtin/reference",
    provider="builtin",
    name="reference",
    display_name="Offline reference",
    family="builtin",
    capabilities=frozenset({Capability.OFFLINE, Capability.STREAMING}),
    status=ModelStatus.AVAILABLE,
    status_detail="always available, no network",
    version="catalog-1",
    local=True,
)


def quick_reference(subject: Subject) -> str:
    """The reference explanation from the catalog alone (no subprocess): for hover."""
    diag = subject.diagnostic
    match = load_catalog().lookup(diag.source, diag.code, diag.message, subject.language)
    return render_reference(subject, match, None)


class BuiltinProvider:
    name = "builtin"

    async def discover(self) -> list[ModelInfo]:
        return [REFERENCE]

    async def health(self) -> Health:
        return Health(True, "offline catalog", (REFERENCE,))

    async def stream(self, model: str, request: ChatRequest) -> AsyncIterator[Chunk]:
        if model != REFERENCE.name:
            raise ProviderError(ErrorClass.NOT_FOUND, f"builtin has no model '{model}'")
        subject = request.subject
        diag = subject.diagnostic
        match = load_catalog().lookup(diag.source, diag.code, diag.message, subject.language)
        tool_text = None
        families = (match.entry.tool,) if match else tools_for(diag.source)
        if diag.code and families != ALL_TOOLS:  # ask a tool only about its own codes
            for tool in families:
                tool_text = await tool_explanation(tool, normalize_code(tool, diag.code))
                if tool_text:
                    break
        yield TextChunk(render_reference(subject, match, tool_text))
        yield UsageChunk(Usage(0, 0, "reported"), finish_reason="stop")
