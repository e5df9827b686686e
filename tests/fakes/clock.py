"""A clock the test controls: `sleep` advances time at once and is recorded, never waited."""

from __future__ import annotations

import asyncio


class FakeClock:
    """Implements `dexter_ls.models.clock.Clock` without real waits.

    `now()` returns the simulated time; `sleep(s)` adds `s` to it (negative sleeps count as
    zero, as with `asyncio.sleep`), records `s` in `sleeps` and yields to the event loop once.
    """

    def __init__(self, start: float = 1000.0) -> None:
        self.time = start
        self.sleeps: list[float] = []

    def now(self) -> float:
        return self.time

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.time += max(seconds, 0.0)
        await asyncio.sleep(0)

    def advance(self, seconds: float) -> None:
        """Let time pass outside any request (not recorded as a sleep)."""
        self.time += seconds

    @property
    def slept(self) -> float:
        return sum(max(s, 0.0) for s in self.sleeps)
