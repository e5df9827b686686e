"""Stands in for a provider that needs an API key it does not have: no network, a clear hint."""

from __future__ import annotations

from collections.abc import AsyncIterator

from dexter_ls.core.model_info import ModelInfo
from dexter_ls.core.provider import ChatRequest, Chunk, ErrorClass, Health, ProviderError


class MissingKeyProvider:
    def __init__(self, name: str, hint: str, catalog: list[ModelInfo] | None = None) -> None:
        self.name = name
        self.hint = hint
        self._catalog = catalog or []

    def catalog_models(self) -> list[ModelInfo]:
        """Models known without asking the API (so they can be listed as 'needs key')."""
        return list(self._catalog)

    async def discover(self) -> list[ModelInfo]:
        raise ProviderError(ErrorClass.AUTH, self.hint)

    async def health(self) -> Health:
        return Health(False, self.hint)

    async def stream(self, model: str, request: ChatRequest) -> AsyncIterator[Chunk]:
        raise ProviderError(ErrorClass.AUTH, self.hint)
        yield  # pragma: no cover - makes this an async generator
