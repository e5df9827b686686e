"""The answer to one `dexter.explain`: what the editor and the CLI show."""

from __future__ import annotations

from dataclasses import dataclass, replace

from dexter_ls.models.attempts import Attempt
from dexter_ls.providers.base import Usage


@dataclass(frozen=True)
class Explanation:
    markdown: str
    model: str
    requested_model: str
    attempts: tuple[Attempt, ...]
    cached: bool
    latency_ms: float
    usage: Usage
    incomplete: bool = False
    model_version: str | None = None  # a new version (e.g. Ollama digest) retires this answer
    category: str = "other"
    prompt_signature: str | None = None  # template names@versions: part of its identity
    redactions: int = 0  # secrets replaced before the context left this machine

    def as_cached(self, latency_ms: float) -> Explanation:
        return replace(self, cached=True, latency_ms=latency_ms)

    def to_json(self) -> dict[str, object]:
        return {
            "markdown": self.markdown,
            "model": self.model,
            "requestedModel": self.requested_model,
            "attempts": [a.to_json() for a in self.attempts],
            "cached": self.cached,
            "latencyMs": round(self.latency_ms, 1),
            "usage": self.usage.to_json(),
            "incomplete": self.incomplete,
            "modelVersion": self.model_version,
            "category": self.category,
            "prompt": self.prompt_signature,
            "redactions": self.redactions,
        }
