"""The peer: LiteLLM, on the same workload and the same fake upstream (TCP_NODELAY).

Router figures (needs the `bench-peer` extra): a two-deployment fallback, a model that
fails (500) then a good one, through `litellm.Router(fallbacks=...)` and through Dexter's
chain [broken, good, builtin/reference], request by request, alternating who goes first;
the healthy case (the good model only) the same way; and the import time of each.

Gateway figure (needs LiteLLM's proxy, installed by .ci/bench.sh into
.ci-cache/litellm-venv): Dexter's chain asking the fake through the proxy against asking
it directly: what the hop to a team's gateway adds.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bench.fake_model import request_for
from bench.fakes import FastFake
from bench.gateway_proxy import PROXY_VENV, LiteLLMProxy
from bench.stats import Figure, Unavailable, median
from dexter_ls.models.chain import Chain
from dexter_ls.models.registry import ModelRegistry
from dexter_ls.models.router import BUILTIN_MODEL
from dexter_ls.providers.http import Endpoint, Timeouts
from dexter_ls.providers.openai import OpenAIProvider

GOOD, BROKEN = "gpt-4o-mini", "broken"
Ask = Callable[[], Awaitable[str]]


def _litellm() -> Any:
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # no download at import
    try:
        import litellm
    except ImportError:
        raise Unavailable("litellm is not installed: pip install -e '.[bench-peer]'") from None
    litellm.telemetry = False
    litellm.suppress_debug_info = True
    return litellm


def _dexter(base_url: str, registry_name: str = "fake") -> tuple[ModelRegistry, OpenAIProvider]:
    from dexter_ls.assemble import register_providers

    registry = ModelRegistry()
    register_providers(registry)
    provider = OpenAIProvider(registry_name, Endpoint(base_url, Timeouts(2.0, 10.0, 20.0)))
    registry.register_provider(provider)
    return registry, provider


async def _pair(rounds: int, per_round: int, asks: dict[str, Ask]) -> dict[str, list[float]]:
    """Round medians per asker, interleaved request by request (rotating who goes first)."""
    names = list(asks)
    medians: dict[str, list[float]] = {n: [] for n in names}
    for _ in range(5):  # warm connections and code paths
        for name in names:
            await asks[name]()
    for index in range(rounds):
        times: dict[str, list[float]] = {n: [] for n in names}
        for turn in range(per_round):
            shift = (index + turn) % len(names)
            for name in names[shift:] + names[:shift]:
                started = time.perf_counter()
                answered = await asks[name]()
                times[name].append((time.perf_counter() - started) * 1000)
                if answered != GOOD:
                    raise AssertionError(f"{name}: answered by {answered}, not {GOOD}")
        for name in names:
            medians[name].append(median(times[name]))
    return medians


async def _router_figures(rounds: int, per_round: int) -> list[Figure]:
    litellm = _litellm()
    fake = FastFake(models=(GOOD, BROKEN), failing=(BROKEN,)).start()
    registry, provider = _dexter(fake.base_url)
    await registry.refresh()
    request = request_for(registry.resolve(f"fake/{GOOD}").info)
    messages = [{"role": m.role, "content": m.content} for m in request.messages]
    params = {"api_base": fake.base_url, "api_key": "sk-bench", "max_retries": 0}
    router = litellm.Router(model_list=[
        {"model_name": name, "litellm_params": {"model": f"openai/{name}", **params}}
        for name in (BROKEN, GOOD)], fallbacks=[{BROKEN: [GOOD]}], num_retries=0)
    chain = Chain(registry)

    def via_router(model: str) -> Ask:
        async def ask() -> str:
            reply = await router.acompletion(model=model, messages=messages, stream=True,
                                             max_tokens=request.max_output_tokens,
                                             temperature=request.temperature)
            async for _ in reply:
                pass
            return GOOD  # the router does not say which deployment answered in a stream

        return ask

    def via_chain(models: list[str]) -> Ask:
        async def ask() -> str:
            result = await chain.run(models, lambda _info: request, deadline_seconds=30,
                                     max_attempts=6)
            return result.model.split("/", 1)[1]

        return ask

    try:
        fallback = await _pair(rounds, per_round, {
            "dexter": via_chain([f"fake/{BROKEN}", f"fake/{GOOD}", BUILTIN_MODEL]),
            "litellm": via_router(BROKEN)})
        healthy = await _pair(rounds, per_round, {
            "dexter": via_chain([f"fake/{GOOD}", BUILTIN_MODEL]),
            "litellm": via_router(GOOD)})
        broken_asked = len([r for r in fake.requests_to("/v1/chat/completions")
                            if b'"broken"' in r.body])
    finally:
        await provider.aclose()
        fake.stop()
    return [
        Figure("fallback (500 then a good model), per request", "ms", "ratio", None,
               dexter=fallback["dexter"], floor=fallback["litellm"], floor_name="litellm.Router",
               note=f"{per_round} requests per round each; the broken model was asked "
                    f"{broken_asked} times in all (Dexter's circuit opens, the Router retries "
                    "it on every request)"),
        Figure("healthy model, per request", "ms", "ratio", None, dexter=healthy["dexter"],
               floor=healthy["litellm"], floor_name="litellm.Router"),
    ]


def _import_ms(module: str) -> float:
    env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", f"import {module}"], check=True, env=env)
    return (time.perf_counter() - started) * 1000


def figures(rounds: int, requests: int) -> list[Figure]:
    _litellm()
    found = asyncio.run(_router_figures(rounds, -(-requests // rounds)))
    imports = Figure("import time", "ms", "ratio", None, floor_name="import litellm",
                     note="Dexter: the chain and the OpenAI adapter")
    for index in range(rounds):
        order = ["dexter", "litellm"] if index % 2 == 0 else ["litellm", "dexter"]
        for who in order:
            if who == "dexter":
                imports.dexter.append(_import_ms(
                    "dexter_ls.models.chain, dexter_ls.providers.openai, dexter_ls.assemble"))
            else:
                imports.floor.append(_import_ms("litellm"))
    return [*found, imports]


def gateway(rounds: int, per_round: int) -> list[Figure]:
    """Dexter's chain through LiteLLM's proxy against the same fake directly."""
    if not (Path(PROXY_VENV) / "bin" / "litellm").exists():
        raise Unavailable(f"LiteLLM's proxy is not installed in {PROXY_VENV} (.ci/bench.sh)")
    fake = FastFake().start()
    try:
        with LiteLLMProxy({GOOD: fake.base_url}) as proxy:
            return [asyncio.run(_gateway_figure(rounds, per_round, fake, proxy))]
    finally:
        fake.stop()


async def _gateway_figure(rounds: int, per_round: int, fake: FastFake,
                          proxy: LiteLLMProxy) -> Figure:
    direct_registry, direct = _dexter(fake.base_url, "direct")
    proxied_registry, proxied = _dexter_keyed(proxy)
    try:
        await direct_registry.refresh()
        await proxied_registry.refresh()
        request = request_for(direct_registry.resolve(f"direct/{GOOD}").info)
        chains = {"direct": (Chain(direct_registry), f"direct/{GOOD}"),
                  "proxied": (Chain(proxied_registry), f"team/{GOOD}")}

        def ask(name: str) -> Ask:
            chain, model = chains[name]

            async def run() -> str:
                result = await chain.run([model, BUILTIN_MODEL], lambda _i: request,
                                         deadline_seconds=30, max_attempts=2)
                return result.model.split("/", 1)[1]

            return run

        medians = await _pair(rounds, per_round, {"proxied": ask("proxied"),
                                                  "direct": ask("direct")})
    finally:
        await direct.aclose()
        await proxied.aclose()
    return Figure("explanation through a LiteLLM proxy", "ms", "over", None,
                  dexter=medians["proxied"], floor=medians["direct"],
                  floor_name="the upstream directly",
                  note="the hop a team's gateway adds (proxy on 127.0.0.1, fake upstream)")


def _dexter_keyed(proxy: LiteLLMProxy) -> tuple[ModelRegistry, OpenAIProvider]:
    from dexter_ls.assemble import register_providers

    registry = ModelRegistry()
    register_providers(registry)
    provider = OpenAIProvider("team", Endpoint(proxy.base_url, Timeouts(5.0, 30.0, 60.0),
                                               secret=proxy.master_key))
    registry.register_provider(provider)
    return registry, provider
