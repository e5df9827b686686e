"""Statistics over local telemetry rows, for `dexter.modelStats`, `dexter stats` and charts.

Pure functions over `AttemptRecord`s; no I/O. Percentiles use linear interpolation between
the closest ranks (numpy's default): for sorted values x[0..n-1] and a fraction q, the rank is
h = (n - 1) * q and the percentile x[floor h] + (h - floor h) * (x[floor h + 1] - x[floor h]).
So [100, 200, 300, 400] gives p50 250 and p95 385. Milliseconds are rounded to 0.1.

A fallback: within one request whose `answered_by` is set, every attempt on another model
with outcome failed or skipped is one fallback from that model to `answered_by`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from typing import Any

from dexter_ls.core.usage_record import AttemptRecord

WINDOWS: dict[str, int | None] = {"1h": 3600, "24h": 86400, "7d": 604800, "all": None}
SENT = frozenset({"success", "failed", "incomplete"})  # the request reached the model
FELL_BACK = frozenset({"failed", "skipped"})


def window_start(window: str, now: float) -> float | None:
    """The first unix second inside `window` ending at `now`; None for "all"."""
    if window not in WINDOWS:
        raise ValueError(f"unknown window {window!r}; use one of {', '.join(WINDOWS)}")
    seconds = WINDOWS[window]
    return None if seconds is None else now - seconds


def percentile(values: Iterable[float], q: float) -> float | None:
    """The q-quantile (0 <= q <= 1) by linear interpolation, rounded to 0.1; None when empty."""
    ordered = sorted(values)
    if not ordered:
        return None
    rank = (len(ordered) - 1) * q
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return round(ordered[low] + (rank - low) * (ordered[high] - ordered[low]), 1)


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=timezone.utc).isoformat(timespec="seconds")


def fallbacks(records: Sequence[AttemptRecord]) -> list[AttemptRecord]:
    """The attempts that count as a fallback to `answered_by`, in the order given."""
    return [r for r in records
            if r.answered_by is not None and r.model != r.answered_by and r.outcome in FELL_BACK]


def in_window(records: Sequence[AttemptRecord], since: float | None,
              now: float) -> list[AttemptRecord]:
    return [r for r in records if (since is None or r.ts >= since) and r.ts <= now]


def model_stats(records: Sequence[AttemptRecord], window: str, now: float) -> dict[str, Any]:
    """The JSON of `dexter.modelStats` over the records inside `window` ending at `now`."""
    since = window_start(window, now)
    chosen = in_window(records, since, now)
    by_model: dict[str, list[AttemptRecord]] = {}
    for record in chosen:
        by_model.setdefault(record.model, []).append(record)
    entries = {model: _model_entry(model, rows) for model, rows in by_model.items()}
    for record in fallbacks(chosen):
        assert record.answered_by is not None
        source = entries[record.model]
        target = entries.setdefault(
            record.answered_by, _model_entry(record.answered_by, []))
        _bump(source["fallbacksFrom"], record.answered_by)
        _bump(target["fallbacksTo"], record.model)
    models = sorted(entries.values(), key=lambda e: (-e["requests"], e["model"]))
    return {
        "window": window,
        "since": None if since is None else iso(since),
        "generatedAt": iso(now),
        "requests": len({r.request_id for r in chosen}),
        "models": models,
    }


def _bump(counts: dict[str, int], key: str) -> None:
    counts[key] = counts.get(key, 0) + 1


def _model_entry(model: str, rows: Sequence[AttemptRecord]) -> dict[str, Any]:
    sent = [r for r in rows if r.outcome in SENT]
    outcomes = Counter(r.outcome for r in rows)
    costs = [r.cost_usd for r in rows if r.cost_usd is not None]
    return {
        "model": model,
        "provider": rows[0].provider if rows else model.split("/", 1)[0],
        "requests": len(sent),
        "skipped": outcomes["skipped"],
        "successes": outcomes["success"],
        "failures": outcomes["failed"],
        "incomplete": outcomes["incomplete"],
        "successRate": round(outcomes["success"] / len(sent), 4) if sent else None,
        "latencyMs": {
            "p50": percentile((r.latency_ms for r in sent), 0.5),
            "p95": percentile((r.latency_ms for r in sent), 0.95),
        },
        "firstTokenMs": {
            "p50": percentile(
                (r.first_token_ms for r in sent if r.first_token_ms is not None), 0.5),
        },
        "tokens": {
            "input": sum(r.input_tokens for r in rows if r.input_tokens is not None),
            "output": sum(r.output_tokens for r in rows if r.output_tokens is not None),
        },
        "costUsd": round(math.fsum(costs), 8) if costs else None,
        "errors": dict(sorted(Counter(r.error_class for r in rows if r.error_class).items())),
        "fallbacksFrom": {},
        "fallbacksTo": {},
    }


def latency_series(records: Sequence[AttemptRecord], *, buckets: int = 24, now: float,
                   since: float | None) -> dict[str, list[dict[str, Any]]]:
    """Per model, `buckets` equal time slices from `since` to `now`, oldest first.

    Each slice is `{"start": unix seconds, "p50": ms or None, "requests": n, "successes": n}`
    over the attempts actually sent. With `since` None the series starts at the oldest record.
    Every model gets every slice (empty ones too), so charts line up.
    """
    if buckets < 1:
        raise ValueError("buckets must be at least 1")
    if since is None:
        if not records:
            return {}
        since = min(r.ts for r in records)
    span = max(now - since, 1.0)
    width = span / buckets
    start = now - span
    grouped: dict[str, list[list[AttemptRecord]]] = {}
    for record in in_window(records, start, now):
        slices = grouped.setdefault(record.model, [[] for _ in range(buckets)])
        if record.outcome in SENT:
            slices[min(int((record.ts - start) / width), buckets - 1)].append(record)
    return {
        model: [{
            "start": round(start + i * width, 3),
            "p50": percentile((r.latency_ms for r in rows), 0.5),
            "requests": len(rows),
            "successes": sum(r.outcome == "success" for r in rows),
        } for i, rows in enumerate(slices)]
        for model, slices in sorted(grouped.items())
    }


def recent_fallbacks(records: Sequence[AttemptRecord], limit: int = 20) -> list[dict[str, Any]]:
    """The newest `limit` fallbacks, newest first (chain order within one request)."""
    newest = sorted(fallbacks(records), key=lambda r: -r.ts)[:max(limit, 0)]
    return [{
        "ts": r.ts,
        "from": r.model,
        "to": r.answered_by,
        "reason": r.fallback_reason or r.error_class or r.outcome,
        "category": r.category,
    } for r in newest]
