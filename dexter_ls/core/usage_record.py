"""One row of local telemetry: what happened to one model in one explanation request.

Written by the server after each request (never on a hot path), read by
`dexter.modelStats`, `dexter stats` and the dashboard. Nothing here leaves the machine.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class AttemptRecord:
    ts: float  # unix seconds when the request finished
    request_id: str  # groups the attempts of one request (fallbacks are read from it)
    model: str  # "provider/model"
    provider: str
    outcome: str  # success | failed | skipped | incomplete
    error_class: str | None  # the normalized error class when it failed
    fallback_reason: str | None  # why the chain moved past this model; None for the answer
    first_token_ms: float | None
    latency_ms: float
    input_tokens: int | None
    output_tokens: int | None
    usage_source: str  # reported | estimated | unknown
    cost_usd: float | None  # None when the price is unknown (never 0 for "unknown")
    template: str | None  # prompt templates, name@version(+name@version)
    category: str  # the error category of the diagnostic
    answered_by: str | None  # the model that answered the request; None when none did

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AttemptRecord:
        values: dict[str, Any] = {name: data.get(name) for name in cls.__dataclass_fields__}
        return cls(**values)
