"""The fallback chain: ordered candidates, first success wins, every attempt recorded.

The chain is the only retry loop. Commit to a model after its first chunk:
before that a failure falls through to the next model; after it the answer
ends as incomplete with the partial text kept.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from dexter_ls.models.info import ModelInfo
from dexter_ls.models.registry import ModelRegistry, Resolved, UnknownModel
from dexter_ls.providers.base import (
    ChatRequest,
    ErrorClass,
    ProviderError,
    TextChunk,
    Usage,
    UsageChunk,
)

log = logging.getLogger(__name__)

BUILTIN_MODEL = "builtin/reference"
WARNINGS = {  # finish reasons that deserve a word in the attempt record
    "length": "the answer reached the output-token limit and was cut",
    "max_tokens": "the answer reached the output-token limit and was cut",
    "prompt-truncated": "the model's context window cut the prompt (it saw less than was sent)",
}
Outcome = Literal["success", "failed", "skipped", "incomplete"]


@dataclass(frozen=True)
class Attempt:
    model: str
    outcome: Outcome
    latency_ms: float
    error: str | None = None
    error_class: str | None = None
    first_token_ms: float | None = None
    warning: str | None = None

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "model": self.model,
            "outcome": self.outcome,
            "latencyMs": round(self.latency_ms, 1),
        }
        if self.error is not None:
            out["error"] = self.error
            out["errorClass"] = self.error_class
        if self.first_token_ms is not None:
            out["firstTokenMs"] = round(self.first_token_ms, 1)
        if self.warning is not None:
            out["warning"] = self.warning
        return out


@dataclass(frozen=True)
class ChainResult:
    text: str
    model: str
    attempts: tuple[Attempt, ...]
    usage: Usage
    incomplete: bool = False


class ChainExhausted(Exception):
    """Every candidate failed; the message names each model and why."""

    def __init__(self, attempts: list[Attempt]) -> None:
        reasons = "; ".join(f"{a.model}: {a.error or a.outcome}" for a in attempts)
        super().__init__(f"no model could explain this diagnostic ({reasons})")
        self.attempts = attempts


def candidate_order(override: str | None, model: str | None, chain: list[str]) -> list[str]:
    """Request override -> dexter.model -> dexter.fallbackChain -> builtin/reference, no repeats."""
    ordered: list[str] = []
    for model_id in [override, model, *chain, BUILTIN_MODEL]:
        if model_id and model_id not in ordered:
            ordered.append(model_id)
    if ordered[-1] != BUILTIN_MODEL:  # builtin named earlier: it still ends the chain
        ordered.remove(BUILTIN_MODEL)
        ordered.append(BUILTIN_MODEL)
    return ordered


class Chain:
    def __init__(self, registry: ModelRegistry) -> None:
        self._registry = registry

    async def run(
        self,
        candidates: list[str],
        build_request: Callable[[ModelInfo], ChatRequest],
        *,
        deadline_seconds: float,
        max_attempts: int,
        on_text: Callable[[str, str], None] | None = None,
    ) -> ChainResult:
        attempts: list[Attempt] = []
        deadline = time.monotonic() + deadline_seconds
        tried = 0
        for model_id in candidates:
            last_resort = model_id == BUILTIN_MODEL
            if not last_resort and tried >= max_attempts:
                attempts.append(Attempt(model_id, "skipped", 0.0, "attempt budget spent"))
                continue
            if not last_resort and time.monotonic() >= deadline:
                attempts.append(Attempt(model_id, "skipped", 0.0, "request deadline passed",
                                        ErrorClass.TIMEOUT.value))
                continue
            try:
                resolved = self._registry.resolve(model_id)
            except UnknownModel as exc:
                attempts.append(Attempt(model_id, "skipped", 0.0, str(exc), "unknown-model"))
                continue
            tried += 1
            remaining = None if last_resort else max(deadline - time.monotonic(), 0.001)
            result = await self._attempt(model_id, resolved, build_request, remaining, on_text)
            attempts.append(result[0])
            if result[1] is not None:
                text, usage = result[1]
                return ChainResult(text, model_id, tuple(attempts), usage,
                                   result[0].outcome == "incomplete")
        raise ChainExhausted(attempts)

    async def _attempt(
        self,
        model_id: str,
        resolved: Resolved,
        build_request: Callable[[ModelInfo], ChatRequest],
        timeout: float | None,
        on_text: Callable[[str, str], None] | None,
    ) -> tuple[Attempt, tuple[str, Usage] | None]:
        started = time.monotonic()
        parts: list[str] = []
        usage = Usage()
        finish: str | None = None
        first_token: float | None = None

        def elapsed() -> float:
            return (time.monotonic() - started) * 1000

        async def consume() -> None:
            nonlocal usage, first_token, finish
            request = build_request(resolved.info)
            async for chunk in resolved.provider.stream(resolved.info.name, request):
                if isinstance(chunk, TextChunk) and chunk.text:
                    if first_token is None:
                        first_token = elapsed()
                    parts.append(chunk.text)
                    if on_text is not None:
                        on_text(model_id, chunk.text)
                elif isinstance(chunk, UsageChunk):
                    usage = chunk.usage
                    finish = chunk.finish_reason or finish

        try:
            await asyncio.wait_for(consume(), timeout)
        except (ProviderError, asyncio.TimeoutError) as exc:
            error = exc if isinstance(exc, ProviderError) else ProviderError(
                ErrorClass.TIMEOUT, f"no complete answer within {timeout:.1f}s")
            if parts:  # committed: keep what we have, never replay
                text = "".join(parts) + f"\n\n*(incomplete: {error.message})*"
                attempt = Attempt(model_id, "incomplete", elapsed(), error.message,
                                  ErrorClass.INCOMPLETE_STREAM.value, first_token)
                return attempt, (text, _estimate(usage, text))
            return Attempt(model_id, "failed", elapsed(), error.message,
                           error.error_class.value), None
        except Exception as exc:  # a provider bug: record it, log it, fall through
            log.exception("provider for %s failed unexpectedly", model_id)
            return Attempt(model_id, "failed", elapsed(), f"internal error: {type(exc).__name__}",
                           ErrorClass.SERVER.value), None
        text = "".join(parts)
        if not text.strip():
            return Attempt(model_id, "failed", elapsed(), "empty answer",
                           ErrorClass.INCOMPLETE_STREAM.value), None
        attempt = Attempt(model_id, "success", elapsed(), first_token_ms=first_token,
                          warning=WARNINGS.get(finish or ""))
        return attempt, (text, _estimate(usage, text))


def _estimate(usage: Usage, text: str) -> Usage:
    if usage.source != "unknown":
        return usage
    return Usage(None, max(1, len(text) // 4), "estimated")
