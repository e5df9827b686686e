"""Properties of the fallback chain under random scripts and settings (hypothesis).

Models are `ScriptedProvider`s whose answers are drawn at random: successes, failures of
every error class (with or without Retry-After / x-should-retry), failures after some text,
slow answers and empty ones. Settings are random too (maxAttempts, deadline, chain order with
duplicates and unknown models, routing, a requests-per-minute limit on provider "fake"), and
each example sends 1-4 requests through one Explainer, letting simulated time pass in between
so circuits open, cool down and get half-open trials. The chain's waits run on a FakeClock:
no real sleeps.
"""

from __future__ import annotations

import asyncio
import itertools
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dexter_ls.assemble import register_providers
from dexter_ls.core.model_info import ModelInfo
from dexter_ls.core.provider import ChatRequest, Chunk, ErrorClass, ProviderError
from dexter_ls.core.subject import Diagnostic, Position, Range, Subject
from dexter_ls.explain.service import Explainer
from dexter_ls.models.attempts import Attempt
from dexter_ls.models.chain import (
    BACKOFF_BASE,
    BACKOFF_CAP,
    INTERACTIVE_MAX_WAIT,
    MAX_RETRIES,
    Chain,
)
from dexter_ls.models.registry import ModelRegistry
from dexter_ls.models.router import BUILTIN_MODEL
from dexter_ls.settings import Settings
from tests.fakes.clock import FakeClock
from tests.fakes.scripted import Script, ScriptedProvider

MODELS = ("fake/a", "fake/b", "fake/c", "alt/d")
UNKNOWN = "ghost/x"  # no such provider: always skipped as an unknown model
RETRYABLE_CLASSES = {ErrorClass.RATE_LIMITED, ErrorClass.SERVER, ErrorClass.TIMEOUT}
# (a connection error is not retried: the next candidate, the reference at worst, answers now)
RETRIABLE = {k.value for k in RETRYABLE_CLASSES}
PROPERTY_SETTINGS = settings(max_examples=100, deadline=None, derandomize=True,
                             suppress_health_check=[HealthCheck.too_slow,
                                                    HealthCheck.function_scoped_fixture])
TIMING_SETTINGS = settings(max_examples=50, deadline=None, derandomize=True,
                           suppress_health_check=[HealthCheck.too_slow,
                                                  HealthCheck.function_scoped_fixture])


def subject(n: int, *, code: str = "NameError", source: str = "python") -> Subject:
    return Subject(Diagnostic(f"name 'foo{n}' is not defined",
                              Range(Position(n, 0), Position(n, 3)), severity=1, code=code,
                              source=source), path="app.py")


@dataclass
class Call:
    model: str
    at: float
    script: Script


class Scripted(ScriptedProvider):
    """A ScriptedProvider that logs each call (model, simulated time, script) and answers
    "Fine." once a model's scripts run out."""

    def __init__(self, name: str, clock: FakeClock, calls: list[Call]) -> None:
        super().__init__(name)
        self.clock, self.calls = clock, calls

    async def stream(self, model: str, request: ChatRequest) -> AsyncIterator[Chunk]:
        if not self.queue.get(model):
            self.enqueue(model, Script(["Fine."]))
        self.calls.append(Call(f"{self.name}/{model}", self.clock.now(), self.queue[model][0]))
        async for chunk in super().stream(model, request):
            yield chunk


# -- strategies ---------------------------------------------------------------------------------

words = st.lists(st.sampled_from(["The ", "cause ", "is ", "a typo."]), min_size=1, max_size=3)
errors = st.builds(
    lambda kind, after, hint: ProviderError(kind, f"{kind.value} (scripted)", retry_after=after,
                                            should_retry=hint),
    st.sampled_from(sorted(RETRYABLE_CLASSES, key=lambda k: k.value)) | st.sampled_from(
        list(ErrorClass)),  # transient failures, which are retried, half of the time
    st.none() | st.sampled_from([0.0, 0.3, 2.0, 20.0, 90.0]),
    st.sampled_from([None, None, True, False]),
)
scripts = st.one_of(
    st.builds(Script, words),  # success
    st.builds(lambda e: Script([], e), errors),  # failure before any text
    st.builds(lambda e: Script([], e), errors),  # (twice as likely)
    st.builds(lambda w, e: Script(w, e), words, errors),  # failure after some text
    st.builds(lambda w, d: Script(w, delay=d), words, st.sampled_from([0.002, 0.01])),  # slow
    st.just(Script([])),  # an empty answer
)


