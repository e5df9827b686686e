"""Gather what the dashboard shows: the registry as listed, the chain, and telemetry."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dexter_ls.core.usage_record import AttemptRecord
from dexter_ls.dashboard.data import DashboardData
from dexter_ls.models.usage_report import (
    latency_series,
    model_stats,
    recent_fallbacks,
    window_start,
)


def collect(models: list[dict[str, Any]], chain: list[str], records: Sequence[AttemptRecord],
            *, window: str, now: float) -> DashboardData:
    """Raises ValueError for an unknown window."""
    since = window_start(window, now)
    return DashboardData(
        generated_at=now,
        window=window,
        models=models,
        chain=chain,
        stats=model_stats(records, window, now),
        series=latency_series(records, now=now, since=since),
        fallbacks=recent_fallbacks([r for r in records if since is None or r.ts >= since]),
    )
