"""Shared pieces of the model benchmarks: an in-process provider that answers in a fixed
time, subjects that never repeat (so the Explainer's memory never answers), OpenAI
providers for 127.0.0.1, a closed port, and the figures each script prints.

Imported by bench/cache_hit.py, bench/chain_overhead.py, bench/failover_figures.py and
bench/peer.py (run them from the repository root, as `python -m bench.NAME`).
"""

from __future__ import annotations

import asyncio
import socket
import statistics
import time
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field

from dexter_ls.assemble import register_providers
from dexter_ls.core.model_info import Capability, ModelInfo, ModelStatus
from dexter_ls.core.provider import (
    ChatRequest,
    Chunk,
    Health,
    Provider,
    TextChunk,
    Usage,
    UsageChunk,
)
from dexter_ls.core.subject import Diagnostic, Position, Range, Subject
from dexter_ls.explain.prompt import build_request
from dexter_ls.models.chain import Chain, ChainResult
from dexter_ls.models.registry import ModelRegistry
from dexter_ls.models.router import BUILTIN_MODEL
from dexter_ls.providers.http import Endpoint, Timeouts
from dexter_ls.providers.openai import OpenAIProvider

DEADLINE_SECONDS = 30.0
MAX_ATTEMPTS = 6
FAKE_MODEL = "gpt-4o-mini"  # served by tests.fakes.openai_fake.FakeOpenAI


def model_info(provider: str, name: str) -> ModelInfo:
    return ModelInfo(f"{provider}/{name}", provider, name, name,
                     capabilities=frozenset({Capability.CHAT, Capability.STREAMING}),
                     status=ModelStatus.AVAILABLE)


class FixedProvider:
    """Sleeps `delay` seconds, then yields two TextChunks and a UsageChunk."""

    def __init__(self, name: str = "bench", model: str = "fixed", delay: float = 0.005) -> None:
        self.name = name
        self.info = model_info(name, model)
        self.delay = delay

    async def discover(self) -> list[ModelInfo]:
        return [self.info]

    async def health(self) -> Health:
        return Health(True, "in-process", (self.info,))

    async def stream(self, model: str, request: ChatRequest) -> AsyncIterator[Chunk]:
        await asyncio.sleep(self.delay)
        yield TextChunk("The name is not defined: ")
        yield TextChunk("import it or define it before use.")
        yield UsageChunk(Usage(42, 9, "reported"), "stop")


def subject(index: int) -> Subject:
    """A diagnostic whose message (and so cache key) differs for every index."""
    return Subject(
        Diagnostic(f"name 'undefined_{index}' is not defined",
                   Range(Position(index % 200, 4), Position(index % 200, 15)),
                   severity=1, code="NameError", source="python"),
        path="app.py", language="python",
    )


def request_for(info: ModelInfo, index: int = 0) -> ChatRequest:
    return build_request(subject(index), info)


def registry_with(*providers: Provider) -> ModelRegistry:
    """builtin/reference plus the given providers (FixedProvider: its one model, closed)."""
    registry = ModelRegistry()
    register_providers(registry)
    for provider in providers:
        if isinstance(provider, FixedProvider):
            registry.register_provider(provider, [provider.info], closed=True)
        else:
            registry.register_provider(provider)
    return registry


