"""From a Subject and the chosen model to the ChatRequest: template, context within the
model's token budget, redaction for remote endpoints, excluded files."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlparse

from dexter_ls.core.model_info import ModelInfo
from dexter_ls.core.provider import ChatMessage, ChatRequest
from dexter_ls.core.subject import Snippet, Subject
from dexter_ls.prompting.templates import TemplateSet, model_family, parameters_b
from dexter_ls.store.source_files import matches

DEFAULT_WINDOW = 8192
MAX_FRAMES = 12


@dataclass(frozen=True)
class PromptPolicy:
    category: str
    remote: bool  # the endpoint is not on this machine: redact, honour excludeGlobs
    exclude_globs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Prompt:
    request: ChatRequest
    signature: str  # template names and versions: part of the explanation's identity
    estimated_tokens: int
    redactions: int
    cut_lines: int  # source lines left out to fit the budget


def tokens(text: str) -> int:
    return (len(text) + 3) // 4


def build_prompt(subject: Subject, info: ModelInfo, templates: TemplateSet,
                 policy: PromptPolicy) -> Prompt:
    family = templates.family_template(model_family(info.family, info.name),
                                       parameters_b(info.parameter_size))
    focus = templates.category_template(policy.category)
    signature = family.signature + (f"+{focus.signature}" if focus else "")  # see Explainer
    excluded = policy.remote and _excluded(subject, policy.exclude_globs)
    parts = _Parts.of(subject, excluded)
    redactions = parts.redact() if policy.remote else 0
    system = family.sections["system"].replace("{focus}", focus.sections["focus"] if focus
                                                else "").strip()
    window = info.context_window or DEFAULT_WINDOW
    budget = window - family.header.output_tokens - tokens(system) - 64
    cut, user = parts.fit(family.sections["user"], budget)
    request = ChatRequest(
        messages=(ChatMessage("system", system), ChatMessage("user", user)),
        subject=subject,
        max_output_tokens=family.header.output_tokens,
        temperature=family.header.temperature,
    )
    estimate = tokens(system) + tokens(user) + family.header.output_tokens
    return Prompt(request, signature, estimate, redactions, cut)


def _excluded(subject: Subject, globs: tuple[str, ...]) -> bool:
    """gitignore semantics (`dexter.privacy.excludeGlobs`) on the workspace-relative path,
    and on a symlink's target too (a link to an excluded file is excluded)."""
    if not globs or not subject.path:
        return False
    return any(matches(globs, name) for name in _names(subject))


def _names(subject: Subject) -> list[str]:
    relative = PurePosixPath(subject.path or "")
    names = [relative.as_posix().lstrip("/")]
    parsed = urlparse(subject.uri or "")
    if parsed.scheme != "file":
        return names
    given = Path(unquote(parsed.path))
    try:
        target = given.resolve()
    except (OSError, RuntimeError):
        return names
    if target == given:
        return names
    root = given
    if not relative.is_absolute() and given.parts[-len(relative.parts):] == relative.parts:
        root = given.parents[len(relative.parts) - 1]
        try:
            real_root = root.resolve()
        except (OSError, RuntimeError):
            real_root = root
        if target.is_relative_to(real_root):
            return [*names, target.relative_to(real_root).as_posix()]
    return [*names, target.as_posix().lstrip("/"), target.name]


# A full-width line of a PEM body (64 base64 characters; 70 for OpenSSH / PGP), maybe quoted.
_KEY_BODY_LINE = re.compile(r"[ \t\"'+]*[A-Za-z0-9+/]{60,76}={0,2}(?:\\n)?[ \t\"',+]*")


def _mixed(text: str) -> bool:
    return (any(c.isupper() for c in text) and any(c.islower() for c in text)
            and any(c.isdigit() for c in text))


def _ends_unopened_block(lines: list[str]) -> bool:
    for text in lines:
        if "-----BEGIN" in text:
            return False
        if "-----END" in text and "PRIVATE KEY" in text:
            return True
    return False


