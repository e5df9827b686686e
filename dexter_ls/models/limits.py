"""Local rate limits per provider: requests and tokens per minute, concurrent requests.

A request that finds every slot of a provider taken can queue for the next one
(`slot_freed`): each finished request hands its slot to the longest waiter, first come first
served, so a burst is served by the model as fast as its limit allows instead of each
request sleeping blindly and most of them giving up.
"""

from __future__ import annotations

import asyncio
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
    tokens: int = 0  # the sum of the events' tokens, kept as they come and go
    in_flight: int = 0
    waiters: deque[asyncio.Future[None]] = field(default_factory=deque)

    def wake_one(self) -> None:
        while self.waiters:
            waiter = self.waiters.popleft()
            if not waiter.done():  # one that gave up (timed out) is skipped
                waiter.set_result(None)
                return


class Permit:
    def __init__(self, usage: _Usage) -> None:
        self._usage = usage
        self._released = False

    def release(self) -> None:
        if not self._released:
            self._released = True
            self._usage.in_flight -= 1
            self._usage.wake_one()


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
            usage.tokens -= usage.events.popleft()[1]
        wait = usage.events[0][0] + WINDOW_SECONDS - now if usage.events else 0.0
        if limits.max_concurrency and usage.in_flight >= limits.max_concurrency:
            return f"{provider}: {usage.in_flight} requests already running (maxConcurrency)", 1.0
        if limits.requests_per_minute and len(usage.events) >= limits.requests_per_minute:
            return f"{provider}: requestsPerMinute {limits.requests_per_minute} reached", wait
        if limits.tokens_per_minute and usage.tokens + tokens > limits.tokens_per_minute:
            return (f"{provider}: tokensPerMinute {limits.tokens_per_minute} would be exceeded "
                    f"(~{tokens} more)"), wait
        return None

    def at_concurrency(self, provider: str) -> bool:
        """Every concurrent slot of `provider` is taken (the other limits aside)."""
        limits = self._limits.get(provider)
        usage = self._usage.get(provider)
        return bool(limits and limits.max_concurrency and usage
                    and usage.in_flight >= limits.max_concurrency)

    def slot_freed(self, provider: str) -> asyncio.Future[None]:
        """Resolved when a running request of `provider` finishes and it is this waiter's
        turn. Cancel it (or let it time out) to give up the place in the queue."""
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._usage.setdefault(provider, _Usage()).waiters.append(waiter)
        return waiter

    def hand_on(self, provider: str) -> None:
        """A waiter handed a slot gave up before taking it: the next one gets it."""
        usage = self._usage.get(provider)
        if usage is not None and not self.at_concurrency(provider):
            usage.wake_one()

    def acquire(self, provider: str, tokens: int) -> Permit | None:
        if self.why_not(provider, tokens) is not None:
            return None
        usage = self._usage.setdefault(provider, _Usage())
        usage.events.append((self._clock.now(), tokens))
        usage.tokens += tokens
        usage.in_flight += 1
        return Permit(usage)
