"""One spelling per model: Ollama's untagged names mean `:latest`, wherever an id is read."""

from __future__ import annotations

import pytest

from dexter_ls.assemble import register_providers
from dexter_ls.core.subject import Diagnostic, Position, Range, Subject
from dexter_ls.explain.service import Explainer
from dexter_ls.models.registry import ModelRegistry
from dexter_ls.providers.http import Endpoint, Timeouts
from dexter_ls.providers.ollama import OllamaProvider
from dexter_ls.providers.openai import OpenAIProvider
from dexter_ls.settings import Settings

SUBJECT = Subject(Diagnostic("name 'foo' is not defined", Range(Position(0, 0), Position(0, 3)),
                             severity=1, code="NameError", source="python"), path="app.py")


def registry() -> ModelRegistry:
    found = ModelRegistry()
    register_providers(found)
    endpoint = Endpoint("http://127.0.0.1:9", Timeouts())
    found.register_provider(OllamaProvider("ollama", endpoint))
    found.register_provider(OllamaProvider("box", endpoint))  # a custom-named Ollama
    found.register_provider(OpenAIProvider("local", endpoint))
    return found


@pytest.mark.parametrize("given, canonical", [
    ("ollama/llama3.2", "ollama/llama3.2:latest"),
    ("ollama/llama3.2:latest", "ollama/llama3.2:latest"),
    ("ollama/qwen2.5-coder:7b", "ollama/qwen2.5-coder:7b"),
    ("box/llama3.2", "box/llama3.2:latest"),
    ("ollama/hf.co/bartowski/Llama-3.2-1B-GGUF", "ollama/hf.co/bartowski/Llama-3.2-1B-GGUF:latest"),
    ("ollama/hf.co/bartowski/Llama-3.2-1B-GGUF:Q4_K_M",
     "ollama/hf.co/bartowski/Llama-3.2-1B-GGUF:Q4_K_M"),
    ("local/llama3.2", "local/llama3.2"),  # OpenAI-compatible servers name models exactly
    ("builtin/reference", "builtin/reference"),
    ("acme/x", "acme/x"),  # no such provider: left for the error message to name
    ("nonsense", "nonsense"),
])
def test_canonical_ids(given: str, canonical: str) -> None:
    assert registry().canonical(given) == canonical


def test_settings_model_chain_and_category_models_are_read_canonically() -> None:
    settings = Settings.from_data({
        "model": "ollama/a", "fallbackChain": ["ollama/b", "ollama/a:latest", "box/c"],
        "categoryModels": {"name": "ollama/d"}})
    explainer = Explainer(registry(), lambda: settings)
    chosen = explainer.effective()
    assert chosen.model == "ollama/a:latest"
    assert chosen.fallback_chain == ("ollama/b:latest", "ollama/a:latest", "box/c:latest")
    assert explainer.candidates(subject=SUBJECT, category="name") == [
        "ollama/d:latest", "ollama/a:latest", "ollama/b:latest", "box/c:latest",
        "builtin/reference"]
    assert explainer.candidates("ollama/e", subject=SUBJECT, category="name")[0] == (
        "ollama/e:latest")