@dataclass(frozen=True)
class Case:
    model: str | None
    chain: list[str]
    max_attempts: int
    timeout: float
    routing: str
    rpm: int | None
    scripts: dict[str, list[Script]]
    gaps: list[float]  # simulated seconds that pass before each request
    seed: int
    settings: Settings = field(init=False, repr=False)

    def __post_init__(self) -> None:
        raw: dict[str, object] = {
            "model": self.model, "fallbackChain": self.chain, "routing": self.routing,
            "explain": {"maxAttempts": self.max_attempts, "timeoutSeconds": self.timeout}}
        if self.rpm is not None:
            raw["providers"] = {"fake": {"requestsPerMinute": self.rpm}}
        object.__setattr__(self, "settings", Settings.from_data(raw))


cases = st.builds(
    Case,
    model=st.sampled_from([*MODELS, UNKNOWN]) | st.none(),
    chain=st.just([]) | st.lists(st.sampled_from([*MODELS, UNKNOWN, BUILTIN_MODEL]), max_size=4),
    max_attempts=st.integers(1, 6) | st.integers(1, 2),
    timeout=st.sampled_from([2.0, 15.0, 30.0, 60.0, 120.0, 0.005]),
    routing=st.sampled_from(["ordered", "fastest"]),
    rpm=st.none() | st.integers(1, 3),
    scripts=st.fixed_dictionaries({m: st.lists(scripts, max_size=6) for m in MODELS}),
    gaps=st.lists(st.sampled_from([0.0, 5.0, 12.0, 700.0, 4000.0]), min_size=1, max_size=4),
    seed=st.integers(0, 2**16),
)


# -- the world of one example -------------------------------------------------------------------


@dataclass
class World:
    explainer: Explainer
    clock: FakeClock
    calls: list[Call]


def build(case: Case) -> World:
    clock = FakeClock()
    calls: list[Call] = []
    registry = ModelRegistry()
    register_providers(registry)
    providers = {name: Scripted(name, clock, calls) for name in ("fake", "alt")}
    for provider in providers.values():
        registry.register_provider(provider)
    for model_id, queue in case.scripts.items():
        provider_name, name = model_id.split("/")
        for script in queue:
            providers[provider_name].enqueue(name, script)
    explainer = Explainer(registry, lambda: case.settings, clock=clock)
    explainer.chain = Chain(registry, clock=clock, rng=random.Random(case.seed))  # reproducible
    return World(explainer, clock, calls)


def runs(attempts: list[Attempt]) -> list[tuple[str, list[Attempt]]]:
    """Maximal runs of consecutive attempts of one model."""
    out: list[tuple[str, list[Attempt]]] = []
    for attempt in attempts:
        if out and out[-1][0] == attempt.model:
            out[-1][1].append(attempt)
        else:
            out.append((attempt.model, [attempt]))
    return out


def check_request(case: Case, candidates: list[str], attempts: list[Attempt],
                  answer_model: str, incomplete: bool, slept: list[float],
                  elapsed: float, calls: list[Call]) -> None:
    # Time: the chain never sleeps past the request deadline (the reference answers at once).
    assert all(s >= 0 for s in slept), slept
    assert elapsed <= case.timeout, (elapsed, case.timeout)

    # The answer is the last attempt's, and the reference is only ever the last one.
    last = attempts[-1]
    assert answer_model == last.model
    assert last.outcome in ("success", "incomplete")
    assert incomplete == (last.outcome == "incomplete")
    assert all(a.outcome in ("failed", "skipped") for a in attempts[:-1])
    assert BUILTIN_MODEL not in [a.model for a in attempts[:-1]]

    # The attempt budget bounds the model calls (the reference is not counted).
    tried = [a for a in attempts if a.outcome != "skipped" and a.model != BUILTIN_MODEL]
    assert len(tried) <= case.max_attempts
    assert [c.model for c in calls] == [a.model for a in tried], "one call per tried attempt"

    # Records: a skip always says why and costs nothing; a failure says why.
    for a in attempts:
        if a.outcome == "skipped":
            assert a.error and a.error_class and a.latency_ms == 0, a
        elif a.outcome == "failed":
            assert a.error and a.error_class, a
        elif a.outcome == "success":
            assert a.error is None and a.error_class is None, a

    # Every candidate up to the one that answered appears, in order (tried or skipped).
    order = list(dict.fromkeys(a.model for a in attempts))
    assert order == candidates[:len(order)], (order, candidates)
    assert candidates.index(answer_model) < len(order)
    if answer_model == BUILTIN_MODEL:
        assert order == candidates

    # Retries are consecutive attempts of one model; a model is never revisited, except the
    # one recovery try after *every* candidate was skipped while cooling down.
    groups = runs(attempts)
    seen: set[str] = set()
    for position, (model, group) in enumerate(groups):
        if model in seen:
            before = [a for _, g in groups[:position] for a in g]
            assert position == len(groups) - 1 or (
                position == len(groups) - 2 and groups[-1][0] == BUILTIN_MODEL), groups
            assert all(a.outcome == "skipped" for a in before), groups
            earlier = [a for a in before if a.model == model]
            assert [a.error_class for a in earlier] == ["cooling-down"], groups
            assert slept, "a recovery try follows a wait for the cooldown to end"
        seen.add(model)
        live = [a for a in group if a.outcome != "skipped"]
        assert [a.retries for a in live] == list(range(len(live))), group
        assert len(live) <= 1 + MAX_RETRIES
        for retried in live[:-1]:
            assert retried.outcome == "failed" and retried.error_class in RETRIABLE, group

    # A provider's "do not retry" is obeyed.
    for this, following in itertools.pairwise(calls):
        error = this.script.error
        if following.model == this.model and error is not None and not this.script.chunks:
            assert error.should_retry is not False, (this, following)
            assert error.error_class.value in RETRIABLE


