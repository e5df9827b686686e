"""Why the offline reference answered instead of the model the user chose, and what to do.

"ollama/qwen2.5-coder:7b is not running (connection refused at http://localhost:11434):
answered from the offline reference. Start Ollama or pick another model."
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from dexter_ls.models.attempts import Attempt
from dexter_ls.models.router import BUILTIN_MODEL

_REFUSED = re.compile(r"connection refused(?: at \S+)?")
_COOLING = re.compile(r"^cooling down for (\d+)s more after ")
ANSWERED = "answered from the offline reference"


def reference_notice(answered_by: str, attempts: Sequence[Attempt]) -> str | None:
    """One sentence when the reference answered because the first model tried could not,
    naming that model, the reason and the remedy; None when the reference was the choice."""
    if answered_by != BUILTIN_MODEL:
        return None
    first = next((a for a in attempts if a.model != BUILTIN_MODEL
                  and a.outcome in ("failed", "skipped")), None)
    if first is None:
        return None
    provider = first.model.partition("/")[0]
    error = first.error or first.error_class or first.outcome
    refused = _REFUSED.search(error)
    if refused is not None:
        start = "Start Ollama" if provider == "ollama" else f"Start the {provider} server"
        return (f"{first.model} is not running ({refused.group(0)}): {ANSWERED}. "
                f"{start} or pick another model.")
    reason = _short(error, first.model)
    return f"{first.model} could not answer ({reason}): {ANSWERED}. {_remedy(first, provider)}"


def _short(error: str, model: str) -> str:
    cooling = _COOLING.match(error)
    if cooling is not None:  # the model failed shortly before; say how long until it is retried
        error = error[cooling.end():] + f"; retried in {cooling.group(1)}s"
    error = error.replace(f"{model}: ", "")
    error = re.sub(r"^[a-z-]+: ", "", error)  # the error class prefix of a breaker reason
    return error if len(error) <= 160 else error[:159].rstrip() + "…"


def _remedy(attempt: Attempt, provider: str) -> str:
    kind = attempt.error_class or ""
    if kind == "auth":
        return f"Set its key with `dexter keys set {provider}` or pick another model."
    if kind == "not-found" or kind == "unknown-model":
        pull = " (`ollama pull`)" if provider == "ollama" else ""
        return f"Install the model{pull} or pick another model."
    if kind == "quota":
        return "Check the account's quota or pick another model."
    if kind == "timeout":
        return "Pick a faster model or raise dexter.explain.timeoutSeconds."
    if kind == "privacy":
        return "dexter.privacy.remote is 'deny': pick a local model."
    if kind in ("context-window", "capability"):
        return "Pick a model with a larger context window."
    return "Try again shortly or pick another model."
