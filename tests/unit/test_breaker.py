"""The circuit breaker per model, on a clock the test controls."""

from __future__ import annotations

import pytest

from dexter_ls.core.provider import ErrorClass, ProviderError
from dexter_ls.models.breaker import (
    DEFINITIVE,
    LONG_COOLDOWN,
    LONG_MAX,
    SHORT_COOLDOWN,
    SHORT_MAX,
    TRANSIENT,
    Breakers,
)
from tests.fakes.clock import FakeClock

MODEL = "p/m"
UNREACHABLE = [ErrorClass.CONNECTION, ErrorClass.TIMEOUT]  # open at once, short cooldown
SAMPLED = sorted(TRANSIENT - set(UNREACHABLE), key=lambda k: k.value)  # need a sample
NEVER_OPEN = [ErrorClass.BAD_REQUEST, ErrorClass.CONTEXT_WINDOW, ErrorClass.CONTENT_POLICY,
              ErrorClass.CANCELLED]


def err(kind: ErrorClass, retry_after: float | None = None) -> ProviderError:
    return ProviderError(kind, f"{kind.value} happened", retry_after=retry_after)


def make() -> tuple[Breakers, FakeClock]:
    clock = FakeClock()
    return Breakers(clock), clock


def is_open(breakers: Breakers, model: str = MODEL) -> bool:
    return breakers.blocked(model) is not None


def open_for(breakers: Breakers, clock: FakeClock, model: str = MODEL) -> float:
    """Seconds the circuit stays open from now (checked at the edge, not just read)."""
    until = breakers.recovers_at(model)
    assert until is not None, "the circuit is not open"
    left = until - clock.now()
    clock.advance(left - 0.001)
    assert is_open(breakers, model), "it closed before the cooldown ended"
    clock.advance(0.001)
    assert not is_open(breakers, model), "it is still blocked after the cooldown"
    return left


def test_the_taxonomy_is_partitioned() -> None:
    assert set(TRANSIENT) | set(DEFINITIVE) | set(NEVER_OPEN) == set(ErrorClass)
    assert not (TRANSIENT & DEFINITIVE)
    assert DEFINITIVE == {ErrorClass.AUTH, ErrorClass.NOT_FOUND, ErrorClass.QUOTA}


def test_an_unknown_model_is_closed() -> None:
    breakers, _ = make()
    assert breakers.blocked(MODEL) is None
    assert breakers.acquire(MODEL) is None
    assert breakers.recovers_at(MODEL) is None
    assert breakers.describe(MODEL) is None


@pytest.mark.parametrize("kind", SAMPLED)
def test_three_transient_failures_in_a_row_open_it(kind: ErrorClass) -> None:
    breakers, clock = make()
    breakers.failure(MODEL, err(kind))
    breakers.failure(MODEL, err(kind))
    assert not is_open(breakers), "two failures are not a sample"
    breakers.failure(MODEL, err(kind))
    reason = breakers.blocked(MODEL)
    assert reason is not None and kind.value in reason and "cooling down" in reason
    assert open_for(breakers, clock) == pytest.approx(SHORT_COOLDOWN)


@pytest.mark.parametrize("kind", UNREACHABLE)
def test_an_unreachable_model_opens_it_at_once(kind: ErrorClass) -> None:
    breakers, clock = make()
    breakers.failure(MODEL, err(kind))
    reason = breakers.blocked(MODEL)
    assert reason is not None and kind.value in reason
    assert open_for(breakers, clock) == pytest.approx(SHORT_COOLDOWN)


def test_a_success_resets_the_run_of_failures() -> None:
    breakers, _ = make()
    for ok in (False, False, True, False):
        breakers.success(MODEL) if ok else breakers.failure(MODEL, err(ErrorClass.SERVER))
    assert not is_open(breakers)  # 2 in a row at most, 4 samples (< 5) in the window


def test_half_of_the_last_five_or_more_opens_it() -> None:
    breakers, clock = make()
    for ok in (False, True, False, True):  # 2 of 4: the window is still too small
        breakers.success(MODEL) if ok else breakers.failure(MODEL, err(ErrorClass.SERVER))
    assert not is_open(breakers)
    breakers.failure(MODEL, err(ErrorClass.INCOMPLETE_STREAM))  # 3 of 5, never 2 in a row
    assert is_open(breakers)
    assert open_for(breakers, clock) == pytest.approx(SHORT_COOLDOWN)


