"""An explanation a person waits for: no stalls on a dead model, cancellation that is not a
failure of the model, and a notice saying why the reference answered."""

from __future__ import annotations

import asyncio

from dexter_ls.assemble import register_providers
from dexter_ls.core.provider import ErrorClass, ProviderError
from dexter_ls.core.subject import Diagnostic, Position, Range, Subject
from dexter_ls.core.usage_record import AttemptRecord
from dexter_ls.explain.service import Explainer, Watch
from dexter_ls.models.attempts import Attempt
from dexter_ls.models.registry import ModelRegistry
from dexter_ls.models.router import BUILTIN_MODEL
from dexter_ls.settings import Settings
from tests.fakes.clock import FakeClock
from tests.fakes.scripted import Script, ScriptedProvider

SUBJECT = Subject(
    Diagnostic("name 'foo' is not defined", Range(Position(0, 0), Position(0, 3)),
               severity=1, code="NameError", source="python"),
    path="app.py",
)
REFUSED = "fake/dead: connection refused at http://localhost:11434"


class Rows:
    """A telemetry stand-in: what would have been written."""

    def __init__(self) -> None:
        self.rows: list[AttemptRecord] = []

    def record(self, rows: list[AttemptRecord]) -> None:
        self.rows += rows

    def flush(self) -> None:
        pass


def world(settings: Settings) -> tuple[Explainer, ScriptedProvider, FakeClock, Rows]:
    registry = ModelRegistry()
    register_providers(registry)
    fake = ScriptedProvider()
    registry.register_provider(fake)
    clock = FakeClock()
    rows = Rows()
    explainer = Explainer(registry, lambda: settings, clock=clock,
                          telemetry=rows)  # type: ignore[arg-type]
    return explainer, fake, clock, rows


def refused() -> Script:
    return Script([], ProviderError(ErrorClass.CONNECTION, REFUSED, should_retry=False))


async def test_three_explanations_with_a_dead_model_never_wait_or_retry() -> None:
    explainer, fake, clock, _ = world(Settings(model="fake/dead"))
    for _ in range(3):
        fake.enqueue("dead", refused())
    results = []
    for line in range(3):
        subject = Subject(SUBJECT.diagnostic.__class__(
            f"name 'x{line}' is not defined", SUBJECT.diagnostic.range), path="app.py")
        results.append(await explainer.explain(subject))
    assert clock.sleeps == [], "no retry backoff, no waiting out the cooldown"
    assert len(fake.requests) == 1, "asked once; then it cools down and is skipped at once"
    assert [r.model for r in results] == [BUILTIN_MODEL] * 3
    first, *later = results
    assert [(a.model, a.outcome, a.retries) for a in first.attempts] == [
        ("fake/dead", "failed", 0), (BUILTIN_MODEL, "success", 0)]
    for result in later:
        assert result.attempts[0].error_class == "cooling-down"
    for result in results:
        assert result.notice == (
            "fake/dead is not running (connection refused at http://localhost:11434): answered "
            "from the offline reference. Start the fake server or pick another model.")
        assert result.markdown.startswith(f"*{result.notice}*")


async def test_a_connection_error_is_not_retried_even_when_nothing_else_can_answer() -> None:
    explainer, fake, clock, _ = world(Settings(model="fake/dead"))
    fake.enqueue("dead", Script([], ProviderError(ErrorClass.CONNECTION, "fake/dead: reset")))
    fake.enqueue("dead", Script(["never asked"]))
    result = await explainer.explain(SUBJECT)
    assert result.model == BUILTIN_MODEL
    assert len(fake.requests) == 1 and clock.sleeps == []


async def test_a_long_retry_after_is_not_waited_for_by_a_person() -> None:
    explainer, fake, clock, _ = world(Settings(model="fake/busy"))
    fake.enqueue("busy", Script([], ProviderError(ErrorClass.RATE_LIMITED, "429",
                                                  retry_after=5.0)))
    result = await explainer.explain(SUBJECT)
    assert clock.sleeps == [] and result.model == BUILTIN_MODEL
    assert result.notice is not None and "Try again shortly" in result.notice


async def test_a_short_retry_after_is_waited_for_when_nothing_else_can_answer() -> None:
    explainer, fake, clock, _ = world(Settings(model="fake/busy"))
    fake.enqueue("busy", Script([], ProviderError(ErrorClass.RATE_LIMITED, "429",
                                                  retry_after=1.5)))
    fake.enqueue("busy", Script(["answered"]))
    result = await explainer.explain(SUBJECT)
    assert clock.sleeps == [1.5] and result.model == "fake/busy"
    assert result.notice is None


async def test_progress_hears_each_model_asked_and_each_attempt() -> None:
    explainer, fake, _, _ = world(Settings(model="fake/dead"))
    fake.enqueue("dead", refused())
    asked: list[str] = []
    attempts: list[Attempt] = []
    await explainer.explain(SUBJECT, watch=Watch(on_attempt=attempts.append,
                                                 on_asking=asked.append))
    assert asked == ["fake/dead", BUILTIN_MODEL]
    assert [(a.model, a.outcome) for a in attempts] == [
        ("fake/dead", "failed"), (BUILTIN_MODEL, "success")]


async def test_cancelling_records_a_cancelled_attempt_and_is_no_failure_of_the_model() -> None:
    settings = Settings(model="fake/slow")
    registry = ModelRegistry()
    register_providers(registry)
    fake = ScriptedProvider()
    registry.register_provider(fake)
    rows = Rows()
    explainer = Explainer(registry, lambda: settings, telemetry=rows)  # type: ignore[arg-type]
    fake.enqueue("slow", Script(["late"], delay=30.0))
    fake.enqueue("slow", Script(["after"]))
    asked = asyncio.Event()
    task = asyncio.ensure_future(explainer.explain(
        SUBJECT, watch=Watch(on_asking=lambda model: asked.set())))
    await asked.wait()
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass
    else:  # pragma: no cover - the assertion below explains
        raise AssertionError("the explanation was not cancelled")
    await explainer.flush()
    assert [(r.model, r.outcome, r.error_class) for r in rows.rows] == [
        ("fake/slow", "cancelled", "cancelled")]
    assert explainer.chain.breakers.blocked("fake/slow") is None, "no cooldown"
    assert explainer.remembered(SUBJECT) is None, "nothing remembered or cached"
    again = await explainer.explain(SUBJECT)
    assert again.model == "fake/slow" and again.markdown.startswith("after")
