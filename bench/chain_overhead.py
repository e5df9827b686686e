"""What the fallback chain and the Explainer add to one model call.

A provider that answers in a fixed time (in-process: sleeps 5 ms, then two TextChunks and
a UsageChunk, so HTTP noise cannot hide the overhead) is asked the same way three ways,
interleaved request by request: its `stream` directly, through `Chain.run` (the model +
builtin/reference), and through `Explainer.explain` (a new subject each time, so its
memory never answers). Then over HTTP with the fake OpenAI server: a plain httpx stream of the
same body (what a caller without Dexter pays), Chain.run and Explainer.explain.
Goal: Chain.run − direct under 2 ms at the median.
Run from the repository root: python -m bench.chain_overhead [--requests N] [--no-http]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import httpx

from bench.fake_model import (
    DEADLINE_SECONDS,
    FAKE_MODEL,
    MAX_ATTEMPTS,
    FixedProvider,
    median,
    openai,
    registry_with,
    request_for,
    row,
    subject,
)
from bench.fakes import FastFake
from dexter_ls.core.model_info import ModelInfo
from dexter_ls.core.provider import Provider, TextChunk
from dexter_ls.explain.service import Explainer
from dexter_ls.models.chain import Chain
from dexter_ls.models.router import BUILTIN_MODEL
from dexter_ls.settings import Settings

GOAL_MS = 2.0
Asker = Callable[[int], Awaitable[str]]  # one request -> the model that answered


async def measure(paths: dict[str, Asker], requests: int, warmup: int) -> dict[str, list[float]]:
    """Interleave the paths request by request (rotating who goes first)."""
    times: dict[str, list[float]] = {name: [] for name in paths}
    answered: dict[str, Counter[str]] = {name: Counter() for name in paths}
    names = list(paths)
    for index in range(warmup + requests):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            started = time.perf_counter()
            model = await paths[name](index)
            elapsed = (time.perf_counter() - started) * 1000
            if index >= warmup:
                times[name].append(elapsed)
                answered[name][model] += 1
    for name, counts in answered.items():
        if len(counts) > 1:  # a fallback happened: the figures are not the path's own cost
            print(f"  note: {name} was answered by {dict(counts)}")
    return times


def direct_path(provider: Provider, info: ModelInfo) -> Asker:
    request = request_for(info)

    async def direct(index: int) -> str:
        text = []
        async for chunk in provider.stream(info.name, request):
            if isinstance(chunk, TextChunk):
                text.append(chunk.text)
        return info.id if text else "(empty)"

    return direct


def chain_path(chain: Chain, info: ModelInfo) -> Asker:
    request = request_for(info)  # the same prompt as the direct path: only the chain differs
    candidates = [info.id, BUILTIN_MODEL]

    async def via_chain(index: int) -> str:
        result = await chain.run(candidates, lambda _info: request,
                                 deadline_seconds=DEADLINE_SECONDS, max_attempts=MAX_ATTEMPTS)
        return result.model

    return via_chain


def report(title: str, times: dict[str, list[float]]) -> None:
    base = median(times["direct stream"])
    print(title)
    for name, values in times.items():
        print("  " + row(name, values, base, width=20))
    for name in times:
        if name != "direct stream":
            overhead = median(times[name]) - base
            goal = f"  (goal < {GOAL_MS:.0f} ms)" if name == "Chain.run" else ""
            print(f"  overhead {name + ' − direct:':28s} {overhead:6.2f} ms at the median{goal}")


async def in_process(requests: int, warmup: int, delay: float) -> None:
    provider = FixedProvider(delay=delay)
    registry = registry_with(provider)
    settings = Settings(model=provider.info.id)
    explainer = Explainer(registry, lambda: settings)

    async def via_explainer(index: int) -> str:
        return (await explainer.explain(subject(index))).model

    times = await measure({"direct stream": direct_path(provider, provider.info),
                           "Chain.run": chain_path(Chain(registry), provider.info),
                           "Explainer.explain": via_explainer}, requests, warmup)
    report(f"in-process provider answering in {delay * 1000:.0f} ms, {requests} requests each",
           times)


async def over_http(requests: int, warmup: int) -> None:
    """The editor's view: a plain httpx streamed POST of the very body the adapter sends
    (no adapter, no chain) against Chain.run and Explainer.explain over the same fake."""
    server = FastFake().start()
    provider = openai("fake", server.base_url)
    client = httpx.AsyncClient(trust_env=False)
    try:
        registry = registry_with(provider)
        info = registry.resolve(f"fake/{FAKE_MODEL}").info
        await direct_path(provider, info)(0)  # the adapter's body, captured by the fake
        body = server.requests_to("/v1/chat/completions")[-1].body
        settings = Settings.from_data({"model": info.id, "cache": {"enabled": False}})
        explainer = Explainer(registry, lambda: settings)

        async def plain_stream(index: int) -> str:
            async with client.stream("POST", f"{server.base_url}/chat/completions",
                                     content=body,
                                     headers={"Content-Type": "application/json"}) as reply:
                async for _ in reply.aiter_lines():
                    pass
            return info.id

        async def via_explainer(index: int) -> str:
            return (await explainer.explain(subject(index))).model

        times = await measure({"direct stream": plain_stream,
                               "Chain.run": chain_path(Chain(registry), info),
                               "Explainer.explain": via_explainer}, requests, warmup)
    finally:
        await client.aclose()
        await provider.aclose()
        server.stop()
    report(f"fake OpenAI server over HTTP (127.0.0.1, TCP_NODELAY), {requests} requests each; "
           "direct = plain httpx stream of the same body", times)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--delay-ms", type=float, default=5.0)
    parser.add_argument("--no-http", action="store_true", help="skip the HTTP comparison")
    args = parser.parse_args()
    await in_process(args.requests, args.warmup, args.delay_ms / 1000)
    if not args.no_http:
        await over_http(args.requests, args.warmup)


if __name__ == "__main__":
    asyncio.run(main())
