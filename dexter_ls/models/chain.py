"""The fallback chain: the only retry loop. Fallback ⊃ retry ⊃ attempt.

For each candidate in order: skip it (recording why) when it is unknown, cannot hold
the prompt, lacks a capability, is cooling down, or its provider's local rate limit
is reached while another model could answer now; otherwise try it. Transient
failures are retried with capped, jittered exponential backoff (honouring
Retry-After) only when no other healthy model can take the request now. A model is
committed to after its first chunk: a later failure ends the answer as incomplete,
never replayed. `builtin/reference` ends every chain and never fails.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from dexter_ls.core.model_info import Capability, ModelInfo
from dexter_ls.core.provider import (
    ChatRequest,
    ErrorClass,
    ProviderError,
    TextChunk,
    Usage,
    UsageChunk,
)
from dexter_ls.core.within import within
from dexter_ls.models.attempts import Attempt, ChainExhausted, ChainResult, Tried, judged
from dexter_ls.models.breaker import Breakers
from dexter_ls.models.clock import Clock, SystemClock
from dexter_ls.models.limits import RateLimiter
from dexter_ls.models.registry import ModelRegistry, Resolved, UnknownModel
from dexter_ls.models.router import BUILTIN_MODEL
from dexter_ls.models.stats import StatsBook

__all__ = ["BUILTIN_MODEL", "Attempt", "Chain", "ChainExhausted", "ChainResult"]
log = logging.getLogger(__name__)

# A connection error is not retried: a refused connection stays refused for the next
# second, and the next candidate (the reference at worst) can answer now.
RETRIABLE = frozenset({ErrorClass.RATE_LIMITED, ErrorClass.SERVER, ErrorClass.TIMEOUT})
MAX_RETRIES = 2
BACKOFF_BASE, BACKOFF_CAP = 0.5, 8.0
OnText = Callable[[str, str], None]
OnAttempt = Callable[[Attempt], None]  # each attempt as it is recorded (progress, telemetry)
OnAsking = Callable[[str], None]  # a model is being asked now
INTERACTIVE_MAX_WAIT = 2.0  # the longest a person waits for a retry, a limit or a cooldown
_Ready = tuple[Resolved, ChatRequest, int]  # what to send a usable model, and its token estimate


@dataclass
class _Run:
    candidates: list[str]
    build_request: Callable[[ModelInfo], ChatRequest]
    deadline: float
    budget: int
    on_text: OnText | None
    attempts: list[Attempt]
    admit: Callable[[ModelInfo], str | None] | None = None
    requests: dict[str, ChatRequest] = field(default_factory=dict)
    max_wait: float = float("inf")  # the longest single wait (a backoff, a limit, a cooldown)
    on_attempt: OnAttempt | None = None
    on_asking: OnAsking | None = None

    def record(self, attempt: Attempt) -> None:
        self.attempts.append(attempt)
        if self.on_attempt is not None:
            self.on_attempt(attempt)

    def request_for(self, info: ModelInfo) -> ChatRequest:
        """The request for `info`, built once per run (looking ahead at later candidates and
        then trying them reuses it)."""
        request = self.requests.get(info.id)
        if request is None:
            request = self.requests[info.id] = self.build_request(info)
        return request

    def tried_any(self) -> bool:
        return any(a.outcome != "skipped" for a in self.attempts)


class Chain:
    def __init__(self, registry: ModelRegistry, *, clock: Clock | None = None,
                 breakers: Breakers | None = None, stats: StatsBook | None = None,
                 limiter: RateLimiter | None = None, rng: random.Random | None = None) -> None:
        self.registry = registry
        self.clock = clock or SystemClock()
        self.breakers = breakers or Breakers(self.clock)
        self.stats = stats or StatsBook()
        self.limiter = limiter or RateLimiter(self.clock)
        self._rng = rng or random.Random()

    async def run(self, candidates: list[str], build_request: Callable[[ModelInfo], ChatRequest],
                  *, deadline_seconds: float, max_attempts: int,
                  on_text: OnText | None = None,
                  admit: Callable[[ModelInfo], str | None] | None = None,
                  max_wait: float | None = None, on_attempt: OnAttempt | None = None,
                  on_asking: OnAsking | None = None) -> ChainResult:
        """`admit(info)` may refuse a model (a reason) before anything is sent to it.
        `max_wait` bounds every wait (None: only the deadline does); an interactive request
        passes INTERACTIVE_MAX_WAIT, so the reference answers rather than a person waiting.
        Cancelling the task records the attempt running as "cancelled" and re-raises."""
        run = _Run(candidates, build_request, self.clock.now() + deadline_seconds, max_attempts,
                   on_text, [], admit,
                   max_wait=float("inf") if max_wait is None else max_wait,
                   on_attempt=on_attempt, on_asking=on_asking)
        cooling: list[str] = []
        for index, model_id in enumerate(candidates):
            if model_id == BUILTIN_MODEL:
                recovered = await self._wait_for_recovery(run, cooling)
                if recovered is not None:
                    return recovered
                return await self._last_resort(run, cooling)
            result = await self._candidate(run, index, model_id, cooling)
            if result is not None:
                return result
        raise ChainExhausted(run.attempts)

    # -- one candidate -------------------------------------------------------------------

    async def _candidate(self, run: _Run, index: int, model_id: str,
                         cooling: list[str]) -> ChainResult | None:
        skip = self._precheck(run, model_id)
        if isinstance(skip, Attempt):
            run.record(skip)
            if skip.error_class == "cooling-down":
                cooling.append(model_id)
            return None
        resolved, request, tokens = skip
        if not await self._rate_room(run, index, resolved.info, tokens):
            return None
        if self.breakers.acquire(model_id) is not None:  # lost a race for the trial slot
            self.limiter.hand_on(resolved.info.provider)  # a slot queued for goes on
            run.record(Attempt(model_id, "skipped", 0.0, "a trial request is running",
                                        "cooling-down"))
            return None
        return await self._try_with_retries(run, index, model_id, resolved, request, tokens)

    def _precheck(self, run: _Run, model_id: str) -> Attempt | _Ready:
        if run.budget <= 0:
            return Attempt(model_id, "skipped", 0.0, "attempt budget spent", "budget")
        if self.clock.now() >= run.deadline:
            return Attempt(model_id, "skipped", 0.0, "request deadline passed",
                           ErrorClass.TIMEOUT.value)
        return self._usable(run, model_id)

    def _usable(self, run: _Run, model_id: str) -> Attempt | _Ready:
        """Why `model_id` cannot take this request now (a skip), or what to send it."""
        try:
            resolved = self.registry.resolve(model_id)
        except UnknownModel as exc:
            return Attempt(model_id, "skipped", 0.0, str(exc), "unknown-model")
        info = resolved.info
        refused = run.admit(info) if run.admit is not None else None
        if refused is not None:
            return Attempt(model_id, "skipped", 0.0, refused, "privacy")
        request = run.request_for(info)
        tokens = estimate_tokens(request)
        if info.context_window and tokens > info.context_window:
            return Attempt(model_id, "skipped", 0.0,
                           f"needs ~{tokens} tokens (prompt + answer); its context window is "
                           f"{info.context_window}", ErrorClass.CONTEXT_WINDOW.value)
        if info.capabilities and Capability.CHAT not in info.capabilities:
            return Attempt(model_id, "skipped", 0.0, "it cannot chat (no 'chat' capability)",
                           "capability")
        blocked = self.breakers.blocked(model_id)
        if blocked is not None:
            return Attempt(model_id, "skipped", 0.0, blocked, "cooling-down")
        return resolved, request, tokens

    async def _rate_room(self, run: _Run, index: int, info: ModelInfo, tokens: int) -> bool:
        limited = self.limiter.why_not(info.provider, tokens)
        if limited is None:
            return True
        reason, wait = limited
        if not self._another_ready(run, index):  # the last model before the reference
            budget = min(run.max_wait, run.deadline - self.clock.now())
            if self.limiter.at_concurrency(info.provider):
                if await self._queue_for_slot(info.provider, tokens, budget):
                    return True
            elif wait <= budget and wait < run.deadline - self.clock.now():
                await self.clock.sleep(wait)
                if self.limiter.why_not(info.provider, tokens) is None:
                    return True
            limited = self.limiter.why_not(info.provider, tokens) or limited
            reason = limited[0]
        run.record(Attempt(info.id, "skipped", 0.0, reason, "rate-limit"))
        return False

    async def _queue_for_slot(self, provider: str, tokens: int, budget: float) -> bool:
        """Wait (at most `budget` seconds) for a running request of `provider` to finish and
        hand over its slot; True when the request may go now."""
        until = self.clock.now() + budget
        while self.clock.now() < until:
            waiter = self.limiter.slot_freed(provider)
            timer = asyncio.ensure_future(self.clock.sleep(until - self.clock.now()))
            try:
                await asyncio.wait((waiter, timer), return_when=asyncio.FIRST_COMPLETED)
            except BaseException:  # cancelled: a slot handed to us goes to the next in line
                if waiter.done() and not waiter.cancelled():
                    self.limiter.hand_on(provider)
                raise
            finally:
                timer.cancel()
                waiter.cancel()  # no-op when it was handed a slot
            if self.limiter.why_not(provider, tokens) is None:
                return True
            if not self.limiter.at_concurrency(provider):
                return False  # another limit (per minute) is what stops it now
        return False

    def _another_ready(self, run: _Run, index: int) -> bool:
        """Could a later candidate (other than the reference) take the request right now?"""
        for model_id in run.candidates[index + 1:]:
            if model_id == BUILTIN_MODEL:
                continue
            ready = self._usable(run, model_id)
            if isinstance(ready, Attempt):
                continue
            resolved, _, tokens = ready
            if self.limiter.why_not(resolved.info.provider, tokens) is None:
                return True
        return False

    async def _try_with_retries(self, run: _Run, index: int, model_id: str, resolved: Resolved,
                                request: ChatRequest, tokens: int) -> ChainResult | None:
        retry = 0
        while True:
            permit = self.limiter.acquire(resolved.info.provider, tokens)
            if permit is None and retry:  # a retry obeys the local limits too
                run.record(Attempt(model_id, "skipped", 0.0, "no retry: "
                                            + self._limit_reason(resolved, tokens), "rate-limit",
                                            retries=retry))
                return None
            run.budget -= 1
            try:
                outcome = await self._attempt(run, model_id, resolved, request, retry)
                outcome.attempt = replace(outcome.attempt, prompt_tokens=tokens)
            finally:
                if permit is not None:
                    permit.release()
            run.record(outcome.attempt)
            if outcome.text is not None:
                return ChainResult(outcome.text, model_id, tuple(run.attempts),
                                   outcome.usage or Usage(),
                                   outcome.attempt.outcome == "incomplete", outcome.note)
            error = outcome.error
            assert error is not None
            delay = self._retry_delay(run, index, model_id, error, retry)
            if delay is None:
                return None
            await self.clock.sleep(delay)  # retries belong to this request: the breaker
            retry += 1  # governs the next requests, not this one's bounded retries

    def _limit_reason(self, resolved: Resolved, tokens: int) -> str:
        limited = self.limiter.why_not(resolved.info.provider, tokens)
        return limited[0] if limited else "rate limit"

    def _retry_delay(self, run: _Run, index: int, model_id: str, error: ProviderError,
                     retry: int) -> float | None:
        """Seconds to wait before retrying `model_id`, or None to move on."""
        if error.error_class not in RETRIABLE or error.should_retry is False:
            return None
        if retry >= MAX_RETRIES or run.budget <= 0 or self._another_ready(run, index):
            return None  # no sleeping when another healthy model can answer now
        backoff = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** retry) * self._rng.uniform(0.5, 1.0)
        delay = max(backoff, error.retry_after or 0.0)
        if delay > run.max_wait or self.clock.now() + delay >= run.deadline:
            return None
        return delay

    async def _attempt(self, run: _Run, model_id: str, resolved: Resolved,
                       request: ChatRequest, retry: int) -> Tried:
        started = self.clock.now()
        parts: list[str] = []
        usage = Usage()
        finish: str | None = None
        first_token: float | None = None

        def elapsed() -> float:
            return (self.clock.now() - started) * 1000

        if run.on_asking is not None:
            run.on_asking(model_id)

        async def consume() -> None:
            nonlocal usage, first_token, finish
            async for chunk in resolved.provider.stream(resolved.info.name, request):
                if isinstance(chunk, TextChunk) and chunk.text:
                    parts.append(chunk.text)
                    if first_token is None and not chunk.text.strip():
                        continue  # leading whitespace: nothing to commit to yet
                    # Committed from the first visible text on: stream it, never replay.
                    shown = chunk.text if first_token is not None else "".join(parts)
                    if first_token is None:
                        first_token = elapsed()
                    if run.on_text is not None:
                        run.on_text(model_id, shown)
                elif isinstance(chunk, UsageChunk):
                    usage = chunk.usage
                    finish = chunk.finish_reason or finish

        # The reference is the last resort: it runs even past the deadline (it is local and
        # bounds its own tool calls), so the chain always ends with an answer.
        remaining = None if model_id == BUILTIN_MODEL else max(run.deadline - self.clock.now(),
                                                                 0.001)
        error: ProviderError | None = None
        try:
            await (consume() if remaining is None else within(consume(), remaining))
        except ProviderError as exc:
            error = exc
        except asyncio.TimeoutError:
            error = ProviderError(ErrorClass.TIMEOUT, "no complete answer before the request "
                                  "deadline")
        except asyncio.CancelledError:  # the user's doing, not the model's: no failure counted
            self.breakers.release(model_id)
            run.record(Attempt(model_id, "cancelled", elapsed(), "cancelled before the answer "
                               "was complete", ErrorClass.CANCELLED.value, first_token,
                               retries=retry))
            raise
        except Exception as exc:  # a provider bug: recorded, logged, never swallowed silently
            log.exception("provider for %s failed unexpectedly", model_id)
            error = ProviderError(ErrorClass.SERVER, f"internal error: {type(exc).__name__}")
        text = "".join(parts)
        if error is None and not text.strip():
            error = ProviderError(ErrorClass.INCOMPLETE_STREAM, "empty answer")
        took = elapsed()
        self.stats.record(model_id, error is None, first_token, took)
        # A provider replaced while this attempt ran (a new key, an approval, new settings)
        # says nothing about its successor: its verdict does not reach the breaker.
        if not self.registry.installed(resolved.provider):
            self.breakers.release(model_id)
        elif error is not None:
            self.breakers.failure(model_id, error)
        else:
            self.breakers.success(model_id)
        return judged(model_id, retry, took, first_token, text, usage, finish, error)

    # -- the end of the chain ------------------------------------------------------------

    async def _wait_for_recovery(self, run: _Run, cooling: list[str]) -> ChainResult | None:
        """Every model was cooling down: wait for the first to recover if the deadline allows."""
        if not cooling or run.tried_any() or run.budget <= 0:
            return None
        soonest = min(cooling, key=lambda m: self.breakers.recovers_at(m) or float("inf"))
        when = self.breakers.recovers_at(soonest)
        if when is None or when >= run.deadline or when - self.clock.now() > run.max_wait:
            return None
        await self.clock.sleep(when - self.clock.now())
        index = run.candidates.index(soonest)
        return await self._candidate(run, index, soonest, [])

    async def _last_resort(self, run: _Run, cooling: list[str]) -> ChainResult:
        resolved = self.registry.resolve(BUILTIN_MODEL)
        request = run.request_for(resolved.info)
        outcome = await self._attempt(run, BUILTIN_MODEL, resolved, request, 0)
        attempt = outcome.attempt
        if cooling and not run.tried_any():
            attempt = replace(attempt, warning="answered offline: every model is cooling down "
                              "and none recovers before the deadline")
        run.record(attempt)
        if outcome.text is None:
            raise ChainExhausted(run.attempts)
        return ChainResult(outcome.text, BUILTIN_MODEL, tuple(run.attempts),
                           outcome.usage or Usage())


def estimate_tokens(request: ChatRequest) -> int:
    """Prompt tokens (~4 characters each) plus the output budget."""
    return sum(len(m.content) for m in request.messages) // 4 + request.max_output_tokens

