"""builtin/reference: the catalog answer, the tool's own words, and honesty when nothing matches."""

from __future__ import annotations

from dexter_ls.core.provider import TextChunk, UsageChunk
from dexter_ls.core.subject import Diagnostic, Frame, Position, Range, Snippet, Subject
from dexter_ls.explain.prompt import build_request
from dexter_ls.providers.builtin import REFERENCE, BuiltinProvider, quick_reference


def subject(message: str, source: str | None, code: str | None, **extra: object) -> Subject:
    diag = Diagnostic(message, Range(Position(2, 4), Position(2, 9)), severity=1, code=code,
                      source=source)
    return Subject(diag, path="pkg/app.py", **extra)  # type: ignore[arg-type]


async def run(s: Subject) -> tuple[str, list[UsageChunk]]:
    chunks = [c async for c in BuiltinProvider().stream("reference", build_request(s, REFERENCE))]
    text = "".join(c.text for c in chunks if isinstance(c, TextChunk))
    return text, [c for c in chunks if isinstance(c, UsageChunk)]


async def test_catalog_entry_with_the_ruff_rule_text() -> None:
    text, usage = await run(subject("`os` imported but unused", "Ruff", "F401"))
    assert "pkg/app.py:3:5" in text
    assert "**How to fix it**" in text
    assert "docs.astral.sh/ruff" in text
    # ruff is a test dependency, so `ruff rule F401` runs and its words are quoted
    assert "The tool's own explanation" in text
    assert usage and usage[0].usage.source == "reported"


async def test_nothing_matches_is_said_honestly_with_the_context() -> None:
    s = subject(
        "widget exceeded the sprocket budget", "acme", "AC12",
        snippet=Snippet(0, ("a = 1", "b = 2", "widget(a, b)")),
        frames=(Frame("pkg/app.py", 3, "main", "widget(a, b)"),),
    )
    text, _ = await run(s)
    assert "No offline explanation" in text
    assert "will not guess" in text
    assert "widget exceeded the sprocket budget" in text and "**acme**" in text
    assert ">3 | widget(a, b)" in text  # the error line is marked
    assert "in `main`" in text
    assert "Usual causes" not in text  # no invented cause


def test_quick_reference_runs_no_tool() -> None:
    text = quick_reference(subject("`os` imported but unused", "Ruff", "F401"))
    assert "How to fix it" in text
    assert "The tool's own explanation" not in text


async def test_message_pattern_match_without_code() -> None:
    text, _ = await run(subject("name 'pritn' is not defined", "python", None))
    assert "NameError" in text


async def test_a_code_missing_from_the_catalog_is_explained_by_its_tool() -> None:
    # PLR0913 is a real ruff rule that the catalog does not carry
    text, _ = await run(subject("Too many arguments in function definition (8 > 5)", "Ruff",
                                "PLR0913"))
    assert "the tool's own explanation" in text
    assert "too-many-arguments" in text  # ruff's own name for the rule
