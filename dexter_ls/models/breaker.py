"""A circuit breaker per model: cooldowns that grow on repeated failure, a half-open trial.

- an unreachable model (connection refused, no first token in time) opens it at once
  for the short cooldown: every request it would see next would pay the same wait;
- other transient failures (rate-limited, server, incomplete stream) open it after a
  minimum sample: 3 in a row, or half of the last 10 (5 at least); a rate limit with
  Retry-After opens it at once, for that long;
- definitive ones (auth, quota, not-found) open it at once, for a long cooldown;
- bad-request, context-window, content-policy and cancelled never open it.
After the cooldown one trial request is let through (half-open): success closes the
circuit, failure reopens it for twice as long.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from dexter_ls.core.provider import ErrorClass, ProviderError
from dexter_ls.models.clock import Clock

TRANSIENT = frozenset({ErrorClass.RATE_LIMITED, ErrorClass.SERVER, ErrorClass.TIMEOUT,
                       ErrorClass.CONNECTION, ErrorClass.INCOMPLETE_STREAM})
DEFINITIVE = frozenset({ErrorClass.AUTH, ErrorClass.QUOTA, ErrorClass.NOT_FOUND})
UNREACHABLE = frozenset({ErrorClass.TIMEOUT, ErrorClass.CONNECTION})
SHORT_COOLDOWN, SHORT_MAX = 10.0, 300.0
LONG_COOLDOWN, LONG_MAX = 600.0, 3600.0
CONSECUTIVE_TO_OPEN = 3
WINDOW, WINDOW_MIN, WINDOW_RATE = 10, 5, 0.5


@dataclass
class Circuit:
    state: str = "closed"  # closed | open | half-open
    open_until: float = 0.0
    reason: str = ""
    cooldown: float = 0.0  # the last cooldown given (grows on repeated failure)
    consecutive: int = 0
    recent: deque[bool] = field(default_factory=lambda: deque(maxlen=WINDOW))
    trial_running: bool = False


class Breakers:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._circuits: dict[str, Circuit] = {}

    def _get(self, model: str) -> Circuit:
        return self._circuits.setdefault(model, Circuit())

    def blocked(self, model: str) -> str | None:
        """Why `model` may not be called now (None: it may). Does not change state."""
        circuit = self._circuits.get(model)
        if circuit is None or circuit.state == "closed":
            return None
        if circuit.state == "open" and self._clock.now() < circuit.open_until:
            left = circuit.open_until - self._clock.now()
            return f"cooling down for {left:.0f}s more after {circuit.reason}"
        if circuit.trial_running:
            return "a trial request is already testing whether it recovered"
        return None

    def acquire(self, model: str) -> str | None:
        """Like `blocked`, but takes the half-open trial slot when the cooldown is over."""
        reason = self.blocked(model)
        circuit = self._circuits.get(model)
        if reason is None and circuit is not None and circuit.state != "closed":
            circuit.state, circuit.trial_running = "half-open", True
        return reason

    def forget_provider(self, provider: str) -> None:
        """The provider was reconfigured (new endpoint or key): its models start afresh."""
        for model in [m for m in self._circuits if m.startswith(f"{provider}/")]:
            del self._circuits[model]

    def release(self, model: str) -> None:
        """A trial ended without a verdict (cancelled): let another request try."""
        circuit = self._circuits.get(model)
        if circuit is not None:
            circuit.trial_running = False

    def recovers_at(self, model: str) -> float | None:
        circuit = self._circuits.get(model)
        return circuit.open_until if circuit and circuit.state == "open" else None

    def success(self, model: str) -> None:
        circuit = self._get(model)
        if circuit.state != "closed":  # recovered: old failures no longer count
            circuit.recent.clear()
        circuit.state, circuit.trial_running, circuit.consecutive = "closed", False, 0
        circuit.cooldown, circuit.reason = 0.0, ""
        circuit.recent.append(True)

    def failure(self, model: str, error: ProviderError) -> None:
        circuit = self._get(model)
        was_trial = circuit.trial_running
        circuit.trial_running = False
        kind = error.error_class
        if kind not in TRANSIENT and kind not in DEFINITIVE:
            if was_trial:  # it answered: the endpoint is up
                circuit.state, circuit.cooldown = "closed", 0.0
                circuit.consecutive = 0
                circuit.recent.clear()
            return  # the request was at fault, not the model
        circuit.recent.append(False)
        circuit.consecutive += 1
        failures = circuit.recent.count(False)
        enough = (circuit.consecutive >= CONSECUTIVE_TO_OPEN
                  or (len(circuit.recent) >= WINDOW_MIN
                      and failures / len(circuit.recent) >= WINDOW_RATE))
        told = kind is ErrorClass.RATE_LIMITED and error.retry_after is not None
        if not (was_trial or enough or told or kind in DEFINITIVE or kind in UNREACHABLE):
            return
        if kind in DEFINITIVE:
            base, cap = LONG_COOLDOWN, LONG_MAX
        else:
            base, cap = SHORT_COOLDOWN, SHORT_MAX
        cooldown = min(cap, max(base, circuit.cooldown * 2))  # grows; never below its class
        if told and error.retry_after is not None:
            cooldown = max(error.retry_after, 0.0) if not enough else max(cooldown,
                                                                       error.retry_after)
        circuit.state, circuit.cooldown = "open", cooldown
        circuit.open_until = self._clock.now() + cooldown
        circuit.reason = f"{kind.value}: {error.message}"[:200]

    def describe(self, model: str) -> dict[str, object] | None:
        circuit = self._circuits.get(model)
        if circuit is None or circuit.state == "closed":
            return None
        return {"state": circuit.state, "reason": circuit.reason,
                "secondsLeft": max(0.0, round(circuit.open_until - self._clock.now(), 1))}
