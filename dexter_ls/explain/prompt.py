"""The base prompt. Model- and category-specific templates (prompts/) build on this later."""

from __future__ import annotations

from dexter_ls.explain.subject import Subject
from dexter_ls.models.info import ModelInfo
from dexter_ls.providers.base import ChatMessage, ChatRequest

SYSTEM = (
    "You explain compiler errors, linter findings, type errors and tracebacks to a developer "
    "inside their editor. Say what the diagnostic means, the most likely cause in this code, "
    "and how to fix it, with a short corrected snippet when it helps. Be concise; use Markdown."
)


def build_request(subject: Subject, model: ModelInfo) -> ChatRequest:
    return ChatRequest(
        messages=(ChatMessage("system", SYSTEM), ChatMessage("user", describe(subject))),
        subject=subject,
    )


def describe(subject: Subject) -> str:
    diag = subject.diagnostic
    lines = [
        f"{diag.severity_name.capitalize()} from {diag.source or 'an unnamed tool'}"
        + (f" (code {diag.code})" if diag.code else "")
        + f" at {subject.location()}:",
        diag.message,
    ]
    if subject.language:
        lines.append(f"Language: {subject.language}")
    if diag.code_href:
        lines.append(f"Documentation: {diag.code_href}")
    for related in diag.related[:5]:
        lines.append(f"Related ({related.uri} line {related.range.start.line + 1}): "
                     f"{related.message}")
    for frame in subject.frames[-8:]:
        lines.append(f"  File {frame.path}, line {frame.line}, in {frame.function or '?'}")
    if subject.snippet:
        lines += ["Code:", subject.snippet.numbered(diag.range.start.line)]
    return "\n".join(lines)