@dataclass
class _Parts:
    """The pieces of context, cut from the far end first to fit the budget."""

    diagnostic: str
    related: list[str]
    frames: list[str]
    lines: list[tuple[int, str]]  # (0-based line, text) of the snippet
    error_line: int
    language: str
    note: str  # why code is missing, when it is
    key_block_open: bool = False  # the first line continues a private key begun above

    @classmethod
    def of(cls, subject: Subject, excluded: bool) -> _Parts:
        diag = subject.diagnostic
        head = (f"{diag.severity_name.capitalize()} from {diag.source or 'an unnamed tool'}"
                + (f" (code {diag.code})" if diag.code else "") + f" at {subject.location()}:")
        extra = [f"Language: {subject.language}"] if subject.language else []
        if subject.enclosing and not excluded:
            extra.append(f"Inside: {subject.enclosing}")
        if diag.code_href:
            extra.append(f"Documentation: {diag.code_href}")
        related = [f"Related ({r.uri} line {r.range.start.line + 1}): {r.message}"
                   for r in diag.related]
        frames = [f"  File \"{f.path}\", line {f.line}, in {f.function or '?'}"
                  + (f"\n    {f.text}" if f.text and not excluded else "")
                  for f in subject.frames[-MAX_FRAMES:]]
        lines: list[tuple[int, str]] = []
        if subject.snippet and not excluded:
            lines = [(subject.snippet.first_line + i, text)
                     for i, text in enumerate(subject.snippet.lines)]
        note = ("(The source is not sent: the file matches dexter.privacy.excludeGlobs.)"
                if excluded else "")
        return cls("\n".join([head, diag.message, *extra]), related, frames, lines,
                   diag.range.start.line, subject.language or "", note,
                   bool(subject.snippet and subject.snippet.key_block_open))

    def redact(self) -> int:
        from dexter_ls.prompting.redact.engine import redact

        count = 0

        def clean(text: str) -> str:
            nonlocal count
            result = redact(text)
            count += result.count
            return result.text

        self.diagnostic = clean(self.diagnostic)
        self.related = [clean(r) for r in self.related]
        self.frames = [clean(f) for f in self.frames]
        # A private key spans lines: the lines of a PEM block go whole (numbering kept), also
        # when its BEGIN line lies above the window (known from the file, or seen from an END
        # line with no BEGIN before it).
        inside = self.key_block_open or _ends_unopened_block([t for _, t in self.lines])
        if inside:
            count += 1
        lines = []
        for number, text in self.lines:
            if "-----BEGIN" in text and "PRIVATE KEY" in text:
                inside = True
                count += 1
            if inside:
                lines.append((number, "[REDACTED:private-key]"))
                inside = "-----END" not in text
            elif _KEY_BODY_LINE.fullmatch(text) and _mixed(text):
                lines.append((number, "[REDACTED:private-key]"))  # a key line, markers unseen
                count += 1
            else:
                lines.append((number, clean(text)))
        self.lines = lines
        return count

    def fit(self, user_template: str, budget: int) -> tuple[int, str]:
        """Drop context until the user message fits `budget` tokens; returns the lines cut
        and the message."""
        cut = 0
        while tokens(user := self.render(user_template)) > budget:
            far = max((abs(n - self.error_line), n) for n, _ in self.lines) if self.lines else None
            if far is not None and far[0] > 0:
                self.lines = [(n, t) for n, t in self.lines if n != far[1]]
                cut += 1
            elif self.related:
                self.related.pop()
            elif len(self.frames) > 1:
                self.frames.pop(0)  # oldest frames first; the failing frame stays
            else:
                break  # the message and the error line always stay
        return cut, user

    def render(self, user_template: str) -> str:
        diagnostic = "\n".join([self.diagnostic, *self.related])
        traceback = ("Traceback (most recent call last):\n" + "\n".join(self.frames)
                     if self.frames else "")
        code = self.note or "(No source lines are available.)"
        if self.lines:  # still one run of lines: `fit` cuts only at its ends
            kept = Snippet(self.lines[0][0], tuple(text for _, text in self.lines))
            code = (f"Code (the error line is marked with >):\n```{self.language}\n"
                    f"{kept.numbered(self.error_line)}\n```")
        text = (user_template.replace("{diagnostic}", diagnostic)
                .replace("{traceback}", traceback).replace("{code}", code)
                .replace("{focus}", ""))
        return re.sub(r"\n{3,}", "\n\n", text).strip()  # empty parts leave no gaps
