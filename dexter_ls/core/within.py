"""`within(step, seconds)`: an await with a deadline that costs no task of its own."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

T = TypeVar("T")


async def within(step: Awaitable[T], seconds: float) -> T:
    """`step`, or asyncio.TimeoutError after `seconds`. With `asyncio.timeout` (3.11+) the step
    runs in the caller's task; `wait_for` (3.10) wraps it in a task of its own, which costs
    more than handling a streamed chunk."""
    timeout = getattr(asyncio, "timeout", None)
    if timeout is None:
        return await asyncio.wait_for(step, seconds)
    async with timeout(seconds):
        return await step