def openai(name: str, base_url: str, *, connect: float = 2.0, first_token: float = 10.0,
           total: float = 20.0) -> OpenAIProvider:
    return OpenAIProvider(name, Endpoint(base_url, Timeouts(connect, first_token, total)))


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (connections are refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def timed_chain(chain: Chain, candidates: list[str], index: int
                      ) -> tuple[float, ChainResult]:
    """Milliseconds for one Chain.run on a fresh subject, and its result."""
    started = time.perf_counter()
    result = await chain.run(candidates, lambda info: request_for(info, index),
                             deadline_seconds=DEADLINE_SECONDS, max_attempts=MAX_ATTEMPTS)
    return (time.perf_counter() - started) * 1000, result


def attempts_text(result: ChainResult) -> str:
    """`primary/x failed (connection) 1.2 ms -> secondary/x success 3.4 ms`."""
    parts = []
    for attempt in result.attempts:
        why = f" ({attempt.error_class})" if attempt.error_class else ""
        parts.append(f"{attempt.model} {attempt.outcome}{why} {attempt.latency_ms:.1f} ms")
    return " -> ".join(parts)


def median(times: Sequence[float]) -> float:
    return statistics.median(times) if times else float("nan")


def p95(times: Sequence[float]) -> float:
    if len(times) < 2:
        return times[0] if times else float("nan")
    return statistics.quantiles(times, n=20)[-1]


def row(name: str, times: Sequence[float], base: float | None = None, width: int = 28) -> str:
    line = (f"{name:{width}s} n {len(times):4d}  median {median(times):8.2f} ms  "
            f"p95 {p95(times):8.2f} ms")
    if base:
        line += f"  ratio {median(times) / base:5.2f}x"
    return line


@dataclass
class Comparison:
    """A chain with a bad primary against the same chain without it, request by request."""

    through: list[float] = field(default_factory=list)  # ms, [primary, secondary, builtin]
    direct: list[float] = field(default_factory=list)  # ms, [secondary, builtin]
    first: list[str] = field(default_factory=list)  # the first requests, attempt by attempt
    primary_tried: int = 0  # requests on which the primary was attempted (not skipped)
    answered: Counter[str] = field(default_factory=Counter)

    def print(self, title: str, primary_ms: str, goal_ratio: float | None = None) -> None:
        base = median(self.direct)
        rest = self.through[1:]
        ratio = median(rest) / base
        print(title)
        print(f"first {len(self.first)} requests through the chain:")
        print("\n".join(self.first))
        print(f"  {'chain request 1':28s} {self.through[0]:8.2f} ms  "
              f"(+{self.through[0] - base:.2f} ms over the baseline median){primary_ms}")
        print("  " + row("chain requests 2..N", rest, base))
        print("  " + row("baseline: secondary directly", self.direct, base))
        goal = f"  (goal ≤ {goal_ratio}x)" if goal_ratio else ""
        print(f"  ratio (2..N median / baseline median): {ratio:.3f}x{goal}")
        print(f"  primary attempted on {self.primary_tried} of {len(self.through)} requests "
              f"(skipped while its circuit is open); answered by {dict(self.answered)}")


async def compare(registry: ModelRegistry, primary: str, secondary: str, requests: int,
                  warmup: int, show_first: int = 5) -> Comparison:
    """`requests` each through [primary, secondary, builtin] and [secondary, builtin], with
    separate Chains (separate breakers), interleaved and alternating which goes first.
    `warmup` requests to the secondary go first through a third Chain."""
    warm = Chain(registry)
    for index in range(warmup):
        await timed_chain(warm, [secondary, BUILTIN_MODEL], -1 - index)
    chain, baseline = Chain(registry), Chain(registry)
    out = Comparison()
    for index in range(requests):
        order = [(chain, [primary, secondary, BUILTIN_MODEL], out.through),
                 (baseline, [secondary, BUILTIN_MODEL], out.direct)]
        for which, candidates, times in order if index % 2 == 0 else order[::-1]:
            elapsed, result = await timed_chain(which, candidates, index)
            times.append(elapsed)
            if which is not chain:
                continue
            out.answered[result.model] += 1
            out.primary_tried += any(a.model == primary and a.outcome != "skipped"
                                     for a in result.attempts)
            if index < show_first:
                out.first.append(f"  #{index + 1}  {elapsed:8.2f} ms  {attempts_text(result)}")
    return out


async def compare_providers(primary: OpenAIProvider, secondary: OpenAIProvider, requests: int,
                            warmup: int) -> Comparison:
    """`compare` with FAKE_MODEL on each provider; closes both providers."""
    try:
        return await compare(registry_with(primary, secondary), f"{primary.name}/{FAKE_MODEL}",
                             f"{secondary.name}/{FAKE_MODEL}", requests, warmup)
    finally:
        await primary.aclose()
        await secondary.aclose()
