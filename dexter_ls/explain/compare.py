"""Ask several models the same question at once, each on its own (no fallback between them)."""

from __future__ import annotations

import asyncio
import time

from dexter_ls.core.model_info import split_model_id
from dexter_ls.core.subject import Subject
from dexter_ls.explain.prompting import classify
from dexter_ls.explain.service import Explainer
from dexter_ls.models.attempts import ChainExhausted

MAX_MODELS = 8


def check_models(models: object) -> list[str]:
    """The model ids to compare, without repeats; raises ValueError naming what is wrong."""
    if not isinstance(models, list) or not models:
        raise ValueError("expected a non-empty list of model ids")
    unique: list[str] = []
    for model in models:
        if not isinstance(model, str):
            raise ValueError(f"model ids are strings, got {type(model).__name__}")
        split_model_id(model)
        if model not in unique:
            unique.append(model)
    if len(unique) > MAX_MODELS:
        raise ValueError(f"at most {MAX_MODELS} models at once, got {len(unique)}")
    return unique


async def compare(explainer: Explainer, subject: Subject,
                  models: list[str]) -> list[dict[str, object]]:
    """One entry per model, in the order given: its answer or its error. The models run
    concurrently; each respects its provider's rate limits (it waits: it is its own last)."""
    category = classify(subject)  # once for all the models compared
    models = explainer.registry.canonical_ids(models)  # `ollama/x` is `ollama/x:latest`
    return list(await asyncio.gather(*(_one(explainer, subject, m, category) for m in models)))


def _failed(model: str, started: float, error: str, error_class: str | None,
            attempts: list[dict[str, object]]) -> dict[str, object]:
    return {"model": model, "markdown": None,
            "latencyMs": round((time.monotonic() - started) * 1000, 1),
            "firstTokenMs": None, "usage": None, "costUsd": None,
            "error": error, "errorClass": error_class, "attempts": attempts}


async def _one(explainer: Explainer, subject: Subject, model: str, category: str
               ) -> dict[str, object]:
    started = time.monotonic()
    problem = explainer.registry.check(model)  # e.g. a model its provider does not offer
    if problem is not None:
        return _failed(model, started, problem, "unknown-model", [])
    try:
        explanation = await explainer.ask(subject, [model], started=started,
                                          category=category)
    except ChainExhausted as exc:
        last = exc.attempts[-1] if exc.attempts else None
        return _failed(model, started, last.error or str(exc) if last else str(exc),
                       last.error_class if last else None,
                       [a.to_json() for a in exc.attempts])
    explainer.persist(subject, explanation)
    answer = next((a for a in explanation.attempts if a.model == model), None)
    return {
        "model": model,
        "markdown": explanation.markdown,
        "latencyMs": round(explanation.latency_ms, 1),
        "firstTokenMs": round(answer.first_token_ms, 1)
        if answer and answer.first_token_ms is not None else None,
        "usage": explanation.usage.to_json(),
        "costUsd": answer.cost_usd if answer else None,
        "error": None,
        "errorClass": None,
        "incomplete": explanation.incomplete,
        "modelVersion": explanation.model_version,
        "attempts": [a.to_json() for a in explanation.attempts],
    }