def test_exactly_half_of_six_opens_it() -> None:
    breakers, _ = make()
    for ok in (True, False, True, False, True):  # 2 of 5
        breakers.success(MODEL) if ok else breakers.failure(MODEL, err(ErrorClass.SERVER))
    assert not is_open(breakers)
    breakers.failure(MODEL, err(ErrorClass.SERVER))  # 3 of 6 = 50%
    assert is_open(breakers)


def test_the_window_only_holds_the_last_ten() -> None:
    breakers, _ = make()
    for _ in range(10):
        breakers.success(MODEL)
    for ok in (False, True, False, True, False):  # 3 of the last 10
        breakers.success(MODEL) if ok else breakers.failure(MODEL, err(ErrorClass.SERVER))
    assert not is_open(breakers)


@pytest.mark.parametrize("kind", [ErrorClass.AUTH, ErrorClass.NOT_FOUND, ErrorClass.QUOTA])
def test_definitive_errors_open_it_at_once_for_long(kind: ErrorClass) -> None:
    breakers, clock = make()
    breakers.failure(MODEL, err(kind))
    reason = breakers.blocked(MODEL)
    assert reason is not None and kind.value in reason
    assert breakers.describe(MODEL) == {"state": "open", "reason": f"{kind.value}: "
                                        f"{kind.value} happened", "secondsLeft": LONG_COOLDOWN}
    assert open_for(breakers, clock) == pytest.approx(LONG_COOLDOWN)


@pytest.mark.parametrize("kind", NEVER_OPEN)
def test_request_faults_never_open_it_nor_count(kind: ErrorClass) -> None:
    breakers, _ = make()
    for _ in range(20):
        breakers.failure(MODEL, err(kind, retry_after=30.0))
    assert not is_open(breakers)
    breakers.failure(MODEL, err(ErrorClass.SERVER))
    for _ in range(5):
        breakers.failure(MODEL, err(kind))
    breakers.failure(MODEL, err(ErrorClass.SERVER))
    assert not is_open(breakers), "request faults must not count as model failures"


@pytest.mark.parametrize(
    "first, base, cap",
    [(ErrorClass.SERVER, SHORT_COOLDOWN, SHORT_MAX), (ErrorClass.AUTH, LONG_COOLDOWN, LONG_MAX)],
)
def test_a_failed_trial_doubles_the_cooldown_up_to_a_cap(first: ErrorClass, base: float,
                                                         cap: float) -> None:
    breakers, clock = make()
    for _ in range(3 if first in TRANSIENT else 1):
        breakers.failure(MODEL, err(first))
    seen = [open_for(breakers, clock)]
    while len(seen) < 8:
        assert breakers.acquire(MODEL) is None  # the half-open trial
        breakers.failure(MODEL, err(first))
        seen.append(open_for(breakers, clock))
    expected = [min(cap, base * 2 ** i) for i in range(8)]
    assert seen == pytest.approx(expected)
    assert seen[-1] == cap and seen[-2] == cap


def test_a_successful_trial_closes_it_and_forgets_the_cooldown() -> None:
    breakers, clock = make()
    for _ in range(3):
        breakers.failure(MODEL, err(ErrorClass.SERVER))
    clock.advance(SHORT_COOLDOWN)
    assert breakers.acquire(MODEL) is None
    breakers.failure(MODEL, err(ErrorClass.SERVER))  # failed trial: 20 s
    assert open_for(breakers, clock) == pytest.approx(2 * SHORT_COOLDOWN)
    assert breakers.acquire(MODEL) is None
    breakers.success(MODEL)
    assert breakers.blocked(MODEL) is None and breakers.describe(MODEL) is None
    assert breakers.recovers_at(MODEL) is None
    assert breakers.acquire(MODEL) is None and breakers.acquire(MODEL) is None  # no trial
    breakers.failure(MODEL, err(ErrorClass.SERVER))  # recovered: old failures are forgotten,
    assert breakers.blocked(MODEL) is None  # so one new server error does not reopen it


def test_only_one_half_open_trial_at_a_time() -> None:
    breakers, clock = make()
    breakers.failure(MODEL, err(ErrorClass.QUOTA))
    assert breakers.acquire(MODEL) is not None  # still cooling: no trial taken
    clock.advance(LONG_COOLDOWN)
    assert breakers.blocked(MODEL) is None  # looking does not take the slot
    assert breakers.acquire(MODEL) is None  # this caller is the trial
    assert (breakers.describe(MODEL) or {})["state"] == "half-open"
    for _ in range(3):
        reason = breakers.acquire(MODEL)
        assert reason is not None and "trial" in reason
        assert breakers.blocked(MODEL) == reason
    breakers.release(MODEL)  # the trial was cancelled: no verdict
    assert breakers.acquire(MODEL) is None
    assert breakers.acquire(MODEL) is not None


