"""What the chain reports: one record per model tried or skipped, and the final result."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from dexter_ls.core.provider import ErrorClass, ProviderError, Usage
from dexter_ls.models.prices import estimate_cost

Outcome = Literal["success", "failed", "skipped", "incomplete", "cancelled"]
WARNINGS = {  # finish reasons that deserve a word in the attempt record
    "length": "the answer reached the output-token limit and was cut",
    "max_tokens": "the answer reached the output-token limit and was cut",
    "prompt-truncated": "the model's context window cut the prompt (it saw less than was sent)",
}
CUT = frozenset({"length", "max_tokens"})  # finish reasons of an answer stopped mid-way


@dataclass(frozen=True)
class Attempt:
    model: str
    outcome: Outcome
    latency_ms: float
    error: str | None = None
    error_class: str | None = None
    first_token_ms: float | None = None
    warning: str | None = None
    retries: int = 0
    usage: Usage | None = None
    cost_usd: float | None = None
    prompt_tokens: int | None = None  # estimated before sending: prompt + answer budget

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
        if self.prompt_tokens is not None:
            out["promptTokensEstimate"] = self.prompt_tokens
        if self.retries:
            out["retries"] = self.retries
        if self.usage is not None:
            out["usage"] = self.usage.to_json()
            out["costUsd"] = self.cost_usd
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Attempt:
        """The inverse of to_json (for answers read back from the explanation cache)."""
        usage = data.get("usage")
        outcome = data.get("outcome")
        return cls(
            model=str(data.get("model", "")),
            outcome=outcome if outcome in ("success", "failed", "skipped", "incomplete",
                                           "cancelled")
            else "failed",
            latency_ms=float(data.get("latencyMs") or 0.0),
            error=data.get("error"),
            error_class=data.get("errorClass"),
            first_token_ms=data.get("firstTokenMs"),
            warning=data.get("warning"),
            retries=int(data.get("retries") or 0),
            usage=Usage.from_json(usage) if isinstance(usage, Mapping) else None,
            cost_usd=data.get("costUsd"),
            prompt_tokens=data.get("promptTokensEstimate"),
        )


@dataclass(frozen=True)
class ChainResult:
    text: str
    model: str
    attempts: tuple[Attempt, ...]
    usage: Usage
    incomplete: bool = False
    note: str = ""  # why the answer is incomplete: shown after it, outside its Markdown


class ChainExhausted(Exception):
    """Every candidate failed; the message names each model and why."""

    def __init__(self, attempts: list[Attempt]) -> None:
        super().__init__(f"no model could explain this diagnostic ({summarize(attempts)})")
        self.attempts = attempts


def summarize(attempts: list[Attempt] | tuple[Attempt, ...]) -> str:
    """`model: why` per model, once each in the order first tried, with the number of tries
    when it was retried (error messages that already start with the model id do not name
    it twice)."""
    reasons: dict[str, list[str]] = {}
    tries: dict[str, int] = {}
    for attempt in attempts:
        why = (attempt.error or attempt.outcome).removeprefix(f"{attempt.model}: ")
        seen = reasons.setdefault(attempt.model, [])
        if why not in seen:
            seen.append(why)
        tries[attempt.model] = tries.get(attempt.model, 0) + 1
    return "; ".join(
        f"{model}: {' / '.join(why)}" + (f" ({tries[model]} tries)" if tries[model] > 1 else "")
        for model, why in reasons.items())


@dataclass
class Tried:
    """One attempt: its record and, when there is one, its answer (complete or not)."""

    attempt: Attempt
    text: str | None = None
    usage: Usage | None = None
    error: ProviderError | None = None
    note: str = ""  # why an answer is incomplete, said after it


def judged(model: str, retries: int, took: float, first_token: float | None, text: str,
           usage: Usage, finish: str | None, error: ProviderError | None) -> Tried:
    """What an attempt that streamed `text` came to: failed (nothing shown), incomplete (an
    error after text was shown, or cut at the output-token limit) or a success."""
    if error is not None and first_token is None:
        return Tried(Attempt(model, "failed", took, error.message, error.error_class.value,
                             retries=retries), error=error)
    used = usage if usage.source != "unknown" else Usage(None, max(1, len(text) // 4),
                                                         "estimated")
    cost = estimate_cost(model, used.input_tokens, used.output_tokens)
    if error is not None:  # committed: keep what was shown, never replay
        return Tried(Attempt(model, "incomplete", took, error.message,
                             ErrorClass.INCOMPLETE_STREAM.value, first_token, retries=retries,
                             usage=used, cost_usd=cost),
                     text, used, note=f"*(incomplete: {error.message})*")
    if finish in CUT:  # stopped at the output-token limit: the answer says so
        return Tried(Attempt(model, "incomplete", took, first_token_ms=first_token,
                             warning=WARNINGS[finish], retries=retries, usage=used,
                             cost_usd=cost),
                     text, used, note=f"*(incomplete: {WARNINGS[finish]})*")
    return Tried(Attempt(model, "success", took, first_token_ms=first_token,
                         warning=WARNINGS.get(finish or ""), retries=retries, usage=used,
                         cost_usd=cost), text, used)
