"""Answers survive a restart through the SQLite cache; telemetry records every attempt;
comparison asks several models at once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

from dexter_ls.assemble import register_providers
from dexter_ls.core.model_info import ModelInfo
from dexter_ls.core.provider import ChatRequest, Chunk, ErrorClass, ProviderError, Usage
from dexter_ls.core.subject import Diagnostic, Position, Range, Snippet, Subject
from dexter_ls.explain.compare import compare
from dexter_ls.explain.service import Explainer
from dexter_ls.models.registry import ModelRegistry
from dexter_ls.settings import Settings
from dexter_ls.store.explanation_cache import ExplanationCache
from dexter_ls.store.telemetry import Telemetry
from tests.fakes.scripted import Script, ScriptedProvider

SUBJECT = Subject(
    Diagnostic("name 'foo' is not defined", Range(Position(2, 4), Position(2, 7)),
               severity=1, code="F821", source="ruff"),
    uri="file:///p/app.py", path="app.py", language="python",
    snippet=Snippet(1, ("def main():", "    foo()", "")),
)


class Versioned(ScriptedProvider):
    """Scripted answers, and a version per model as Ollama's digest would give."""

    def __init__(self) -> None:
        super().__init__()
        self.version = "digest-1"

    async def discover(self) -> list[ModelInfo]:
        return [ModelInfo(f"fake/{m}", "fake", m, m, version=self.version) for m in self.queue]


def make(tmp: Path, settings: Settings, fake: ScriptedProvider | None = None
         ) -> tuple[Explainer, ScriptedProvider]:
    registry = ModelRegistry()
    register_providers(registry)
    fake = fake or Versioned()
    registry.register_provider(fake)
    explainer = Explainer(registry, lambda: settings,
                          cache=ExplanationCache(tmp / "cache.sqlite3"),
                          telemetry=Telemetry(tmp / "telemetry.sqlite3"))
    return explainer, fake


async def test_an_answer_is_served_from_disk_after_a_restart(tmp_path: Path) -> None:
    settings = Settings(model="fake/good")
    first, fake = make(tmp_path, settings)
    fake.enqueue("good", Script(["Define foo first."], usage=Usage(30, 4, "reported")))
    answer = await first.explain(SUBJECT)
    await first.flush()
    assert not answer.cached and len(fake.requests) == 1

    second, fake2 = make(tmp_path, settings)  # a new process: empty memory, same files
    again = await second.explain(SUBJECT)
    assert again.cached and again.body == answer.body == "Define foo first."
    assert "(remembered" in again.markdown and again.markdown.count("Explained by") == 1
    assert again.model == "fake/good" and again.usage == Usage(30, 4, "reported")
    assert fake2.requests == []  # nothing was asked


async def test_a_new_model_version_or_other_code_is_a_miss(tmp_path: Path) -> None:
    settings = Settings(model="fake/good")
    first, fake = make(tmp_path, settings)
    fake.enqueue("good", Script(["old answer"]))
    await first.registry.refresh()
    await first.explain(SUBJECT)
    await first.flush()

    fake2 = Versioned()
    fake2.version = "digest-2"  # the model was pulled again
    second, _ = make(tmp_path, settings, fake2)
    fake2.enqueue("good", Script(["new answer"]))
    fake2.enqueue("good", Script(["for other code"]))
    await second.registry.refresh()
    fresh = await second.explain(SUBJECT)
    assert not fresh.cached and fresh.markdown.startswith("new answer")
    assert fresh.model_version == "digest-2"
    edited = replace(SUBJECT, snippet=Snippet(1, ("def main():", "    foo(1)", "")))
    other = await second.explain(edited)
    assert not other.cached and other.markdown.startswith("for other code")


async def test_the_cache_can_be_turned_off_and_the_reference_is_not_stored(
        tmp_path: Path) -> None:
    off = Settings.from_data({"model": "fake/good", "cache": {"enabled": False}})
    explainer, fake = make(tmp_path, off)
    fake.enqueue("good", Script(["answer"]))
    await explainer.explain(SUBJECT)
    builtin_only, _ = make(tmp_path, Settings())
    await builtin_only.explain(SUBJECT)
    await explainer.flush()
    await builtin_only.flush()
    assert ExplanationCache(tmp_path / "cache.sqlite3").stats()["entries"] == 0