async def scenario(case: Case) -> None:
    world = build(case)
    for n, gap in enumerate(case.gaps):
        world.clock.advance(gap)
        subj = subject(n)
        candidates = world.explainer.candidates(None, subj)
        assert candidates[-1] == BUILTIN_MODEL and len(set(candidates)) == len(candidates)
        sleeps_before, calls_before = len(world.clock.sleeps), len(world.calls)
        started = world.clock.now()
        result = await asyncio.wait_for(world.explainer.explain(subj), 30)  # it terminates
        check_request(case, candidates, list(result.attempts), result.model,
                      result.incomplete, world.clock.sleeps[sleeps_before:],
                      world.clock.now() - started, world.calls[calls_before:])
        assert result.markdown


@PROPERTY_SETTINGS
@given(case=cases)
def test_chain_invariants(case: Case) -> None:
    asyncio.run(scenario(case))


# -- retry timing, one model alone --------------------------------------------------------------

retriable_errors = st.builds(
    lambda kind, after: ProviderError(kind, "scripted", retry_after=after),
    st.sampled_from([ErrorClass.RATE_LIMITED, ErrorClass.SERVER, ErrorClass.TIMEOUT,
                     ErrorClass.CONNECTION]),
    st.none() | st.sampled_from([0.0, 0.2, 1.5, 4.0, 12.0, 40.0]),
)


@TIMING_SETTINGS
@given(failures=st.lists(retriable_errors, min_size=1, max_size=4),
       timeout=st.sampled_from([1.0, 3.0, 10.0, 30.0, 60.0]),
       max_attempts=st.integers(1, 6) | st.integers(1, 2), seed=st.integers(0, 2**16))
def test_backoff_honours_retry_after_and_the_deadline(
        failures: list[ProviderError], timeout: float, max_attempts: int, seed: int) -> None:
    case = Case("fake/a", [], max_attempts, timeout, "ordered", None,
                {"fake/a": [Script([], e) for e in failures]}, [0.0], seed)
    world = build(case)

    async def go() -> list[Attempt]:
        result = await world.explainer.explain(subject(0))
        return list(result.attempts)

    attempts = asyncio.run(go())
    tried = [a for a in attempts if a.model == "fake/a"]
    sleeps = world.clock.sleeps
    assert len(sleeps) == len(tried) - 1, "one wait before each retry, none before the first"
    assert len(tried) <= min(1 + MAX_RETRIES, max_attempts)
    assert sum(sleeps) < timeout
    for retry, slept in enumerate(sleeps):
        backoff = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** retry)
        told = failures[retry].retry_after or 0.0
        assert max(backoff / 2, told) <= slept <= max(backoff, told), (retry, slept, told)
    if len(tried) < min(1 + MAX_RETRIES, max_attempts, len(failures) + 1):
        # it gave up early: only because the next wait would not end before the deadline
        retry = len(tried) - 1
        told = failures[retry].retry_after or 0.0
        longest_wait = max(min(BACKOFF_CAP, BACKOFF_BASE * 2 ** retry), told)
        # ...or it would have been longer than a person is made to wait, or not retriable
        assert (sum(sleeps) + longest_wait >= timeout or told > INTERACTIVE_MAX_WAIT
                or failures[retry].error_class not in RETRYABLE_CLASSES)
    assert attempts[-1].model == ("fake/a" if len(failures) < len(tried) else BUILTIN_MODEL)


