"""The fallback chain against the real OpenAI-compatible adapter and fake servers, one error
class at a time: retries, backoff (on a fake clock), fallthrough and circuits.

Two providers, "primary" and "secondary", are `OpenAIProvider`s pointing at two `FakeOpenAI`
servers; `builtin/reference` ends the chain. Only requests that reach a fake are counted.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import pytest

from dexter_ls.assemble import register_providers
from dexter_ls.core.provider import ChatRequest, Chunk, ErrorClass, ProviderError
from dexter_ls.explain.prompt import build_request
from dexter_ls.explain.service import Explainer
from dexter_ls.models.attempts import Attempt, ChainResult
from dexter_ls.models.chain import Chain
from dexter_ls.models.registry import ModelRegistry
from dexter_ls.models.router import BUILTIN_MODEL
from dexter_ls.providers.http import Endpoint, Timeouts
from dexter_ls.providers.openai import OpenAIProvider
from dexter_ls.settings import Settings
from tests.fakes.clock import FakeClock
from tests.fakes.openai_fake import FakeOpenAI
from tests.providers.helpers import SUBJECT

KEY = "sk-test-PLANTED-0123456789abcdef"
PRIMARY, SECONDARY = "primary/gpt-4o-mini", "secondary/gpt-4o-mini"
ANSWER = "The name is undefined."
FIRST_TOKEN = 0.3  # seconds (real): the adapter's first-token timeout in these tests


class CountingOpenAI(OpenAIProvider):
    """The real adapter, counting calls to `stream` (also those that never reach a server)."""

    def __init__(self, name: str, endpoint: Endpoint) -> None:
        super().__init__(name, endpoint)
        self.calls = 0

    async def stream(self, model: str, request: ChatRequest) -> AsyncIterator[Chunk]:
        self.calls += 1
        async for chunk in super().stream(model, request):
            yield chunk


@dataclass
class Setup:
    chain: Chain
    clock: FakeClock
    registry: ModelRegistry
    primary: CountingOpenAI
    secondary: CountingOpenAI | None

    @classmethod
    def over(cls, primary_url: str, secondary_url: str | None) -> Setup:
        """primary (-> secondary) -> builtin/reference, on a fresh fake clock."""
        registry = ModelRegistry()
        register_providers(registry)
        primary = CountingOpenAI("primary", endpoint(primary_url))
        registry.register_provider(primary)
        secondary = None
        if secondary_url is not None:
            secondary = CountingOpenAI("secondary", endpoint(secondary_url))
            registry.register_provider(secondary)
        clock = FakeClock()
        return cls(Chain(registry, clock=clock), clock, registry, primary, secondary)

    async def aclose(self) -> None:
        await self.primary.aclose()
        if self.secondary is not None:
            await self.secondary.aclose()

    @property
    def candidates(self) -> list[str]:
        return [PRIMARY, *([SECONDARY] if self.secondary else []), BUILTIN_MODEL]

    async def explain(self, *, deadline: float = 60.0, max_attempts: int = 6) -> ChainResult:
        return await self.chain.run(self.candidates, lambda info: build_request(SUBJECT, info),
                                    deadline_seconds=deadline, max_attempts=max_attempts)


def endpoint(base_url: str) -> Endpoint:
    return Endpoint(base_url, Timeouts(connect=1.0, first_token=FIRST_TOKEN, total=10.0),
                    secret=KEY)


@pytest.fixture
def second_openai() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture
async def two(fake_openai: FakeOpenAI, second_openai: FakeOpenAI) -> AsyncIterator[Setup]:
    """primary -> secondary -> builtin/reference."""
    setup = Setup.over(fake_openai.base_url, second_openai.base_url)
    yield setup
    await setup.aclose()


@pytest.fixture
async def alone(fake_openai: FakeOpenAI) -> AsyncIterator[Setup]:
    """primary -> builtin/reference: no other model could take the request."""
    setup = Setup.over(fake_openai.base_url, None)
    yield setup
    await setup.aclose()


def chats(fake: FakeOpenAI) -> int:
    """Chat requests that reached the fake server."""
    return len(fake.requests_to("/v1/chat/completions"))


def records(attempts: tuple[Attempt, ...] | list[Attempt]) -> list[tuple[str, str, str | None]]:
    return [(a.model, a.outcome, a.error_class) for a in attempts]


def cut_before_first_token(fake: FakeOpenAI) -> None:
    # The fake cuts the connection at token index 2; empty deltas carry no text.
    fake.plan(fault="cut", tokens=["", "", "never sent"])


@dataclass(frozen=True)
class Row:
    fault: str
    error_class: ErrorClass
    retriable: bool  # retried (with backoff) when no other model can take the request
    opens: bool  # the primary's circuit is open after this one failure


ROWS = [
    Row("500", ErrorClass.SERVER, retriable=True, opens=False),
    Row("503", ErrorClass.SERVER, retriable=True, opens=False),
    Row("429", ErrorClass.RATE_LIMITED, retriable=True, opens=True),  # Retry-After: 20
    Row("quota", ErrorClass.QUOTA, retriable=False, opens=True),
    Row("401", ErrorClass.AUTH, retriable=False, opens=True),
    Row("404", ErrorClass.NOT_FOUND, retriable=False, opens=True),
    Row("context", ErrorClass.CONTEXT_WINDOW, retriable=False, opens=False),
    Row("policy", ErrorClass.CONTENT_POLICY, retriable=False, opens=False),
    Row("400", ErrorClass.BAD_REQUEST, retriable=False, opens=False),
    Row("cut-before-first-token", ErrorClass.INCOMPLETE_STREAM, retriable=False, opens=False),
    Row("hang-headers", ErrorClass.TIMEOUT, retriable=True, opens=True),  # unreachable
]


def plan_fault(fake: FakeOpenAI, row: Row) -> None:
    if row.fault == "cut-before-first-token":
        cut_before_first_token(fake)
    else:
        fake.plan(fault=row.fault)


# -- with a healthy secondary ------------------------------------------------------------------


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.fault)
async def test_a_failing_primary_falls_through_to_the_secondary_at_once(
        row: Row, two: Setup, fake_openai: FakeOpenAI, second_openai: FakeOpenAI) -> None:
    plan_fault(fake_openai, row)
    result = await two.explain()

    assert result.model == SECONDARY and result.text == ANSWER and not result.incomplete
    assert records(result.attempts) == [(PRIMARY, "failed", row.error_class.value),
                                        (SECONDARY, "success", None)]
    failed = result.attempts[0]
    assert failed.retries == 0 and failed.error
    assert KEY not in failed.error
    assert failed.to_json()["errorClass"] == row.error_class.value
    assert chats(fake_openai) == 1, "no retry while another model can answer now"
    assert two.clock.sleeps == [], "no sleeping while another model can answer now"
    assert chats(second_openai) == 1

    # The next request: an open circuit skips the primary without a request to it.
    again = await two.explain()
    if row.opens:
        assert records(again.attempts) == [(PRIMARY, "skipped", "cooling-down"),
                                           (SECONDARY, "success", None)]
        skipped = again.attempts[0]
        assert skipped.latency_ms == 0 and "cooling down" in (skipped.error or "")
        assert chats(fake_openai) == 1 and two.primary.calls == 1
        assert two.chain.breakers.blocked(PRIMARY) is not None
    else:
        assert records(again.attempts) == [(PRIMARY, "success", None)], "no cooldown"
        assert chats(fake_openai) == 2
        assert two.chain.breakers.blocked(PRIMARY) is None
    assert two.clock.sleeps == []


async def test_a_cut_after_the_first_token_is_kept_not_replayed(
        two: Setup, fake_openai: FakeOpenAI, second_openai: FakeOpenAI) -> None:
    fake_openai.plan(fault="cut")
    result = await two.explain()
    assert result.model == PRIMARY and result.incomplete
    assert result.text.startswith("The name ") and "incomplete" in result.note
    assert records(result.attempts) == [(PRIMARY, "incomplete", "incomplete-stream")]
    assert chats(second_openai) == 0 and chats(fake_openai) == 1
    assert two.clock.sleeps == []


async def test_a_cooling_secondary_is_not_healthy_so_the_primary_waits_for_retry_after(
        two: Setup, fake_openai: FakeOpenAI, second_openai: FakeOpenAI) -> None:
    two.chain.breakers.failure(SECONDARY, ProviderError(ErrorClass.AUTH, "revoked key"))
    fake_openai.plan(fault="429")
    result = await two.explain()
    assert result.model == PRIMARY
    assert records(result.attempts) == [(PRIMARY, "failed", "rate-limited"),
                                        (PRIMARY, "success", None)]
    assert result.attempts[1].retries == 1
    assert two.clock.sleeps == [pytest.approx(20.0)]
    assert chats(fake_openai) == 2 and chats(second_openai) == 0


async def test_a_dead_primary_costs_the_next_requests_nothing(second_openai: FakeOpenAI) -> None:
    setup = Setup.over("http://127.0.0.1:9/v1", second_openai.base_url)
    try:
        first = await setup.explain()
        assert records(first.attempts) == [(PRIMARY, "failed", "connection"),
                                           (SECONDARY, "success", None)]
        assert setup.chain.breakers.blocked(PRIMARY) is not None, "refused: open at once"
        for _ in range(2, 6):
            result = await setup.explain()
            assert result.model == SECONDARY and result.text == ANSWER
            assert records(result.attempts) == [(PRIMARY, "skipped", "cooling-down"),
                                                (SECONDARY, "success", None)]
            assert result.attempts[0].latency_ms == 0
        assert setup.primary.calls == 1, "no connection attempt once the circuit is open"
        assert chats(second_openai) == 5
        assert setup.clock.sleeps == []
    finally:
        await setup.aclose()


async def test_cancelling_mid_stream_closes_the_upstream_connection(
        fake_openai: FakeOpenAI, second_openai: FakeOpenAI) -> None:
    setup = Setup.over(fake_openai.base_url, second_openai.base_url)
    settings = Settings(model=PRIMARY, fallback_chain=[SECONDARY])
    explainer = Explainer(setup.registry, lambda: settings, clock=setup.clock)
    fake_openai.plan(fault="hang-mid")
    streaming = asyncio.Event()
    seen: list[tuple[str, str]] = []

    def on_text(model: str, text: str) -> None:
        seen.append((model, text))
        streaming.set()

    task = asyncio.ensure_future(explainer.explain(SUBJECT, on_text=on_text))
    try:
        await asyncio.wait_for(streaming.wait(), 5)
        assert seen == [(PRIMARY, "The ")]
        assert fake_openai.server.disconnects == 0
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert await fake_openai.server.disconnected(5.0) == 1  # the upstream stream closed
        assert chats(second_openai) == 0, "a cancelled request is not passed on"
        assert explainer.chain.breakers.blocked(PRIMARY) is None, "cancelling is no failure"
    finally:
        task.cancel()
        await setup.aclose()


# -- with nothing but the reference behind the primary -----------------------------------------


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.fault)
async def test_alone_the_primary_is_retried_only_for_transient_errors(
        row: Row, alone: Setup, fake_openai: FakeOpenAI) -> None:
    plan_fault(fake_openai, row)  # then the fake answers normally
    result = await alone.explain()
    if row.retriable:
        assert result.model == PRIMARY and result.text == ANSWER
        assert records(result.attempts) == [(PRIMARY, "failed", row.error_class.value),
                                            (PRIMARY, "success", None)]
        assert result.attempts[1].retries == 1
        assert chats(fake_openai) == 2
        (slept,) = alone.clock.sleeps
        if row.fault == "429":
            assert slept >= 20.0, "Retry-After is honoured"
        else:
            assert 0.25 <= slept <= 0.5, "the first backoff: 0.5 s, jittered down to half"
        assert alone.chain.breakers.blocked(PRIMARY) is None, "the success closed it"
    else:
        assert result.model == BUILTIN_MODEL
        assert records(result.attempts) == [(PRIMARY, "failed", row.error_class.value),
                                            (BUILTIN_MODEL, "success", None)]
        assert chats(fake_openai) == 1
        assert alone.clock.sleeps == []


@pytest.mark.parametrize("name", ["500", "503"])
async def test_retries_are_bounded_and_back_off(name: str, alone: Setup,
                                                fake_openai: FakeOpenAI) -> None:
    for _ in range(5):
        fake_openai.plan(fault=name)
    result = await alone.explain()
    assert result.model == BUILTIN_MODEL
    assert records(result.attempts) == [(PRIMARY, "failed", "server")] * 3 + [
        (BUILTIN_MODEL, "success", None)]
    assert [a.retries for a in result.attempts[:3]] == [0, 1, 2]
    assert chats(fake_openai) == 3
    first, second = alone.clock.sleeps
    assert 0.25 <= first <= 0.5 and 0.5 <= second <= 1.0
    assert alone.chain.breakers.blocked(PRIMARY) is not None, "3 failures in a row open it"


async def test_the_attempt_budget_bounds_retries(alone: Setup, fake_openai: FakeOpenAI) -> None:
    for _ in range(3):
        fake_openai.plan(fault="503")
    result = await alone.explain(max_attempts=2)
    assert records(result.attempts) == [(PRIMARY, "failed", "server")] * 2 + [
        (BUILTIN_MODEL, "success", None)]
    assert chats(fake_openai) == 2 and len(alone.clock.sleeps) == 1


def explainer_alone(url: str, timeout: float) -> tuple[Explainer, Setup]:
    setup = Setup.over(url, None)
    settings = Settings.from_data({"model": PRIMARY, "explain": {"timeoutSeconds": timeout}})
    return Explainer(setup.registry, lambda: settings, clock=setup.clock), setup


async def test_a_person_does_not_wait_for_a_long_retry_after(fake_openai: FakeOpenAI) -> None:
    explainer, setup = explainer_alone(fake_openai.base_url, 60.0)
    fake_openai.plan(fault="429")  # retry-after: 20
    try:
        result = await explainer.explain(SUBJECT)
    finally:
        await setup.aclose()
    assert result.model == BUILTIN_MODEL and setup.clock.sleeps == []
    assert chats(fake_openai) == 1


@pytest.mark.parametrize("timeout", [60.0, 25.0, 20.5])
async def test_background_work_waits_for_retry_after_when_the_deadline_allows(
        timeout: float, fake_openai: FakeOpenAI) -> None:
    explainer, setup = explainer_alone(fake_openai.base_url, timeout)
    fake_openai.plan(fault="429")  # retry-after: 20
    try:
        result = await explainer.explain(SUBJECT, interactive=False)
    finally:
        await setup.aclose()
    assert result.model == PRIMARY and result.markdown.startswith(ANSWER)
    assert records(result.attempts) == [(PRIMARY, "failed", "rate-limited"),
                                        (PRIMARY, "success", None)]
    assert len(setup.clock.sleeps) == 1 and setup.clock.sleeps[0] >= 20.0
    assert setup.clock.slept < timeout
    assert chats(fake_openai) == 2


@pytest.mark.parametrize("timeout", [10.0, 20.0])
async def test_retry_after_beyond_the_deadline_answers_from_the_reference_at_once(
        timeout: float, fake_openai: FakeOpenAI) -> None:
    explainer, setup = explainer_alone(fake_openai.base_url, timeout)
    fake_openai.plan(fault="429")
    try:
        result = await explainer.explain(SUBJECT)
    finally:
        await setup.aclose()
    assert result.model == BUILTIN_MODEL
    assert records(result.attempts) == [(PRIMARY, "failed", "rate-limited"),
                                        (BUILTIN_MODEL, "success", None)]
    assert setup.clock.sleeps == [], "no wait that cannot end before the deadline"
    assert chats(fake_openai) == 1


async def test_the_next_request_waits_for_a_cooling_primary_when_the_deadline_allows(
        alone: Setup, fake_openai: FakeOpenAI) -> None:
    fake_openai.plan(fault="429")
    fake_openai.plan(fault="429")
    fake_openai.plan(fault="429")
    first = await alone.explain(deadline=10.0)  # too short for Retry-After: 20
    assert first.model == BUILTIN_MODEL and alone.clock.sleeps == []
    # Every model is cooling: the next request waits for the primary to recover (20 s).
    second = await alone.explain(deadline=30.0)
    assert alone.clock.sleeps == [pytest.approx(20.0)]
    assert records(second.attempts)[0] == (PRIMARY, "skipped", "cooling-down")
    assert records(second.attempts)[1] == (PRIMARY, "failed", "rate-limited")
    assert second.model == BUILTIN_MODEL  # the trial failed again; no time for another wait
    assert chats(fake_openai) == 2
