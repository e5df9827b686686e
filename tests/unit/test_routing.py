"""Routing, category models, pre-call filters, local limits and version retirement."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from pathlib import Path

from dexter_ls.assemble import register_providers
from dexter_ls.core.model_info import Capability, ModelInfo
from dexter_ls.core.provider import ChatRequest, Chunk
from dexter_ls.core.subject import Diagnostic, Position, Range, Subject
from dexter_ls.explain.service import Explainer
from dexter_ls.models.registry import ModelRegistry
from dexter_ls.models.router import route
from dexter_ls.models.stats import StatsBook
from dexter_ls.settings import Settings
from tests.fakes.clock import FakeClock
from tests.fakes.scripted import Script, ScriptedProvider

TYPE_ERROR = Subject(Diagnostic("Type 'string' is not assignable to type 'number'.",
                                Range(Position(0, 0), Position(0, 1)), code="TS2322",
                                source="ts"), path="a.ts")
NAME_ERROR = Subject(Diagnostic("name 'x' is not defined", Range(Position(0, 0), Position(0, 1)),
                                code="NameError", source="python"), path="a.py")


def world(settings: Settings, *models: ModelInfo) -> tuple[Explainer, ScriptedProvider]:
    registry = ModelRegistry()
    register_providers(registry)
    fake = ScriptedProvider()
    registry.register_provider(fake, list(models))
    return Explainer(registry, lambda: settings, clock=FakeClock()), fake


def stats_with(samples: dict[str, list[tuple[bool, float]]]) -> StatsBook:
    book = StatsBook()
    for model, outcomes in samples.items():
        for ok, ms in outcomes:
            book.record(model, ok, ms if ok else None, ms)
    return book


def test_ordered_routing_keeps_the_configured_order() -> None:
    book = stats_with({"p/slow": [(True, 900.0)] * 3, "p/fast": [(True, 50.0)] * 3})
    chain = ["p/slow", "p/fast", "builtin/reference"]
    assert route(chain, "ordered", book) == chain


def test_fastest_explores_untried_models_then_ranks_by_latency_and_success() -> None:
    book = stats_with({
        "p/slow": [(True, 900.0)] * 3,
        "p/fast": [(True, 50.0)] * 3,
        "p/flaky": [(True, 40.0), (False, 40.0), (False, 40.0)],  # fast but failing
    })
    chain = ["p/slow", "p/flaky", "p/fast", "p/new", "builtin/reference"]
    assert route(chain, "fastest", book) == [
        "p/new", "p/fast", "p/slow", "p/flaky", "builtin/reference"]


def test_a_score_needs_a_minimum_sample() -> None:
    book = stats_with({"p/lucky": [(True, 1.0)], "p/known": [(True, 100.0)] * 3})
    assert route(["p/known", "p/lucky", "builtin/reference"], "fastest", book)[0] == "p/lucky"
    assert book.get("p/lucky").score() is None  # one sample: still being explored


def test_balanced_picks_within_the_tolerance_band_of_the_best() -> None:
    book = stats_with({"p/a": [(True, 100.0)] * 3, "p/b": [(True, 110.0)] * 3,
                       "p/c": [(True, 400.0)] * 3})
    firsts = {route(["p/a", "p/b", "p/c", "builtin/reference"], "balanced", book,
                    rng=random.Random(seed))[0] for seed in range(40)}
    assert firsts == {"p/a", "p/b"}  # p/c is far outside the band


def test_pinned_choices_are_not_reordered() -> None:
    book = stats_with({"p/slow": [(True, 900.0)] * 3, "p/fast": [(True, 50.0)] * 3})
    assert route(["p/slow", "p/fast", "builtin/reference"], "fastest", book, pinned=1)[0] == (
        "p/slow")


async def test_category_model_is_tried_first_for_its_category_only() -> None:
    settings = Settings.from_data({"model": "fake/general",
                                        "categoryModels": {"type": "fake/typist"}})
    explainer, fake = world(settings)
    fake.enqueue("typist", Script(["types"]))
    fake.enqueue("general", Script(["names"]))
    assert (await explainer.explain(TYPE_ERROR)).model == "fake/typist"
    assert (await explainer.explain(NAME_ERROR)).model == "fake/general"


async def test_models_that_cannot_hold_the_prompt_or_chat_are_skipped_before_any_request() -> None:
    small = ModelInfo("fake/small", "fake", "small", "small", context_window=200,
                      capabilities=frozenset({Capability.CHAT}))
    embed = ModelInfo("fake/embed", "fake", "embed", "embed", context_window=8192,
                      capabilities=frozenset({Capability.VISION}))
    settings = Settings(model="fake/small", fallback_chain=["fake/embed", "fake/big"])
    explainer, fake = world(settings, small, embed)
    fake.enqueue("big", Script(["fits"]))
    result = await explainer.explain(NAME_ERROR)
    assert result.model == "fake/big"
    skipped = {a.model: (a.error_class, a.error) for a in result.attempts if a.outcome == "skipped"}
    assert skipped["fake/small"][0] == "context-window"
    assert "window is 200" in (skipped["fake/small"][1] or "")
    assert skipped["fake/embed"][0] == "capability"
    assert [m for m, _ in fake.requests] == ["big"]


async def test_a_local_rate_limit_sends_the_request_to_the_next_model() -> None:
    settings = Settings.from_data({
        "model": "fake/a", "fallbackChain": ["other/b"],
        "providers": {"fake": {"type": "openai", "baseUrl": "http://127.0.0.1:1",
                               "requestsPerMinute": 1}}})
    explainer, fake = world(settings)
    other = ScriptedProvider("other")
    explainer.registry.register_provider(other)
    fake.enqueue("a", Script(["first"]))
    other.enqueue("b", Script(["second"]))
    assert (await explainer.explain(NAME_ERROR)).model == "fake/a"
    second = await explainer.explain(TYPE_ERROR)
    assert second.model == "other/b"
    assert second.attempts[0].error_class == "rate-limit"
    assert "requestsPerMinute" in (second.attempts[0].error or "")


async def test_a_new_model_version_retires_remembered_answers() -> None:
    v1 = ModelInfo("fake/m", "fake", "m", "m", version="digest-1")
    explainer, fake = world(Settings(model="fake/m"), v1)
    fake.enqueue("m", Script(["old answer"]))
    fake.enqueue("m", Script(["new answer"]))
    assert (await explainer.explain(NAME_ERROR)).markdown.startswith("old answer")
    assert (await explainer.explain(NAME_ERROR)).cached
    explainer.registry.register_provider(fake, [ModelInfo("fake/m", "fake", "m", "m",
                                                          version="digest-2")])
    fresh = await explainer.explain(NAME_ERROR)
    assert not fresh.cached and fresh.markdown.startswith("new answer")
    assert fresh.model_version == "digest-2"


async def test_a_new_template_version_retires_remembered_answers(tmp_path: Path) -> None:
    settings = Settings.from_data({"model": "fake/m",
                                        "prompts": {"directory": str(tmp_path)}})
    explainer, fake = world(settings)
    fake.enqueue("m", Script(["first"]))
    fake.enqueue("m", Script(["second"]))
    assert (await explainer.explain(NAME_ERROR)).markdown.startswith("first")
    assert (await explainer.explain(NAME_ERROR)).cached
    (tmp_path / "base.txt").write_text(
        "name: base\nversion: 2\nkind: family\nfamilies: *\n---\n[system]\nNew.\n{focus}\n"
        "[user]\n{diagnostic}\n")
    explainer.reload_templates()
    again = await explainer.explain(NAME_ERROR)
    assert not again.cached and again.markdown.startswith("second")
    assert again.prompt_signature is not None and again.prompt_signature.startswith("base@2")


class CountingProvider(ScriptedProvider):
    """Counts the requests running at once."""

    def __init__(self) -> None:
        super().__init__()
        self.running = self.peak = 0

    async def stream(self, model: str, request: ChatRequest) -> AsyncIterator[Chunk]:
        self.running += 1
        self.peak = max(self.peak, self.running)
        try:
            async for chunk in super().stream(model, request):
                yield chunk
        finally:
            self.running -= 1


async def test_a_burst_queues_for_the_models_slots_instead_of_falling_to_the_reference(
) -> None:
    """20 explanations at once, the only model limited to 2 at a time, each answer 20 ms:
    every one is answered by the model (queued for a slot, first come first served), never
    more than 2 at once; none waits past INTERACTIVE_MAX_WAIT, so the reference is not
    needed. (A real clock: the queue waits for slots, not for time.)"""
    settings = Settings.from_data({
        "model": "fake/a",
        "providers": {"fake": {"type": "openai", "baseUrl": "http://127.0.0.1:1",
                               "maxConcurrency": 2}}})
    registry = ModelRegistry()
    register_providers(registry)
    fake = CountingProvider()
    registry.register_provider(fake)
    explainer = Explainer(registry, lambda: settings)
    subjects = [Subject(Diagnostic(f"name 'x{i}' is not defined",
                                   Range(Position(i, 0), Position(i, 1)), severity=1,
                                   code="F821", source="ruff")) for i in range(20)]
    for _ in subjects:
        fake.enqueue("a", Script(["answered"], delay=0.02))
    results = await asyncio.gather(*(explainer.explain(s) for s in subjects))
    assert [r.model for r in results] == ["fake/a"] * 20
    assert fake.peak == 2
    assert all(a.outcome == "success" for r in results for a in r.attempts)
