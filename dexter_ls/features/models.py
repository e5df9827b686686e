"""Model commands: dexter.listModels, dexter.refreshModels (the chain commands: preferences)."""

from __future__ import annotations

from typing import Any

from dexter_ls.core.model_info import ModelStatus
from dexter_ls.features.base import DexterServer


def chain_problems(ls: DexterServer, chain: list[str]) -> list[str]:
    """Unknown models and repeats (a chain that would loop) in `chain`."""
    problems: list[str] = []
    seen: set[str] = set()
    for model_id in map(ls.registry.canonical, chain):
        if model_id in seen:
            problems.append(f"'{model_id}' appears twice: a chain tries each model once")
        seen.add(model_id)
        problem = ls.registry.check(model_id)
        if problem is not None:
            problems.append(problem)
    return problems


def models_json(ls: DexterServer) -> dict[str, Any]:
    chain = ls.explainer.candidates()
    breakers, stats = ls.explainer.chain.breakers, ls.explainer.chain.stats
    listed = []
    for info in ls.registry.listing(chain):
        cooldown = breakers.describe(info.id)
        if cooldown is not None and cooldown["state"] == "open":
            info = info.with_status(ModelStatus.COOLING_DOWN, f"{cooldown['reason']} "
                                    f"({cooldown['secondsLeft']}s left)")
        entry = info.to_json()
        entry["cooldown"] = cooldown
        entry["recent"] = stats.get(info.id).to_json()
        listed.append(entry)
    return {"models": listed, "chain": chain, "providers": dict(ls.registry.provider_problems)}


def register(ls: DexterServer) -> None:
    @ls.command("dexter.listModels")
    async def list_models(ls: DexterServer, *args: Any) -> dict[str, object]:
        await ls.configured.wait()
        return models_json(ls)

    @ls.command("dexter.refreshModels")
    async def refresh_models(ls: DexterServer, *args: Any) -> dict[str, object]:
        await ls.configured.wait()
        await ls.registry.refresh()  # free endpoints only: /api/tags, /v1/models
        return models_json(ls)
