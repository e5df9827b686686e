"""The first chain: ordering, fallthrough, streaming commitment, unknown models."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dexter_ls.assemble import register_providers
from dexter_ls.core.model_info import ModelInfo
from dexter_ls.core.provider import ChatRequest, ErrorClass, ProviderError, Usage
from dexter_ls.core.subject import Diagnostic, Position, Range, Subject
from dexter_ls.explain.prompt import build_request
from dexter_ls.explain.service import Explainer
from dexter_ls.models.chain import Chain
from dexter_ls.models.registry import ModelRegistry
from dexter_ls.models.router import BUILTIN_MODEL, candidate_order
from dexter_ls.settings import Settings
from dexter_ls.store.explanation_cache import ExplanationCache
from tests.fakes.clock import FakeClock
from tests.fakes.scripted import Script, ScriptedProvider

SUBJECT = Subject(
    Diagnostic("name 'foo' is not defined", Range(Position(0, 0), Position(0, 3)),
               severity=1, code="NameError", source="python"),
    path="app.py",
)


def make(settings: Settings) -> tuple[Explainer, ScriptedProvider]:
    registry = ModelRegistry()
    register_providers(registry)
    fake = ScriptedProvider()
    registry.register_provider(fake)
    return Explainer(registry, lambda: settings), fake


@pytest.mark.parametrize(
    "override, model, chain, expected",
    [
        (None, None, [], ["builtin/reference"]),
        (None, "a/x", ["b/y"], ["a/x", "b/y", "builtin/reference"]),
        ("c/z", "a/x", ["b/y"], ["c/z", "a/x", "b/y", "builtin/reference"]),
        ("a/x", "a/x", ["a/x", "b/y"], ["a/x", "b/y", "builtin/reference"]),
        (None, "builtin/reference", ["a/x"], ["a/x", "builtin/reference"]),
    ],
)
def test_candidate_order(override, model, chain, expected) -> None:  # type: ignore[no-untyped-def]
    assert candidate_order(override, model, chain) == expected


async def test_first_success_wins_and_usage_is_reported() -> None:
    explainer, fake = make(Settings(model="fake/good"))
    fake.enqueue("good", Script(["It means ", "foo is missing."], usage=Usage(40, 7, "reported")))
    result = await explainer.explain(SUBJECT)
    assert result.model == "fake/good"
    assert result.markdown.startswith("It means foo is missing.")
    assert re.search(r"\n---\n\*Explained by `fake/good` in \d+ ms\.\*$", result.markdown)
    assert result.markdown.count("Explained by") == 1
    assert result.usage == Usage(40, 7, "reported")
    assert [a.outcome for a in result.attempts] == ["success"]
    assert result.attempts[0].first_token_ms is not None


async def test_failure_before_first_chunk_falls_through() -> None:
    explainer, fake = make(Settings(model="fake/down", fallback_chain=["fake/good"]))
    fake.enqueue("down", Script([], ProviderError(ErrorClass.SERVER, "HTTP 503")))
    fake.enqueue("good", Script(["fine"]))
    result = await explainer.explain(SUBJECT)
    assert result.model == "fake/good"
    assert [(a.model, a.outcome, a.error_class) for a in result.attempts] == [
        ("fake/down", "failed", "server"), ("fake/good", "success", None)]
    assert result.usage.source == "estimated"


async def test_failure_after_first_chunk_keeps_partial_text_and_does_not_replay() -> None:
    explainer, fake = make(Settings(model="fake/flaky", fallback_chain=["fake/good"]))
    fake.enqueue("flaky", Script(["The cause is"], ProviderError(ErrorClass.CONNECTION, "reset")))
    fake.enqueue("good", Script(["never used"]))
    result = await explainer.explain(SUBJECT)
    assert result.model == "fake/flaky"
    assert result.incomplete
    assert result.markdown.startswith("The cause is")
    assert "incomplete" in result.markdown
    assert [m for m, _ in fake.requests] == ["flaky"]


async def test_timeout_falls_back_to_builtin() -> None:
    settings = Settings.from_data({"model": "fake/slow", "explain": {"timeoutSeconds": 0.05}})
    explainer, fake = make(settings)
    fake.enqueue("slow", Script(["late"], delay=1.0))
    result = await explainer.explain(SUBJECT)
    assert result.model == "builtin/reference"
    assert result.attempts[0].error_class == "timeout"


async def test_unknown_models_are_skipped_with_a_reason() -> None:
    explainer, _ = make(Settings(model="ollama/llama3", fallback_chain=["builtin/other"]))
    result = await explainer.explain(SUBJECT)
    assert result.model == "builtin/reference"
    errors = [a.error or "" for a in result.attempts[:2]]
    assert "no provider named 'ollama'" in errors[0]
    assert "has no model 'other'" in errors[1]
    assert "NameError" in result.markdown or "not defined" in result.markdown


async def test_attempt_budget_skips_the_rest_but_builtin_still_answers() -> None:
    settings = Settings.from_data(
        {"model": "fake/a", "fallbackChain": ["fake/b"], "explain": {"maxAttempts": 1}})
    explainer, fake = make(settings)
    fake.enqueue("a", Script([], ProviderError(ErrorClass.RATE_LIMITED, "429")))
    result = await explainer.explain(SUBJECT)
    assert [(a.model, a.outcome) for a in result.attempts] == [
        ("fake/a", "failed"), ("fake/b", "skipped"), ("builtin/reference", "success")]


async def test_remembered_answer_is_served_when_the_preferred_model_answered() -> None:
    explainer, fake = make(Settings(model="fake/good"))
    fake.enqueue("good", Script(["answer"]))
    first = await explainer.explain(SUBJECT)
    second = await explainer.explain(SUBJECT)
    assert not first.cached and second.cached
    assert second.body == first.body == "answer"
    assert len(fake.requests) == 1


@pytest.mark.parametrize("finish, words", [("length", "output-token limit"),
                                           ("prompt-truncated", "cut the prompt")])
async def test_truncation_is_a_warning_on_the_attempt(finish: str, words: str) -> None:
    explainer, fake = make(Settings(model="fake/good"))
    fake.enqueue("good", Script(["partial"], usage=Usage(10, 5, "reported"), finish=finish))
    result = await explainer.explain(SUBJECT)
    assert result.model == "fake/good"
    assert words in (result.attempts[0].warning or "")
    assert words in str(result.attempts[0].to_json()["warning"])


@pytest.mark.parametrize("finish", ["length", "max_tokens"])
async def test_an_answer_cut_at_the_token_limit_says_so_and_is_not_cached(
        finish: str, tmp_path: Path) -> None:
    settings = Settings(model="fake/good")
    registry = ModelRegistry()
    register_providers(registry)
    fake = ScriptedProvider()
    registry.register_provider(fake)
    cache = ExplanationCache(tmp_path / "cache.sqlite3")
    explainer = Explainer(registry, lambda: settings, cache=cache)
    fake.enqueue("good", Script(["The name is used before"], finish=finish))
    fake.enqueue("good", Script(["The name foo is not defined."]))
    first = await explainer.explain(SUBJECT)
    await explainer.flush()
    assert first.incomplete and first.to_json()["incomplete"] is True
    body = first.markdown.split("\n---\n")[0].rstrip()
    assert body.endswith("*(incomplete: the answer reached the output-token limit and was cut)*")
    assert first.attempts[0].outcome == "incomplete"
    second = await explainer.explain(SUBJECT)  # neither memory nor disk serve the cut answer
    await explainer.flush()
    assert not second.incomplete and not second.cached
    assert second.markdown.startswith("The name foo is not defined.")
    assert len(fake.requests) == 2
    cache.close()


async def test_the_incomplete_note_follows_a_code_block_the_answer_left_open() -> None:
    """A model cut at its token limit inside a code block: the block is closed and the note
    comes after it, as prose (not as a line of the code)."""
    explainer, fake = make(Settings(model="fake/good"))
    fake.enqueue("good", Script(["Add the import:\n\n```python\n", "import os\n", "# -*-"],
                                finish="length"))
    result = await explainer.explain(SUBJECT)
    body = result.markdown.split("\n---\n")[0].rstrip()
    note = "*(incomplete: the answer reached the output-token limit and was cut)*"
    assert body.endswith("```\n\n" + note)
    assert body.count("```") == 2


async def test_a_server_s_reason_for_an_incomplete_answer_is_cleaned_too() -> None:
    explainer, fake = make(Settings(model="fake/good"))
    fake.enqueue("good", Script(["The cause is"], ProviderError(
        ErrorClass.SERVER, "see [the fix](command:workbench.action.terminal.new)")))
    result = await explainer.explain(SUBJECT)
    assert result.incomplete
    assert "command:" not in result.markdown
    assert "*(incomplete: see the fix)*" in result.markdown


async def test_each_candidates_request_is_built_once_per_run() -> None:
    """Looking ahead (is another model ready?) and then trying a model share one prompt."""
    registry = ModelRegistry()
    register_providers(registry)
    fake = ScriptedProvider()
    registry.register_provider(fake)
    fake.enqueue("a", Script([], ProviderError(ErrorClass.SERVER, "HTTP 503")))
    fake.enqueue("b", Script([], ProviderError(ErrorClass.SERVER, "HTTP 503")))
    fake.enqueue("c", Script(["answer"]))
    built: list[str] = []

    def build(info: ModelInfo) -> ChatRequest:
        built.append(info.id)
        return build_request(SUBJECT, info)

    result = await Chain(registry).run(["fake/a", "fake/b", "fake/c", BUILTIN_MODEL], build,
                                       deadline_seconds=30, max_attempts=6)
    assert result.model == "fake/c"
    assert sorted(built) == ["fake/a", "fake/b", "fake/c"]


def test_an_exhausted_chain_names_each_model_once() -> None:
    from dexter_ls.models.attempts import Attempt, ChainExhausted

    failed = [Attempt("ollama/x", "failed", 1.0, "ollama/x: cannot connect", "connection",
                      retries=n) for n in range(3)]
    message = str(ChainExhausted([*failed, Attempt("openai/y", "skipped", 0.0, "no key")]))
    assert message == ("no model could explain this diagnostic (ollama/x: cannot connect "
                       "(3 tries); openai/y: no key)")


async def test_retries_and_fallbacks_appear_once_in_the_one_footer() -> None:
    settings = Settings(model="fake/flaky")
    registry = ModelRegistry()
    register_providers(registry)
    fake = ScriptedProvider()
    registry.register_provider(fake)
    explainer = Explainer(registry, lambda: settings, clock=FakeClock())
    for _ in range(3):  # retried twice: no other model but the reference could answer
        fake.enqueue("flaky", Script([], ProviderError(ErrorClass.SERVER, "HTTP 503")))
    result = await explainer.explain(SUBJECT)
    assert [a.model for a in result.attempts] == ["fake/flaky"] * 3 + [BUILTIN_MODEL]
    body, _, foot = result.markdown.rpartition("\n---\n")
    assert result.markdown.count("Explained by") == 1 and foot.count("fake/flaky") == 1
    # The notice above the answer says once why the reference answered (issue 11).
    assert body.count("fake/flaky") == 1 and "answered from the offline reference" in body
    assert "(server; 3 tries)" in result.markdown