def test_a_request_fault_on_the_trial_closes_it() -> None:
    breakers, clock = make()
    breakers.failure(MODEL, err(ErrorClass.NOT_FOUND))
    clock.advance(LONG_COOLDOWN)
    assert breakers.acquire(MODEL) is None
    breakers.failure(MODEL, err(ErrorClass.BAD_REQUEST))  # it answered: the endpoint is up
    assert breakers.blocked(MODEL) is None
    assert breakers.acquire(MODEL) is None and breakers.acquire(MODEL) is None


@pytest.mark.parametrize("seconds", [0.25, 7.5, 20.0, 45.0, 900.0])
def test_retry_after_opens_it_for_exactly_that_long(seconds: float) -> None:
    breakers, clock = make()
    breakers.failure(MODEL, err(ErrorClass.RATE_LIMITED, retry_after=seconds))
    assert breakers.recovers_at(MODEL) == clock.now() + seconds
    assert open_for(breakers, clock) == pytest.approx(seconds)


def test_retry_after_zero_does_not_block() -> None:
    breakers, _ = make()
    breakers.failure(MODEL, err(ErrorClass.RATE_LIMITED, retry_after=0.0))
    assert breakers.blocked(MODEL) is None


def test_retry_after_on_a_failed_trial_is_not_doubled() -> None:
    breakers, clock = make()
    breakers.failure(MODEL, err(ErrorClass.RATE_LIMITED, retry_after=5.0))
    clock.advance(5.0)
    assert breakers.acquire(MODEL) is None
    breakers.failure(MODEL, err(ErrorClass.RATE_LIMITED, retry_after=3.0))
    assert open_for(breakers, clock) == pytest.approx(3.0)


def test_retry_after_is_a_floor_once_the_sample_is_enough() -> None:
    breakers, clock = make()
    breakers.failure(MODEL, err(ErrorClass.SERVER))
    breakers.failure(MODEL, err(ErrorClass.SERVER))
    breakers.failure(MODEL, err(ErrorClass.RATE_LIMITED, retry_after=2.0))  # 3rd in a row
    assert open_for(breakers, clock) == pytest.approx(SHORT_COOLDOWN)
    other = "p/other"
    breakers.failure(other, err(ErrorClass.SERVER))
    breakers.failure(other, err(ErrorClass.SERVER))
    breakers.failure(other, err(ErrorClass.RATE_LIMITED, retry_after=60.0))
    assert open_for(breakers, clock, other) == pytest.approx(60.0)


def test_retry_after_only_opens_it_for_rate_limits() -> None:
    breakers, _ = make()
    breakers.failure(MODEL, err(ErrorClass.SERVER, retry_after=30.0))  # 503 + Retry-After
    assert breakers.blocked(MODEL) is None


def test_forget_provider_clears_only_that_providers_models() -> None:
    breakers, _ = make()
    for model in ("p/a", "p/b", "q/a", "pp/x"):
        breakers.failure(model, err(ErrorClass.AUTH))
    breakers.forget_provider("p")
    assert breakers.blocked("p/a") is None and breakers.blocked("p/b") is None
    assert breakers.describe("p/a") is None
    assert is_open(breakers, "q/a") and is_open(breakers, "pp/x")
    breakers.failure("p/a", err(ErrorClass.SERVER))
    assert not is_open(breakers, "p/a"), "it starts afresh: one failure is not a sample"


def test_circuits_are_per_model() -> None:
    breakers, _ = make()
    breakers.failure("p/a", err(ErrorClass.AUTH))
    assert breakers.blocked("p/b") is None


def test_a_definitive_error_after_a_short_cooldown_still_cools_down_long() -> None:
    breakers, clock = make()
    for _ in range(3):
        breakers.failure(MODEL, err(ErrorClass.SERVER))  # open for 10 s
    clock.advance(SHORT_COOLDOWN)
    assert breakers.acquire(MODEL) is None
    breakers.failure(MODEL, err(ErrorClass.AUTH))  # the key was revoked meanwhile
    assert open_for(breakers, clock) >= LONG_COOLDOWN
