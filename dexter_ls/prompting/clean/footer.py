"""The one line under every explanation: which model answered, how long it took, and the
models tried first. Apart from the cleaning rules (output.py), which an answer from the
offline reference does not need."""

from __future__ import annotations

import re
from collections import Counter


def _code(text: str) -> str:
    text = " ".join(text.split()) or "unknown"
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _plain(text: str) -> str:
    text = " ".join(text.split())
    return "".join("\\" + ch if ch in "\\`*_[]<>&~|" else ch for ch in text)


def footer(model: str, fallbacks: list[tuple[str, str]], latency_ms: float | None = None,
           *, cached: bool = False) -> str:
    """The one line under an explanation: which model answered, how long it took, and the
    models tried first.

    `fallbacks` are (model, short reason) for the models tried first, in order, one per
    attempt; a model tried more than once (retries) is named once, with the count.
    """
    line = f"Explained by {_code(model)}"
    if cached:
        line += " (remembered" + (f", {_duration(latency_ms)})" if latency_ms is not None
                                  else ")")
    elif latency_ms is not None:
        line += f" in {_duration(latency_ms)}"
    if fallbacks:
        tried: dict[str, list[str]] = {}
        for name, reason in fallbacks:
            reasons = tried.setdefault(name, [])
            why = _plain(reason)
            if why and why not in reasons:
                reasons.append(why)
        counts = Counter(name for name, _ in fallbacks)
        named = []
        for name, reasons in tried.items():
            notes = ", ".join(reasons)
            if counts[name] > 1:
                notes += ("; " if notes else "") + f"{counts[name]} tries"
            named.append(f"{_code(name)} ({notes})" if notes else _code(name))
        line += " after " + ", ".join(named)
    return f"\n\n---\n*{line}.*"


def _duration(ms: float | None) -> str:
    if ms is None:
        return "?"
    return f"{ms:.0f} ms" if ms < 1000 else f"{ms / 1000:.1f} s"
