"""Decaying per-model statistics from real outcomes: first-token latency and success."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

ALPHA = 0.3  # weight of the newest sample
MIN_SAMPLES = 3  # before a score counts
FAILURE_PENALTY_MS = 30_000.0  # a failure counts as this slow a first token


@dataclass
class ModelStats:
    samples: int = 0
    successes: int = 0
    first_token_ms: float | None = None  # EWMA, failures penalised
    success_rate: float = 1.0  # EWMA
    recent_latency_ms: deque[float] = field(default_factory=lambda: deque(maxlen=20))

    def record(self, ok: bool, first_token_ms: float | None, total_ms: float) -> None:
        self.samples += 1
        self.successes += ok
        value = first_token_ms if ok and first_token_ms is not None else FAILURE_PENALTY_MS
        self.first_token_ms = value if self.first_token_ms is None else (
            ALPHA * value + (1 - ALPHA) * self.first_token_ms)
        self.success_rate = ALPHA * float(ok) + (1 - ALPHA) * self.success_rate
        if ok:
            self.recent_latency_ms.append(total_ms)

    def score(self) -> float | None:
        """Lower is better; None until MIN_SAMPLES outcomes are known."""
        if self.samples < MIN_SAMPLES or self.first_token_ms is None:
            return None
        return self.first_token_ms / max(self.success_rate, 0.05)

    def to_json(self) -> dict[str, object]:
        latencies = sorted(self.recent_latency_ms)
        return {
            "requests": self.samples,
            "successRate": round(self.successes / self.samples, 3) if self.samples else None,
            "firstTokenMs": round(self.first_token_ms, 1) if self.first_token_ms else None,
            "medianLatencyMs": round(latencies[len(latencies) // 2], 1) if latencies else None,
        }


class StatsBook:
    def __init__(self) -> None:
        self._stats: dict[str, ModelStats] = {}

    def get(self, model: str) -> ModelStats:
        return self._stats.setdefault(model, ModelStats())

    def record(self, model: str, ok: bool, first_token_ms: float | None, total_ms: float) -> None:
        self.get(model).record(ok, first_token_ms, total_ms)
