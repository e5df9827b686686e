"""The order in which candidates are tried: preferences first, then the routing policy."""

from __future__ import annotations

import random
from typing import Literal

from dexter_ls.models.stats import StatsBook

BUILTIN_MODEL = "builtin/reference"
Routing = Literal["ordered", "fastest", "balanced"]
BALANCE_BAND = 1.25  # "balanced" picks among models within 25% of the best score


def candidate_order(override: str | None, model: str | None, chain: list[str],
                    category_model: str | None = None) -> list[str]:
    """Override -> category model -> dexter.model -> fallbackChain -> builtin; no repeats."""
    ordered: list[str] = []
    for model_id in [override, category_model, model, *chain]:
        if model_id and model_id != BUILTIN_MODEL and model_id not in ordered:
            ordered.append(model_id)
    return [*ordered, BUILTIN_MODEL]


def route(candidates: list[str], routing: Routing, stats: StatsBook, *, pinned: int = 0,
          rng: random.Random | None = None) -> list[str]:
    """Reorder the candidates after the first `pinned` (explicit choices) by the policy."""
    if routing == "ordered":
        return candidates
    head, body = candidates[:pinned], [c for c in candidates[pinned:] if c != BUILTIN_MODEL]
    tail = [BUILTIN_MODEL] if BUILTIN_MODEL in candidates else []
    untried = [c for c in body if stats.get(c).score() is None]  # explore them first
    scored = sorted((c for c in body if c not in untried),
                    key=lambda c: stats.get(c).score() or 0.0)
    if routing == "balanced" and scored:
        best = stats.get(scored[0]).score() or 0.0
        band = [c for c in scored if (stats.get(c).score() or 0.0) <= best * BALANCE_BAND]
        first = (rng or random).choice(band)
        scored = [first, *(c for c in scored if c != first)]
    return [*head, *untried, *scored, *tail]
