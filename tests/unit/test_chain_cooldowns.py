"""Cooldowns and who waits for them: a person never waits out a long one (the reference
answers now, saying why), a short one is waited for, background work waits for recovery."""

from __future__ import annotations

import pytest

from dexter_ls.core.provider import ErrorClass, ProviderError
from dexter_ls.explain.service import Explainer
from dexter_ls.models.router import BUILTIN_MODEL
from dexter_ls.settings import Settings
from tests.fakes.clock import FakeClock
from tests.fakes.scripted import Script, ScriptedProvider
from tests.unit.test_chain_properties import make_world, subject


def cooling_world(second_retry_after: float) -> tuple[Explainer, ScriptedProvider, FakeClock]:
    settings_ = Settings.from_data({"model": "fake/a", "fallbackChain": ["fake/b"],
                                         "explain": {"timeoutSeconds": 30}})
    explainer, fake, clock = make_world(settings_)
    explainer.chain.breakers.failure("fake/a", ProviderError(ErrorClass.RATE_LIMITED, "429",
                                                             retry_after=25.0))
    explainer.chain.breakers.failure("fake/b", ProviderError(ErrorClass.RATE_LIMITED, "429",
                                                             retry_after=second_retry_after))
    fake.enqueue("b", Script(["recovered"]))
    return explainer, fake, clock


async def test_an_interactive_request_never_waits_out_a_long_cooldown() -> None:
    explainer, fake, clock = cooling_world(12.0)
    result = await explainer.explain(subject(0))
    assert clock.sleeps == [], "the reference answers now instead"
    assert result.model == BUILTIN_MODEL
    assert not fake.requests
    assert result.notice is not None and result.notice.startswith("fake/a could not answer")
    assert "retried in 25s" in result.notice


async def test_an_interactive_request_waits_out_a_short_cooldown() -> None:
    explainer, _, clock = cooling_world(1.5)
    result = await explainer.explain(subject(0))
    assert clock.sleeps == [pytest.approx(1.5)]
    assert result.model == "fake/b"


async def test_background_work_waits_for_the_first_model_to_recover() -> None:
    explainer, _, clock = cooling_world(12.0)
    result = await explainer.explain(subject(0), interactive=False)
    assert clock.sleeps == [pytest.approx(12.0)]
    assert [(a.model, a.outcome, a.error_class) for a in result.attempts] == [
        ("fake/a", "skipped", "cooling-down"), ("fake/b", "skipped", "cooling-down"),
        ("fake/b", "success", None)]


async def test_a_failure_of_a_provider_replaced_meanwhile_does_not_cool_its_successor() -> None:
    """The user approves a key while an explanation is still asking the provider that had
    none: that provider's failure must not keep the approved one cooling down."""
    import asyncio

    settings_ = Settings.from_data({"model": "fake/a", "explain": {"timeoutSeconds": 30}})
    explainer, old, _ = make_world(settings_)
    old.enqueue("a", Script([], ProviderError(ErrorClass.AUTH, "needs approval"), delay=0.05))
    asking = asyncio.ensure_future(explainer.explain(subject(1)))
    await asyncio.sleep(0.01)  # the old provider is being asked
    new = ScriptedProvider()
    new.enqueue("a", Script(["approved answer"]))
    explainer.registry.replace_provider(new)
    explainer.chain.breakers.forget_provider("fake")
    first = await asking
    assert [a.error_class for a in first.attempts][:1] == ["auth"]
    second = await explainer.explain(subject(2))
    assert second.model == "fake/a"
    assert second.markdown.startswith("approved answer")
