"""What the dashboard shows, and defensive readers for it.

Every field comes from other modules (registry, statistics, telemetry) and may be null, of the
wrong type, or hostile (a model name is whatever a provider or a settings file says). The readers
here never raise: they turn anything unexpected into None, 0 or "".
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

WINDOWS = ("1h", "24h", "7d", "all")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class DashboardData:
    generated_at: float  # unix seconds
    window: str  # "1h" | "24h" | "7d" | "all"
    models: list[dict[str, Any]] = field(default_factory=list)  # registry entries
    chain: list[str] = field(default_factory=list)  # the active fallback chain, in order
    stats: dict[str, Any] = field(default_factory=dict)  # model statistics for the window
    series: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # per-model buckets
    fallbacks: list[dict[str, Any]] = field(default_factory=list)  # newest first


def num(value: Any) -> float | None:
    """A finite number, or None (bools, strings, NaN and infinities are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def count(value: Any) -> int:
    """A non-negative whole count; anything else is 0."""
    number = num(value)
    return int(number) if number is not None and number > 0 else 0


def text(value: Any, limit: int = 300) -> str:
    """A display string without control characters, cut to `limit`. Not escaped: escape it."""
    if value is None:
        return ""
    string = _CONTROL.sub("", value if isinstance(value, str) else str(value))
    return string if len(string) <= limit else string[: limit - 1] + "…"


def mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def records(value: Any) -> list[dict[str, Any]]:
    """The dict items of a list (anything else is dropped)."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def stats_rows(data: DashboardData) -> list[dict[str, Any]]:
    """The per-model rows of the statistics that name a model."""
    return [row for row in records(mapping(data.stats).get("models")) if text(row.get("model"))]


def model_ids(data: DashboardData) -> list[str]:
    """Every model the data mentions, in a stable order: chain, registry, statistics, series."""
    seen: dict[str, None] = {}
    for model in data.chain if isinstance(data.chain, list) else []:
        seen.setdefault(text(model), None)
    for entry in records(data.models):
        seen.setdefault(text(entry.get("id")), None)
    for row in stats_rows(data):
        seen.setdefault(text(row.get("model")), None)
    for model in mapping(data.series):
        seen.setdefault(text(model), None)
    seen.pop("", None)
    return list(seen)


def sample_data(now: float) -> DashboardData:
    """A realistic example (four models, a day of traffic, two fallbacks): previews and tests."""
    hour = 3600.0
    start = math.floor(now / hour) * hour - 23 * hour
    local = "ollama/qwen2.5-coder:7b"
    cloud = "openai/gpt-4o-mini"
    series: dict[str, list[dict[str, Any]]] = {local: [], cloud: [], "builtin/reference": []}
    for i in range(24):
        ts = start + i * hour
        busy = 3 + (i * 7) % 11
        series[local].append({
            "start": ts, "p50": None if i in (5, 6, 13) else 700.0 + 90 * ((i * 5) % 9),
            "requests": 0 if i in (5, 6) else busy, "successes": 0 if i in (5, 6) else busy - i % 2,
        })
        series[cloud].append({
            "start": ts, "p50": 1400.0 + 60 * ((i * 3) % 7) if i % 3 == 0 or i in (5, 6) else None,
            "requests": 2 if i % 3 == 0 or i in (5, 6) else 0, "successes": 2 if i % 3 == 0 else 1,
        })
        series["builtin/reference"].append({
            "start": ts, "p50": 3.0 if i in (5, 6, 13) else None,
            "requests": 1 if i in (5, 6, 13) else 0, "successes": 1 if i in (5, 6, 13) else 0,
        })

    def recent(requests: int, rate: float | None, first: float | None, median: float | None
               ) -> dict[str, Any]:
        return {"requests": requests, "successRate": rate, "firstTokenMs": first,
                "medianLatencyMs": median}

    models: list[dict[str, Any]] = [
        {"id": local, "provider": "ollama", "name": "qwen2.5-coder:7b",
         "displayName": "Qwen2.5 Coder 7B", "family": "qwen2", "parameterSize": "7.6B",
         "quantization": "Q4_K_M", "contextWindow": 32768, "capabilities": ["completion"],
         "status": "available", "statusDetail": "running on 127.0.0.1:11434",
         "version": "sha256:2b0496514337a3d5901f1d253d01726c890b721e891335a56d6e08cedf3e2cb0",
         "local": True, "cooldown": None, "recent": recent(131, 0.947, 240.0, 890.0)},
        {"id": cloud, "provider": "openai", "name": "gpt-4o-mini", "displayName": "GPT-4o mini",
         "family": "gpt-4o", "parameterSize": None, "quantization": None, "contextWindow": 128000,
         "capabilities": ["completion", "tools"], "status": "cooling down",
         "statusDetail": "HTTP 429 rate limited", "version": "gpt-4o-mini-2024-07-18",
         "local": False, "cooldown": {"state": "open", "reason": "429 Too Many Requests",
                                      "secondsLeft": 42.5},
         "recent": recent(10, 0.8, 610.0, 1520.0)},
        {"id": "anthropic/claude-3-5-haiku", "provider": "anthropic", "name": "claude-3-5-haiku",
         "displayName": "Claude 3.5 Haiku", "family": "claude-3-5", "parameterSize": None,
         "quantization": None, "contextWindow": 200000, "capabilities": ["completion"],
         "status": "needs key", "statusDetail": "set ANTHROPIC_API_KEY or run `dexter keys set`",
         "version": None, "local": False, "cooldown": None, "recent": recent(0, None, None, None)},
        {"id": "builtin/reference", "provider": "builtin", "name": "reference",
         "displayName": "Built-in reference", "family": None, "parameterSize": None,
         "quantization": None, "contextWindow": None, "capabilities": [], "status": "available",
         "statusDetail": "offline explanations", "version": "0.1.0", "local": True,
         "cooldown": None, "recent": recent(3, 1.0, 1.0, 3.0)},
    ]

    def row(model: str, provider: str, ok: int, bad: int, p50: float | None, p95: float | None,
            tokens: tuple[int, int], cost: float | None, **extra: Any) -> dict[str, Any]:
        return {"model": model, "provider": provider, "requests": ok + bad, "skipped": 0,
                "successes": ok, "failures": bad, "incomplete": 0,
                "successRate": ok / (ok + bad) if ok + bad else None,
                "latencyMs": {"p50": p50, "p95": p95}, "firstTokenMs": {"p50": None},
                "tokens": {"input": tokens[0], "output": tokens[1]}, "costUsd": cost,
                "errors": extra.get("errors", {}), "fallbacksFrom": extra.get("out", {}),
                "fallbacksTo": extra.get("into", {})}

    stats = {"window": "24h", "since": start, "generatedAt": now, "requests": 147, "models": [
        row(local, "ollama", 124, 7, 880.0, 2100.0, (96_400, 21_850), 0.0,
            errors={"timeout": 4, "connection": 3}, out={cloud: 2, "builtin/reference": 1}),
        row(cloud, "openai", 8, 2, 1510.0, 2930.0, (7_210, 1_904), None,
            errors={"rate_limited": 2}, out={"builtin/reference": 2}, into={local: 2}),
        row("builtin/reference", "builtin", 3, 0, 3.0, 4.0, (0, 0), 0.0,
            into={local: 1, cloud: 2}),
    ]}
    fallbacks = [
        {"ts": now - 310, "from": cloud, "to": "builtin/reference",
         "reason": "HTTP 429: rate limit", "category": "rate_limited"},
        {"ts": now - 4000, "from": local, "to": cloud, "reason": "timed out after 20 s",
         "category": "timeout"},
    ]
    chain = [local, cloud, "builtin/reference"]
    return DashboardData(now, "24h", models, chain, stats, series, fallbacks)
