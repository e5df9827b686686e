"""Providers from settings, the environment and stored keys; keys never follow a redirect."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from dexter_ls.core.model_info import ModelInfo
from dexter_ls.core.provider import ErrorClass, ProviderError
from dexter_ls.core.subject import Diagnostic, Position, Range, Subject
from dexter_ls.explain.prompt import build_request
from dexter_ls.providers.configure import build_provider, choose_key, provider_specs
from dexter_ls.providers.missing_key import MissingKeyProvider
from dexter_ls.providers.trust import Trust
from dexter_ls.settings import Settings
from dexter_ls.store.credentials import credentials_path, delete_key, load_keys, set_key


def specs(raw: dict[str, object], env: dict[str, str] | None = None) -> tuple[dict, list[str]]:
    found, problems = provider_specs(Settings.from_data(raw), env or {})
    return {s.name: s for s in found}, problems


def test_built_in_providers_and_their_defaults() -> None:
    found, problems = specs({})
    assert problems == []
    assert found["ollama"].base_url == "http://localhost:11434" and not found["ollama"].needs_key
    assert found["openai"].base_url == "https://api.openai.com/v1" and found["openai"].needs_key
    assert found["openai"].api_key_env == "OPENAI_API_KEY"
    assert found["anthropic"].api_key_env == "ANTHROPIC_API_KEY"


def test_environment_moves_endpoints() -> None:
    found, _ = specs({}, {"OLLAMA_HOST": "10.1.2.3:11434",
                          "OPENAI_BASE_URL": "https://proxy.example/v1"})
    assert found["ollama"].base_url == "http://10.1.2.3:11434"
    assert found["openai"].base_url == "https://proxy.example/v1"


def test_custom_endpoint_needs_a_type_and_a_url() -> None:
    found, problems = specs({"providers": {"vllm": {"baseUrl": "http://127.0.0.1:8000/v1"},
                                           "lm": {"type": "openai"},
                                           "ok": {"type": "openai",
                                                  "baseUrl": "http://127.0.0.1:1234/v1"}}})
    assert "ok" in found and "vllm" not in found and "lm" not in found
    assert any("dexter.providers.vllm.type is required" in p for p in problems)
    assert any("dexter.providers.lm.baseUrl is required" in p for p in problems)
    assert not found["ok"].needs_key  # an OpenAI-compatible server on this machine


def test_settings_may_move_a_keyed_provider_but_its_key_stays_home() -> None:
    found, problems = specs({"providers": {"openai": {"baseUrl": "https://evil.example/v1"}}})
    assert found["openai"].base_url == "https://evil.example/v1" and problems == []
    env = {"OPENAI_API_KEY": "sk-user-key-0123456789"}
    choice = choose_key(found["openai"], Trust(environ=env), {}, env)
    assert choice.key is None and choice.problem is not None
    assert "needs approval" in choice.problem
    assert "dexter keys allow env:OPENAI_API_KEY https://evil.example" in choice.problem
    assert build_provider(found["openai"], choice).hint == choice.problem  # type: ignore[attr-defined]


def test_a_custom_endpoint_takes_no_key_from_an_env_var_named_in_settings() -> None:
    found, _ = specs({"providers": {"proxy": {"type": "openai", "baseUrl": "https://x.example/v1",
                                              "apiKeyEnv": "AWS_SECRET_ACCESS_KEY"}}})
    env = {"AWS_SECRET_ACCESS_KEY": "aws-secret-value"}
    choice = choose_key(found["proxy"], Trust(environ=env), {}, env)
    assert choice.key is None and "needs approval" in (choice.problem or "")
    bound = Trust(environ=env, bindings={"proxy": "https://x.example"})
    assert choose_key(found["proxy"], bound, {"proxy": "sk-proxy-key"}, env).key == "sk-proxy-key"
    assert "dexter keys set proxy" in found["proxy"].key_hint()


def test_credentials_file_comes_before_the_environment() -> None:
    found, _ = specs({})
    env = {"OPENAI_API_KEY": "from-env-key"}
    trust = Trust(environ=env)
    first = choose_key(found["openai"], trust, {"openai": "from-file-key"}, env)
    assert (first.key, first.where()) == ("from-file-key", "credentials file")
    second = choose_key(found["openai"], trust, {}, env)
    assert (second.key, second.where()) == ("from-env-key", "$OPENAI_API_KEY")


async def test_a_provider_without_its_key_answers_needs_key_without_a_request() -> None:
    found, _ = specs({})
    provider = build_provider(found["anthropic"], None)
    assert isinstance(provider, MissingKeyProvider)
    subject = Subject(Diagnostic("x", Range(Position(0, 0), Position(0, 1))))
    request = build_request(subject, ModelInfo("anthropic/c", "anthropic", "c", "c"))
    with pytest.raises(ProviderError) as caught:
        async for _ in provider.stream("claude-3-5-haiku-latest", request):
            pass
    assert caught.value.error_class is ErrorClass.AUTH
    assert "dexter keys set anthropic" in caught.value.message
    assert "$ANTHROPIC_API_KEY" in caught.value.message


def test_credentials_file_is_private_and_atomic(dexter_home: Path) -> None:
    path = set_key("openai", "sk-one")
    set_key("anthropic", "sk-two")
    assert path == credentials_path() and path.is_relative_to(dexter_home)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert load_keys() == {"openai": "sk-one", "anthropic": "sk-two"}
    assert [p.name for p in path.parent.iterdir()] == ["credentials.json"]  # no temp files left
    assert delete_key("openai") and not delete_key("openai")
    assert load_keys() == {"anthropic": "sk-two"}


def test_corrupt_credentials_file_is_set_aside(dexter_home: Path) -> None:
    path = credentials_path()
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    path.chmod(0o600)
    assert load_keys() == {}
    assert not path.exists()
    assert [p.name.startswith("credentials.corrupt-") for p in path.parent.iterdir()] == [True]


def test_reconfiguring_keeps_unchanged_providers_and_replaces_changed_ones() -> None:
    from dexter_ls.assemble import configure_providers
    from dexter_ls.models.registry import ModelRegistry

    registry = ModelRegistry()
    settings = Settings.from_data(
        {"providers": {"lab": {"type": "openai", "baseUrl": "http://127.0.0.1:8000/v1"}}})
    _, replaced = configure_providers(registry, settings, environ={}, stored={})
    first = {p.name: p for p in registry.providers()}
    _, replaced = configure_providers(registry, settings, environ={}, stored={})
    assert replaced == []  # a request in flight on these keeps its connection
    assert {p.name: p for p in registry.providers()} == first
    moved = Settings.from_data(
        {"providers": {"lab": {"type": "openai", "baseUrl": "http://127.0.0.1:9000/v1"}}})
    _, replaced = configure_providers(registry, moved, environ={}, stored={})
    assert [p.name for p in replaced] == ["lab"]
    _, replaced = configure_providers(registry, moved, environ={}, stored={"openai": "sk-new"})
    assert [p.name for p in replaced] == ["openai"]  # a new key rebuilds its provider
