"""Explain a Subject through the chain, remembering answers for hover."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from dexter_ls.core.model_info import split_model_id
from dexter_ls.core.provider import ChatRequest
from dexter_ls.core.subject import Subject
from dexter_ls.explain.notice import reference_notice
from dexter_ls.explain.preferences import Effective, Preferences
from dexter_ls.explain.prepare import (
    SMALL_CONTEXT_CHARS,
    capped,
    context_chars,
    prepare_prompts,
)
from dexter_ls.explain.prompting import (  # loaded on first use, after start-up
    build_prompt,
    classify,
    clean_output,
    load_templates,
    model_family,
    parameters_b,
)
from dexter_ls.explain.records import attempt_records, disk_key, rows_for
from dexter_ls.explain.result import Explanation
from dexter_ls.models.attempts import Attempt
from dexter_ls.models.chain import INTERACTIVE_MAX_WAIT, Chain, OnAsking, OnAttempt
from dexter_ls.models.clock import Clock
from dexter_ls.models.limits import Limits
from dexter_ls.models.registry import ModelRegistry
from dexter_ls.models.router import BUILTIN_MODEL, candidate_order, route

if TYPE_CHECKING:  # the server loads settings after the handshake
    from dexter_ls.core.model_info import ModelInfo
    from dexter_ls.core.usage_record import AttemptRecord
    from dexter_ls.prompting.build import Prompt
    from dexter_ls.prompting.templates import TemplateSet
    from dexter_ls.settings import Settings
    from dexter_ls.store.explanation_cache import ExplanationCache
    from dexter_ls.store.telemetry_spool import AttemptLog

log = logging.getLogger(__name__)
MEMORY_ENTRIES = 512


@dataclass(frozen=True)
class Watch:
    """Who follows an explanation while it runs (work-done progress in the editor)."""

    on_attempt: OnAttempt | None = None  # each model tried or skipped, as it happens
    on_asking: OnAsking | None = None  # a model is being asked now


class Explainer:
    def __init__(self, registry: ModelRegistry, settings: Callable[[], Settings], *,
                 clock: Clock | None = None, cache: ExplanationCache | None = None,
                 telemetry: AttemptLog | None = None) -> None:
        self.registry = registry
        self._settings = settings
        self.chain = Chain(registry, clock=clock)
        self.preferences = Preferences()
        self.cache = cache  # on disk (SQLite); reached only through threads, never on hot paths
        self.telemetry = telemetry
        self._memory: OrderedDict[str, Explanation] = OrderedDict()
        self._templates: TemplateSet | None = None
        self._writes: set[asyncio.Task[None]] = set()
        # Telemetry rows waiting for the one writer: each write takes all that wait, in one
        # transaction, so a burst of answers makes a few writes, not one thread job each
        # (a queue of those grew without bound when answers came faster than the disk).
        self._rows: list[AttemptRecord] = []
        self._row_writer: asyncio.Task[None] | None = None

    def templates(self) -> TemplateSet:
        """The prompt templates (read from disk on first use; the server preloads them)."""
        if self._templates is None:
            self._templates = load_templates(self._settings().prompts.directory)
        return self._templates

    def reload_templates(self) -> TemplateSet:
        self._templates = load_templates(self._settings().prompts.directory)
        return self._templates

    def effective(self, uri: str | None = None, override: str | None = None) -> Effective:
        """The model and chain that apply to the document `uri`, and where each came from."""
        settings = self._settings()
        chosen = self.preferences.resolve(uri, settings.model, settings.fallback_chain,
                                          override)
        canonical = self.registry.canonical
        return replace(chosen, model=canonical(chosen.model) if chosen.model else None,
                       fallback_chain=tuple(self.registry.canonical_ids(chosen.fallback_chain)))

    def candidates(self, override: str | None = None, subject: Subject | None = None,
                   uri: str | None = None, category: str | None = None) -> list[str]:
        """The models to try, in order, for `subject` (routing applied after explicit picks).

        `category` is the subject's, when the caller has classified it already."""
        settings = self._settings()
        category_model = None
        if subject is not None and settings.category_models:
            category_model = settings.category_models.get(category or classify(subject))
        if category_model:
            category_model = self.registry.canonical(category_model)
        if override:
            override = self.registry.canonical(override)
        chosen = self.effective(subject.uri if subject is not None else uri)
        ordered = candidate_order(override, chosen.model, list(chosen.fallback_chain),
                                  category_model)
        pinned = (1 if override else 0) + (1 if category_model else 0)
        return route(ordered, settings.routing, self.chain.stats, pinned=pinned)

    def remembers(self, key: str) -> bool:
        """An answer for this `Subject.cache_key()` is in memory (prefetch skips it)."""
        return key in self._memory

    async def recall(self, subject: Subject, preferred: str | None = None,
                     category: str | None = None) -> Explanation | None:
        """The answer of the `preferred` model (default: the first candidate) from memory, or
        from the disk cache into memory (so hover can show it); never asks a model."""
        category = category or classify(subject)
        preferred = preferred or self.candidates(subject=subject, category=category)[0]
        key = subject.cache_key()
        hit = self._memory.get(key)
        if hit is not None and self._still_good(hit, preferred):
            self._memory.move_to_end(key)
            return hit
        stored = await self._from_disk(subject, preferred, category)
        if stored is not None:
            self._remember(key, stored)
        return stored

    def remembered(self, subject: Subject) -> Explanation | None:
        """The last explanation of this diagnostic, from any model (memory only)."""
        return self._memory.get(capped(subject).cache_key())

    async def explain(
        self,
        subject: Subject,
        override: str | None = None,
        on_text: Callable[[str, str], None] | None = None,
        *,
        interactive: bool = True,
        watch: Watch | None = None,
    ) -> Explanation:
        """Raises ValueError for a malformed override and ChainExhausted if nothing answered.

        `interactive`: a person is waiting, so no wait longer than INTERACTIVE_MAX_WAIT (the
        reference answers instead); background work (prefetch) may wait for the deadline."""
        if override is not None:
            split_model_id(override)
        started = time.monotonic()
        subject = capped(subject)
        category = classify(subject)  # once per explanation: routing, cache key and prompt
        candidates = self.candidates(override, subject, category=category)
        known = await self.recall(subject, candidates[0], category)
        if known is not None:
            return known.as_cached((time.monotonic() - started) * 1000)
        explanation = await self.ask(subject, candidates, on_text=on_text, started=started,
                                     category=category, interactive=interactive, watch=watch)
        self._remember(subject.cache_key(), explanation)
        self.persist(subject, explanation)
        return explanation

    async def ask(self, subject: Subject, candidates: list[str], *,
                  on_text: Callable[[str, str], None] | None = None,
                  started: float | None = None, category: str | None = None,
                  interactive: bool = True, watch: Watch | None = None) -> Explanation:
        """Run the chain over exactly `candidates`, without any cache; raises ChainExhausted.
        Cancelled, it records the attempts made (the last one "cancelled") and re-raises."""
        started = time.monotonic() if started is None else started
        subject = capped(subject)
        settings = self._settings()
        for name, provider in settings.providers.items():
            self.chain.limiter.configure(name, Limits(provider.requests_per_minute,
                                                      provider.tokens_per_minute,
                                                      provider.max_concurrency))
        prompts: dict[str, Prompt] = {}
        category = category or classify(subject)

        def make(info: ModelInfo) -> Prompt:
            return self.prompt(subject, info, category)

        # Prompt building and redaction are CPU work: done up front, in a thread when the
        # context is large, so that a huge diagnostic does not stall the event loop (other
        # requests keep being answered). The offline reference reads the subject, never a
        # prompt: nothing is built for it.
        models = [m for m in candidates if m != BUILTIN_MODEL]
        if not models:
            ahead = {}
        elif context_chars(subject) <= SMALL_CONTEXT_CHARS:
            ahead = prepare_prompts(self.registry, models, make)
        else:
            ahead = await asyncio.to_thread(prepare_prompts, self.registry, models, make)

        def build(info: ModelInfo) -> ChatRequest:
            if info.id == BUILTIN_MODEL:
                return ChatRequest(messages=(), subject=subject)
            foreseen = ahead.get(info.id)
            prompt = foreseen[1] if foreseen and foreseen[0] == info else make(info)
            prompts[info.id] = prompt
            return prompt.request

        deny = settings.privacy.remote == "deny"
        watch = watch or Watch()
        made: list[Attempt] = []

        def attempted(attempt: Attempt) -> None:
            made.append(attempt)
            if watch.on_attempt is not None:
                watch.on_attempt(attempt)

        try:
            result = await self.chain.run(
                candidates,
                build,
                deadline_seconds=settings.explain.timeout_seconds,
                max_attempts=settings.explain.max_attempts,
                on_text=on_text,
                admit=(lambda info: None if info.local else
                       "dexter.privacy.remote is 'deny': remote models are not asked") if deny
                else None,
                max_wait=INTERACTIVE_MAX_WAIT if interactive else None,
                on_attempt=attempted,
                on_asking=watch.on_asking,
            )
        except asyncio.CancelledError:  # nothing cached; the attempts still count as usage
            self._record_cancelled(made, category)
            raise
        used = prompts.get(result.model)
        text = result.text if result.model == BUILTIN_MODEL else clean_output(result.text)
        if result.note:  # after the cleaned answer: never inside a fence it left open
            text = f"{text}\n\n{clean_output(result.note)}"  # (the reason may be the server's)
        notice = reference_notice(result.model, result.attempts)
        if notice is not None:  # first: the user learns at once why this is not their model
            text = f"*{notice}*\n\n{text}"
        explanation = Explanation(
            body=text,
            model=result.model,
            requested_model=candidates[0],
            attempts=result.attempts,
            cached=False,
            latency_ms=(time.monotonic() - started) * 1000,
            usage=result.usage,
            incomplete=result.incomplete,
            model_version=self._version(result.model),
            category=category,
            prompt_signature=used.signature if used and result.model != BUILTIN_MODEL else None,
            redactions=used.redactions if used else 0,
            notice=notice,
        )
        return explanation

    def prompt(self, subject: Subject, info: ModelInfo, category: str) -> Prompt:
        """What `info`'s model is sent for `subject`: templates, source lines, redactions
        (`dexter prompts render` shows exactly this)."""
        return build_prompt(subject, info, self.templates(), category, remote=not info.local,
                            exclude_globs=tuple(self._settings().privacy.exclude_globs))

    def _record_cancelled(self, attempts: list[Attempt], category: str) -> None:
        if self.telemetry is not None and attempts and self._settings().telemetry.enabled:
            self._record(rows_for(attempts, None, category, None))

    # -- disk: the explanation cache and telemetry, always in threads, never awaited by hover --

    def _cache_on(self) -> bool:
        return self.cache is not None and self._settings().cache.enabled

    async def _from_disk(self, subject: Subject, preferred: str, category: str
                         ) -> Explanation | None:
        if not self._cache_on() or preferred == BUILTIN_MODEL or self.cache is None:
            return None
        key = disk_key(subject, preferred, self._version(preferred),
                       self.prompt_signature(preferred, category))
        payload = await asyncio.to_thread(self.cache.get, key)
        if payload is None:
            return None
        try:
            return Explanation.from_json(payload)
        except ValueError as exc:
            log.warning("explanation cache: ignored an unreadable entry: %s", exc)
            return None

    def persist(self, subject: Subject, explanation: Explanation) -> None:
        """Store the answer and its attempts in the background (callers never wait on disk)."""
        cache, telemetry, settings = self.cache, self.telemetry, self._settings()
        if (cache is not None and settings.cache.enabled and not explanation.incomplete
                and explanation.model != BUILTIN_MODEL):
            key = disk_key(subject, explanation.model, explanation.model_version,
                           explanation.prompt_signature)
            self._write(cache.put, key, explanation.to_json(), model=explanation.model)
        if telemetry is not None and settings.telemetry.enabled:
            self._record(attempt_records(explanation))

    def _record(self, rows: Sequence[AttemptRecord]) -> None:
        """Telemetry rows, written in the background by one writer taking all that wait."""
        telemetry = self.telemetry
        if telemetry is None or not rows:
            return
        self._rows.extend(rows)
        if self._row_writer is not None and not self._row_writer.done():
            return  # the running writer takes these on its next round

        async def drain() -> None:
            while self._rows:
                batch, self._rows = self._rows, []
                try:
                    await asyncio.to_thread(telemetry.record, batch)
                except Exception:
                    log.exception("could not store the telemetry of %d attempt(s)", len(batch))

        try:
            self._row_writer = asyncio.get_running_loop().create_task(drain())
        except RuntimeError:  # no loop (synchronous callers): write now
            batch, self._rows = self._rows, []
            telemetry.record(batch)
            return
        self._writes.add(self._row_writer)
        self._row_writer.add_done_callback(self._writes.discard)

    def _write(self, call: Callable[..., object], *args: object, **kwargs: object) -> None:
        async def work() -> None:
            try:
                await asyncio.to_thread(call, *args, **kwargs)
            except Exception:
                log.exception("could not store an explanation or its telemetry")
        try:
            task = asyncio.get_running_loop().create_task(work())
        except RuntimeError:  # no loop (synchronous callers): write now
            call(*args, **kwargs)
            return
        self._writes.add(task)
        task.add_done_callback(self._writes.discard)

    async def flush(self) -> None:
        """Wait for pending cache and telemetry writes (the CLI before it exits, tests)."""
        while self._writes:
            await asyncio.gather(*list(self._writes), return_exceptions=True)
        if self.telemetry is not None:  # a spool holds a run's rows until now
            await asyncio.to_thread(self.telemetry.flush)

    def _version(self, model_id: str) -> str | None:
        info = self.registry.get(model_id)
        return info.version if info else None

    def _still_good(self, hit: Explanation, preferred: str) -> bool:
        """Serve a remembered answer only from the preferred model, complete, with the same
        model version and the same prompt templates (name@version) as now."""
        return (hit.model == preferred and not hit.incomplete
                and hit.model_version == self._version(hit.model)
                and hit.prompt_signature == self.prompt_signature(hit.model, hit.category))

    def prompt_signature(self, model_id: str, category: str) -> str | None:
        """The templates a model would be asked with now (None for the reference)."""
        if model_id == BUILTIN_MODEL:
            return None
        info = self.registry.describe(model_id)
        templates = self.templates()
        family = templates.family_template(model_family(info.family, info.name),
                                           parameters_b(info.parameter_size))
        focus = templates.category_template(category)
        return family.signature + (f"+{focus.signature}" if focus else "")

    def _remember(self, key: str, explanation: Explanation) -> None:
        self._memory[key] = explanation
        self._memory.move_to_end(key)
        while len(self._memory) > MEMORY_ENTRIES:
            self._memory.popitem(last=False)
