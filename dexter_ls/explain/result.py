"""The answer to one `dexter.explain`: what the editor and the CLI show."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from dexter_ls.core.provider import Usage
from dexter_ls.models.attempts import Attempt


@dataclass(frozen=True)
class Explanation:
    body: str  # the cleaned answer; `markdown` adds the footer line
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
    notice: str | None = None  # why the reference answered instead, and what to do

    def as_cached(self, latency_ms: float) -> Explanation:
        return replace(self, cached=True, latency_ms=latency_ms)

    @property
    def fallbacks(self) -> list[tuple[str, str]]:
        """(model, short reason) per attempt of another model that failed or was skipped."""
        return [(a.model, a.error_class or a.outcome) for a in self.attempts
                if a.outcome in ("failed", "skipped") and a.model != self.model]

    @property
    def markdown(self) -> str:
        """The answer and one footer line: the model, the time, the models tried first."""
        from dexter_ls.prompting.clean.footer import footer

        return self.body + footer(self.model, self.fallbacks, self.latency_ms,
                                  cached=self.cached)

    def to_json(self) -> dict[str, object]:
        return {
            "markdown": self.markdown,
            "body": self.body,
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
            "notice": self.notice,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Explanation:
        """Read back what to_json wrote (the explanation cache); raises ValueError if malformed."""
        try:
            body = data.get("body")
            return cls(
                body=str(body) if isinstance(body, str) else _without_footer(data["markdown"]),
                model=str(data["model"]),
                requested_model=str(data["requestedModel"]),
                attempts=tuple(Attempt.from_json(a) for a in data["attempts"]),
                cached=bool(data.get("cached", False)),
                latency_ms=float(data.get("latencyMs") or 0.0),
                usage=Usage.from_json(data.get("usage") or {}),
                incomplete=bool(data.get("incomplete", False)),
                model_version=data.get("modelVersion"),
                category=str(data.get("category") or "other"),
                prompt_signature=data.get("prompt"),
                redactions=int(data.get("redactions") or 0),
                notice=data.get("notice"),
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"not a stored explanation: {exc}") from None


def _without_footer(markdown: object) -> str:
    """An entry cached before `body` was stored: its markdown minus the footer it carried."""
    return str(markdown).split("\n\n---\n*Explained by ", 1)[0]