# -- specific cases the properties stand on -----------------------------------------------------


def make_world(settings_: Settings, *extra: ModelInfo) -> tuple[Explainer, ScriptedProvider,
                                                                 FakeClock]:
    clock = FakeClock()
    registry = ModelRegistry()
    register_providers(registry)
    fake = ScriptedProvider()
    registry.register_provider(fake, list(extra))
    return Explainer(registry, lambda: settings_, clock=clock), fake, clock


async def test_duplicates_in_the_chain_are_tried_once() -> None:
    explainer, fake, _ = make_world(Settings(model="fake/a",
                                             fallback_chain=["fake/a", "fake/b", "fake/a"]))
    fake.enqueue("a", Script([], ProviderError(ErrorClass.AUTH, "bad key")))
    fake.enqueue("b", Script([], ProviderError(ErrorClass.AUTH, "bad key")))
    result = await explainer.explain(subject(0))
    assert [(a.model, a.outcome) for a in result.attempts] == [
        ("fake/a", "failed"), ("fake/b", "failed"), (BUILTIN_MODEL, "success")]


async def test_a_model_that_cannot_hold_the_prompt_is_not_a_reason_to_give_up_retrying() -> None:
    small = ModelInfo("fake/small", "fake", "small", "small", context_window=50)
    explainer, fake, clock = make_world(Settings(model="fake/a", fallback_chain=["fake/small"]),
                                        small)
    fake.enqueue("a", Script([], ProviderError(ErrorClass.RATE_LIMITED, "429", retry_after=1.0)))
    fake.enqueue("a", Script(["after the wait"]))
    result = await explainer.explain(subject(0))
    assert result.model == "fake/a", [(a.model, a.outcome, a.error) for a in result.attempts]
    assert clock.sleeps == [pytest.approx(1.0)]


async def test_a_retry_respects_the_local_requests_per_minute() -> None:
    settings_ = Settings.from_data({"model": "fake/a",
                                         "providers": {"fake": {"requestsPerMinute": 1}}})
    explainer, fake, clock = make_world(settings_)
    fake.enqueue("a", Script([], ProviderError(ErrorClass.SERVER, "HTTP 503")))
    fake.enqueue("a", Script(["ok"]))
    result = await explainer.explain(subject(0))
    assert len(fake.requests) == 1, "the retry was not sent: the minute's one request is spent"
    assert clock.slept < 60.0, "it did not wait a minute for the limit either"
    assert [(a.model, a.outcome, a.error_class, a.retries) for a in result.attempts] == [
        ("fake/a", "failed", "server", 0), ("fake/a", "skipped", "rate-limit", 1),
        (BUILTIN_MODEL, "success", None, 0)]
    assert "requestsPerMinute 1" in (result.attempts[1].error or "")


async def test_a_blank_answer_falls_through_to_the_next_model() -> None:
    explainer, fake, _ = make_world(Settings(model="fake/a", fallback_chain=["fake/b"]))
    fake.enqueue("a", Script(["\n\n"]))
    fake.enqueue("b", Script(["A real answer."]))
    result = await explainer.explain(subject(0))
    assert result.model == "fake/b" and result.markdown.startswith("A real answer.")


async def test_the_reference_answers_even_after_the_deadline(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from dexter_ls.providers.builtin import tools

    if tools._command("python-lint", "E501") is None:
        pytest.skip("ruff is not installed")
    monkeypatch.setattr(tools, "_cache", {})  # make the reference ask `ruff rule E501`
    settings_ = Settings.from_data({"model": "fake/slow",
                                         "explain": {"timeoutSeconds": 0.05}})
    registry = ModelRegistry()
    register_providers(registry)
    fake = ScriptedProvider()
    registry.register_provider(fake)
    explainer = Explainer(registry, lambda: settings_)  # the real clock: the deadline passes
    fake.enqueue("slow", Script(["too late"], delay=1.0))
    result = await explainer.explain(subject(0, code="E501", source="ruff"))
    assert result.model == BUILTIN_MODEL
