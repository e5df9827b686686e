"""Failover figures: a dead, hung or rate-limited primary against asking the secondary directly.

In process, through `Chain.run` (bench/fake_model.py `compare`): [primary, secondary,
builtin/reference] against [secondary, builtin/reference], request by request, alternating
which goes first. Request 1 pays the primary's failure; requests 2..N should not (its circuit
is open), so their rounds are compared with the direct ones. The hung primary also has a
figure of its own for request 1: the first-token timeout plus the secondary's time bounds it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bench.fake_model import Comparison, closed_port, compare, openai, registry_with
from bench.fakes import FastFake
from bench.stats import Figure, median
from dexter_ls.providers.openai import OpenAIProvider

FIRST_TOKEN_S = 1.0


def _split(comparison: Comparison, rounds: int) -> tuple[list[float], list[float]]:
    """Requests 2..N cut into `rounds` consecutive rounds: the medians of each side."""
    through, direct = comparison.through[1:], comparison.direct[1:]
    size = len(through) // rounds
    return ([median(through[i * size:(i + 1) * size]) for i in range(rounds)],
            [median(direct[i * size:(i + 1) * size]) for i in range(rounds)])


async def _compare(primary: OpenAIProvider, secondary: OpenAIProvider,
                   requests: int) -> Comparison:
    try:
        registry = registry_with(primary, secondary)
        return await compare(registry, f"{primary.name}/gpt-4o-mini",
                             f"{secondary.name}/gpt-4o-mini", requests, warmup=10)
    finally:
        await primary.aclose()
        await secondary.aclose()


def _figure(name: str, comparison: Comparison, rounds: int) -> Figure:
    figure = Figure(f"{name} primary, requests 2..N", "ms", "ratio", 1.05,
                    floor_name="secondary asked directly")
    figure.dexter, figure.floor = _split(comparison, rounds)
    tried = comparison.primary_tried
    figure.note = (f"primary attempted on {tried} of {len(comparison.through)} requests; "
                   f"answered by {dict(comparison.answered)}")
    return figure


def failover(rounds: int, per_round: int) -> list[Figure]:
    requests = 1 + rounds * per_round
    secondary_fake = FastFake().start()
    figures: list[Figure] = []
    try:
        def secondary() -> OpenAIProvider:
            return openai("secondary", secondary_fake.base_url)

        dead = openai("primary", f"http://127.0.0.1:{closed_port()}/v1")
        figures.append(_figure("dead", asyncio.run(_compare(dead, secondary(), requests)),
                               rounds))

        limited_fake = FastFake().start()
        for _ in range(requests * 2):
            limited_fake.plan(fault="429")
        limited = openai("primary", limited_fake.base_url)
        try:
            figures.append(_figure("rate-limited (429, Retry-After 20 s)", asyncio.run(
                _compare(limited, secondary(), requests)), rounds))
        finally:
            limited_fake.stop()

        hung_fake = FastFake().start()
        for _ in range(requests * 2):
            hung_fake.plan(fault="hang-headers")

        def hung() -> OpenAIProvider:
            return openai("primary", hung_fake.base_url, connect=FIRST_TOKEN_S,
                          first_token=FIRST_TOKEN_S, total=FIRST_TOKEN_S * 10)

        try:
            comparison = asyncio.run(_compare(hung(), secondary(), requests))
            figures.append(_figure(f"hung (first-token timeout {FIRST_TOKEN_S:.0f} s)",
                                   comparison, rounds))
            figures.append(_first_request(rounds, hung, secondary))
        finally:
            hung_fake.stop()
    finally:
        secondary_fake.stop()
    return figures


def _first_request(rounds: int, hung: Callable[[], OpenAIProvider],
                   secondary: Callable[[], OpenAIProvider]) -> Figure:
    """Request 1 with a hung primary, each round with fresh chains (closed circuits)."""
    figure = Figure("hung primary, request 1", "ms", "over", 10.0,
                    floor_name="timeout + secondary directly",
                    note="bound: the first-token timeout plus the secondary's median; "
                         "10 ms allowed for the timer and dropping the connection")
    for _ in range(max(rounds, 7)):
        comparison = asyncio.run(_compare(hung(), secondary(), 2))
        figure.dexter.append(comparison.through[0])
        figure.floor.append(FIRST_TOKEN_S * 1000 + median(comparison.direct))
    return figure
