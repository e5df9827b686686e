"""Local rate limits per provider: requests and tokens per minute, concurrent requests."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from dexter_ls.models.clock import Clock

WINDOW_SECONDS = 60.0


@dataclass
class Limits:
    requests_per_minute: int | None = None
    tokens_per_minute: int | None = None
    max_concurrency: int | None = None


@dataclass
class _Usage:
    events: deque[tuple[float, int]] = field(default_factory=deque)
    in_flight: int = 0


class Permit:
    def __init__(self, usage: _Usage) -> None:
        self._usage = usage
        self._released = False

    def release(self) -> None:
        if not self._released:
            self._released = True
            self._usage.in_flight -= 1


class RateLimiter:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._limits: dict[str, Limits] = {}
        self._usage: dict[str, _Usage] = {}

    def configure(self, provider: str, limits: Limits) -> None:
        self._limits[provider] = limits

    def why_not(self, provider: str, tokens: int) -> tuple[str, float] | None:
        """(reason, seconds until there is room) when a request would exceed a limit."""
        limits = self._limits.get(provider)
        if limits is None:
            return None
        usage = self._usage.setdefault(provider, _Usage())
        now = self._clock.now()
        while usage.events and usage.events[0][0] <= now - WINDOW_SECONDS:
            usage.events.popleft()
        wait = usage.events[0][0] + WINDOW_SECONDS - now if usage.events else 0.0
        if limits.max_concurrency and usage.in_flight >= limits.max_concurrency:
            return f"{provider}: {usage.in_flight} requests already running (maxConcurrency)", 1.0
        if limits.requests_per_minute and len(usage.events) >= limits.requests_per_minute:
            return f"{provider}: requestsPerMinute {limits.requests_per_minute} reached", wait
        used = sum(t for _, t in usage.events)
        if limits.tokens_per_minute and used + tokens > limits.tokens_per_minute:
            return (f"{provider}: tokensPerMinute {limits.tokens_per_minute} would be exceeded "
                    f"(~{tokens} more)"), wait
        return None

    def acquire(self, provider: str, tokens: int) -> Permit | None:
        if self.why_not(provider, tokens) is not None:
            return None
        usage = self._usage.setdefault(provider, _Usage())
        usage.events.append((self._clock.now(), tokens))
        usage.in_flight += 1
        return Permit(usage)