async def test_every_attempt_is_recorded_with_its_fallback(tmp_path: Path) -> None:
    explainer, fake = make(tmp_path, Settings(model="fake/down", fallback_chain=["fake/good"]))
    fake.enqueue("down", Script([], ProviderError(ErrorClass.SERVER, "HTTP 503")))
    fake.enqueue("good", Script(["fine"], usage=Usage(12, 3, "reported")))
    await explainer.explain(SUBJECT)
    await explainer.flush()
    rows = Telemetry(tmp_path / "telemetry.sqlite3").rows()
    assert [(r.model, r.outcome) for r in rows] == [("fake/down", "failed"),
                                                   ("fake/good", "success")]
    down, good = rows
    assert down.error_class == "server" and "503" in (down.fallback_reason or "")
    assert down.answered_by == good.answered_by == "fake/good"
    assert good.fallback_reason is None and good.category == "name"
    assert (good.input_tokens, good.output_tokens, good.usage_source) == (12, 3, "reported")
    assert good.template and "@" in good.template
    assert len({r.request_id for r in rows}) == 1


async def test_telemetry_can_be_turned_off(tmp_path: Path) -> None:
    off = Settings.from_data({"model": "fake/good", "telemetry": {"enabled": False}})
    explainer, fake = make(tmp_path, off)
    fake.enqueue("good", Script(["fine"]))
    await explainer.explain(SUBJECT)
    await explainer.flush()
    assert Telemetry(tmp_path / "telemetry.sqlite3").count() == 0


class Together(Versioned):
    """Each answer waits until `expected` streams are open at once: asked one after the
    other, the first waits for a second that never comes and fails."""

    def __init__(self, expected: int) -> None:
        super().__init__()
        self.expected, self.open, self.most = expected, 0, 0
        self.all_open = asyncio.Event()

    async def stream(self, model: str, request: ChatRequest) -> AsyncIterator[Chunk]:
        self.open += 1
        self.most = max(self.most, self.open)
        if self.open >= self.expected:
            self.all_open.set()
        try:
            try:  # every model (the broken one too) answers only once all are asked
                await asyncio.wait_for(self.all_open.wait(), 10)
            except asyncio.TimeoutError:
                raise ProviderError(ErrorClass.TIMEOUT, "asked alone") from None
            async for chunk in super().stream(model, request):
                yield chunk
        finally:
            self.open -= 1


async def test_comparison_runs_models_concurrently_without_fallback(tmp_path: Path) -> None:
    fake = Together(expected=3)
    explainer, _ = make(tmp_path, Settings(), fake)
    fake.enqueue("slow-a", Script(["A says"], usage=Usage(20, 2, "reported")))
    fake.enqueue("slow-b", Script(["B says"]))
    fake.enqueue("broken", Script([], ProviderError(ErrorClass.AUTH, "HTTP 401: bad key")))
    results = await compare(explainer, SUBJECT,
                            ["fake/slow-a", "fake/slow-b", "fake/broken", "builtin/reference"])
    assert fake.most == 3  # the three models were asked at the same time
    assert [r["model"] for r in results] == ["fake/slow-a", "fake/slow-b", "fake/broken",
                                            "builtin/reference"]
    a, b, broken, reference = results
    assert str(a["markdown"]).startswith("A says") and a["error"] is None
    assert a["usage"] == {"inputTokens": 20, "outputTokens": 2, "source": "reported"}
    assert str(b["markdown"]).startswith("B says")
    assert broken["markdown"] is None and "401" in str(broken["error"])
    assert broken["errorClass"] == "auth"  # and no fallback to the reference
    assert reference["error"] is None and reference["markdown"]


async def test_a_subject_is_classified_once_per_explanation(tmp_path: Path,
                                                            monkeypatch) -> None:
    from dexter_ls.explain.category import classify as module

    real = module.classify
    seen: list[str] = []

    def counting(subject: Subject) -> str:
        seen.append(subject.diagnostic.message)
        return real(subject)

    monkeypatch.setattr(module, "classify", counting)
    # categoryModels (routing), the disk cache (its key) and the prompt all need the category.
    settings = Settings(model="fake/good", category_models={"name": "fake/good"})
    explainer, fake = make(tmp_path, settings)
    fake.enqueue("good", Script(["Define foo first."]))
    answer = await explainer.explain(SUBJECT)
    assert answer.category == "name" and fake.requests
    assert seen == ["name 'foo' is not defined"]
