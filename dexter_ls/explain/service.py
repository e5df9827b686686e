"""Explain a Subject through the chain, remembering answers for hover."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING

from dexter_ls.explain.prompt import build_request
from dexter_ls.explain.result import Explanation
from dexter_ls.explain.subject import Subject
from dexter_ls.models.chain import Chain, candidate_order
from dexter_ls.models.info import split_model_id
from dexter_ls.models.registry import ModelRegistry

if TYPE_CHECKING:  # settings pull in pydantic; the server loads them after the handshake
    from dexter_ls.settings import Settings

MEMORY_ENTRIES = 512


class Explainer:
    def __init__(self, registry: ModelRegistry, settings: Callable[[], Settings]) -> None:
        self.registry = registry
        self._settings = settings
        self._chain = Chain(registry)
        self._memory: OrderedDict[str, Explanation] = OrderedDict()

    def candidates(self, override: str | None = None) -> list[str]:
        settings = self._settings()
        return candidate_order(override, settings.model, settings.fallback_chain)

    def remembered(self, subject: Subject) -> Explanation | None:
        """The last explanation of this diagnostic, from any model (memory only)."""
        return self._memory.get(subject.cache_key())

    async def explain(
        self,
        subject: Subject,
        override: str | None = None,
        on_text: Callable[[str, str], None] | None = None,
    ) -> Explanation:
        """Raises ValueError for a malformed override and ChainExhausted if nothing answered."""
        if override is not None:
            split_model_id(override)
        started = time.monotonic()
        candidates = self.candidates(override)
        key = subject.cache_key()
        hit = self._memory.get(key)
        if hit is not None and hit.model == candidates[0] and not hit.incomplete:
            self._memory.move_to_end(key)
            return hit.as_cached((time.monotonic() - started) * 1000)
        settings = self._settings()
        result = await self._chain.run(
            candidates,
            lambda info: build_request(subject, info),
            deadline_seconds=settings.explain.timeout_seconds,
            max_attempts=settings.explain.max_attempts,
            on_text=on_text,
        )
        explanation = Explanation(
            markdown=result.text,
            model=result.model,
            requested_model=candidates[0],
            attempts=result.attempts,
            cached=False,
            latency_ms=(time.monotonic() - started) * 1000,
            usage=result.usage,
            incomplete=result.incomplete,
        )
        self._remember(key, explanation)
        return explanation

    def _remember(self, key: str, explanation: Explanation) -> None:
        self._memory[key] = explanation
        self._memory.move_to_end(key)
        while len(self._memory) > MEMORY_ENTRIES:
            self._memory.popitem(last=False)
