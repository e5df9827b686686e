"""Prices of hosted models (USD per million tokens: input, output), for cost estimates.

Matched by the longest prefix of the model name; unknown -> None (never 0). Local
providers cost nothing that Dexter can measure, so they are None too.
"""

from __future__ import annotations

PER_MILLION: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
    "o4-mini": (1.10, 4.40),
    "o3-mini": (1.10, 4.40),
    "gpt-3.5-turbo": (0.50, 1.50),
    "claude-3-5-haiku": (0.80, 4.00),
    "claude-3-haiku": (0.25, 1.25),
    "claude-haiku-4": (1.00, 5.00),
    "claude-3-5-sonnet": (3.00, 15.00),
    "claude-3-7-sonnet": (3.00, 15.00),
    "claude-sonnet-4": (3.00, 15.00),
    "claude-opus-4": (15.00, 75.00),
}
PRICED_PROVIDERS = frozenset({"openai", "anthropic"})


def estimate_cost(model_id: str, input_tokens: int | None,
                  output_tokens: int | None) -> float | None:
    provider, _, name = model_id.partition("/")
    if provider not in PRICED_PROVIDERS or input_tokens is None or output_tokens is None:
        return None
    matches = [prefix for prefix in PER_MILLION if name.startswith(prefix)]
    if not matches:
        return None
    price_in, price_out = PER_MILLION[max(matches, key=len)]
    return round((input_tokens * price_in + output_tokens * price_out) / 1_000_000, 6)
