"""Building the prompts of a request ahead of the chain, in a worker thread when the context
is large: prompt building and redaction are CPU work proportional to the context, and on
the event loop a 1 MB diagnostic would hold up every other request while they run. A small
context (the usual diagnostic) is built in place: handing it to a thread and back costs
more than building it (~0.3 ms against ~0.1 ms)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from dexter_ls.core.subject import Subject
from dexter_ls.models.registry import ModelRegistry, UnknownModel
from dexter_ls.models.router import BUILTIN_MODEL

if TYPE_CHECKING:
    from dexter_ls.core.model_info import ModelInfo
    from dexter_ls.prompting.build import Prompt


def prepare_prompts(registry: ModelRegistry, candidates: list[str],
                    make: Callable[[ModelInfo], Prompt]) -> dict[str, tuple[ModelInfo, Prompt]]:
    """(the ModelInfo it was built for, the prompt) of every candidate the registry can
    resolve now, by model id (none for the offline reference: it reads no prompt)."""
    prompts: dict[str, tuple[ModelInfo, Prompt]] = {}
    for model_id in dict.fromkeys(m for m in candidates if m != BUILTIN_MODEL):
        try:
            info = registry.resolve(model_id).info
        except UnknownModel:
            continue
        prompts[model_id] = (info, make(info))
    return prompts


SMALL_CONTEXT_CHARS = 8_000  # of text to read (messages, source, traceback): built in place


def context_chars(subject: Subject) -> int:
    """How much text building `subject`'s prompt reads (messages, source lines, frames)."""
    diag = subject.diagnostic
    size = len(diag.message) + sum(len(r.message) for r in diag.related)
    if subject.snippet is not None:
        size += sum(len(line) for line in subject.snippet.lines)
    return size + sum(len(f.text or "") + len(f.path) for f in subject.frames)


MAX_MESSAGE_CHARS = 16_000  # of a diagnostic's message (and of each related message)


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit]}\n[… {len(text) - limit} more characters of the message cut]"


def capped(subject: Subject, limit: int = MAX_MESSAGE_CHARS) -> Subject:
    """`subject` with its messages cut to `limit` characters: a prompt, the reference's
    pattern matching and the cache key never have to read a megabyte of tool output."""
    diag = subject.diagnostic
    if len(diag.message) <= limit and all(len(r.message) <= limit for r in diag.related):
        return subject
    related = tuple(replace(r, message=_cut(r.message, limit)) for r in diag.related[:50])
    return replace(subject, diagnostic=replace(diag, message=_cut(diag.message, limit),
                                               related=related))
