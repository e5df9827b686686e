"""An in-process provider whose answers are scripted with enqueue() (for registry/chain tests)."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass

from dexter_ls.core.model_info import ModelInfo
from dexter_ls.core.provider import (
    ChatRequest,
    Chunk,
    Health,
    ProviderError,
    TextChunk,
    Usage,
    UsageChunk,
)


@dataclass
class Script:
    chunks: list[str]
    error: ProviderError | None = None  # raised after the chunks
    delay: float = 0.0
    usage: Usage | None = None
    finish: str = "stop"


class ScriptedProvider:
    def __init__(self, name: str = "fake") -> None:
        self.name = name
        self.queue: dict[str, deque[Script]] = {}
        self.requests: list[tuple[str, ChatRequest]] = []

    def enqueue(self, model: str, script: Script) -> None:
        self.queue.setdefault(model, deque()).append(script)

    async def discover(self) -> list[ModelInfo]:
        return [ModelInfo(f"{self.name}/{m}", self.name, m, m) for m in self.queue]

    async def health(self) -> Health:
        return Health(True)

    async def stream(self, model: str, request: ChatRequest) -> AsyncIterator[Chunk]:
        self.requests.append((model, request))
        script = self.queue[model].popleft()
        if script.delay:
            await asyncio.sleep(script.delay)
        for text in script.chunks:
            yield TextChunk(text)
        if script.error is not None:
            raise script.error
        if script.usage is not None or script.finish != "stop":
            yield UsageChunk(script.usage or Usage(), script.finish)
