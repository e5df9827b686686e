"""Turn an explanation into telemetry rows, and name its place in the explanation cache."""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Sequence

from dexter_ls.core.subject import Subject
from dexter_ls.core.usage_record import AttemptRecord
from dexter_ls.explain.result import Explanation
from dexter_ls.models.attempts import Attempt


def disk_key(subject: Subject, model: str, version: str | None, template: str | None) -> str:
    """Diagnostic fingerprint + code snippet hash + model + model version + template version.

    The document's URI is left out: the same error on the same code is the same question.
    """
    from dexter_ls.store.explanation_cache import make_cache_key  # SQLite: only with a cache

    snippet = "\n".join(subject.snippet.lines) if subject.snippet else ""
    return make_cache_key(subject.diagnostic.fingerprint(),
                          hashlib.sha256(snippet.encode()).hexdigest(), model, version, template)


def attempt_records(explanation: Explanation, *, now: float | None = None,
                    request_id: str | None = None) -> list[AttemptRecord]:
    """One row per attempt of a freshly answered request (cached answers record nothing)."""
    answered = explanation.model if any(
        a.model == explanation.model and a.outcome in ("success", "incomplete")
        for a in explanation.attempts) else None
    return rows_for(explanation.attempts, answered, explanation.category,
                    explanation.prompt_signature, now=now, request_id=request_id)


def rows_for(attempts: Sequence[Attempt], answered: str | None, category: str,
             template: str | None, *, now: float | None = None,
             request_id: str | None = None) -> list[AttemptRecord]:
    """One row per attempt; `template` belongs to the model that `answered` (if any)."""
    now = time.time() if now is None else now
    request_id = request_id or uuid.uuid4().hex
    rows = []
    for attempt in attempts:
        usage = attempt.usage
        moved_on = attempt.outcome in ("failed", "skipped")
        rows.append(AttemptRecord(
            ts=now,
            request_id=request_id,
            model=attempt.model,
            provider=attempt.model.partition("/")[0],
            outcome=attempt.outcome,
            error_class=attempt.error_class,
            fallback_reason=(attempt.error or attempt.error_class or attempt.outcome)
            if moved_on else None,
            first_token_ms=attempt.first_token_ms,
            latency_ms=attempt.latency_ms,
            input_tokens=usage.input_tokens if usage else None,
            output_tokens=usage.output_tokens if usage else None,
            usage_source=usage.source if usage else "unknown",
            cost_usd=attempt.cost_usd,
            template=template if attempt.model == answered else None,
            category=category,
            answered_by=answered,
        ))
    return rows
