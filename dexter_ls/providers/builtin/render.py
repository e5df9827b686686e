"""Markdown for the offline reference explanation. Pure functions: no I/O."""

from __future__ import annotations

from dexter_ls.core.subject import Subject
from dexter_ls.providers.builtin.catalog import CatalogMatch

MAX_TOOL_LINES = 40


def render_reference(subject: Subject, match: CatalogMatch | None, tool_text: str | None) -> str:
    if match is None:
        return render_tool_only(subject, tool_text) if tool_text else render_unknown(subject)
    entry = match.entry
    diag = subject.diagnostic
    parts = [
        f"### {entry.title}",
        _reported_line(subject),
        _quote(diag.message),
        f"**What it means.** {entry.meaning}",
        "**Usual causes**\n" + "\n".join(f"- {c}" for c in entry.causes),
        "**How to fix it**\n" + "\n".join(f"- {f}" for f in entry.fixes),
    ]
    parts.extend(_context_parts(subject))
    if tool_text:
        parts.append(_tool_section(tool_text))
    parts.append(f"Reference: [{_link_label(entry.link)}]({entry.link})")
    return "\n\n".join(p for p in parts if p)


def render_tool_only(subject: Subject, tool_text: str) -> str:
    """No catalog entry, but the tool that reported the code explains it itself."""
    diag = subject.diagnostic
    parts = [
        f"### `{diag.code}`: the tool's own explanation",
        _reported_line(subject),
        _quote(diag.message),
        _cut(tool_text),
        *_context_parts(subject),
    ]
    return "\n\n".join(p for p in parts if p)


def render_unknown(subject: Subject) -> str:
    """Honest answer when the catalog has nothing: restate, never invent a cause."""
    diag = subject.diagnostic
    tool = diag.source or "an unnamed tool"
    code = f" `{diag.code}`" if diag.code else ""
    parts = [
        "### No offline explanation for this diagnostic",
        f"Dexter's offline reference has no entry for{code} from **{tool}**, and no known "
        "message pattern matches, so it will not guess at a cause. Here is what the tool said:",
        _reported_line(subject),
        _quote(diag.message),
    ]
    if diag.code_href:
        parts.append(f"The tool documents this code at <{diag.code_href}>.")
    parts.extend(_context_parts(subject))
    parts.append(
        "For a real explanation, configure a model (`dexter.model`, e.g. an Ollama or "
        "OpenAI-compatible one) and run *Dexter: explain* again."
    )
    return "\n\n".join(p for p in parts if p)


def _reported_line(subject: Subject) -> str:
    diag = subject.diagnostic
    who = f"**{diag.source}**" if diag.source else "the tool"
    code = f" `{diag.code}`" if diag.code else ""
    return f"{diag.severity_name.capitalize()}{code} reported by {who} at `{subject.location()}`:"


def _quote(message: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in message.strip().splitlines())


def _context_parts(subject: Subject) -> list[str]:
    parts: list[str] = []
    if subject.frames:
        shown = subject.frames[-6:]
        lines = [f"- `{f.path}`, line {f.line}" + (f", in `{f.function}`" if f.function else "")
                 for f in shown]
        skipped = len(subject.frames) - len(shown)
        head = "**Traceback** (most recent call last" + (f", {skipped} earlier frames" if skipped
                                                         else "") + ")"
        parts.append(head + "\n" + "\n".join(lines))
    if subject.snippet:
        mark = subject.diagnostic.range.start.line
        lang = subject.language or ""
        parts.append(f"**Where**\n```{lang}\n{subject.snippet.numbered(mark)}\n```")
    related = subject.diagnostic.related
    if related:
        lines = [f"- {r.message} (`{r.uri}` line {r.range.start.line + 1})" for r in related[:5]]
        parts.append("**Related**\n" + "\n".join(lines))
    return parts


def _tool_section(text: str) -> str:
    body = _cut(text)
    return f"<details><summary>The tool's own explanation</summary>\n\n{body}\n\n</details>"


def _cut(text: str) -> str:
    lines = text.strip().splitlines()
    if len(lines) > MAX_TOOL_LINES:
        lines = [*lines[:MAX_TOOL_LINES], "", "*(cut; run the tool for the rest)*"]
    return "\n".join(lines)


def _link_label(link: str) -> str:
    return link.removeprefix("https://").split("#")[0].rstrip("/")
