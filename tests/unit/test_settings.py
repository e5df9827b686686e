"""Settings parsing from raw camelCase dicts: valid values, invalid ones, unknown keys."""

from __future__ import annotations

from typing import Any

import pytest

from dexter_ls.settings import Settings, merge, parse_settings


@pytest.mark.parametrize(
    "raw, check",
    [
        (None, lambda s: s == Settings()),
        ({}, lambda s: s.model is None and s.fallback_chain == [] and s.routing == "ordered"),
        ({"model": "ollama/qwen2.5-coder:7b"}, lambda s: s.model == "ollama/qwen2.5-coder:7b"),
        ({"fallbackChain": ["openai/gpt-4o-mini", "anthropic/claude-3-5-haiku-latest"]},
         lambda s: s.fallback_chain == ["openai/gpt-4o-mini", "anthropic/claude-3-5-haiku-latest"]),
        ({"providers": {"myvllm": {"type": "openai", "baseUrl": "http://127.0.0.1:8000",
                                   "requestsPerMinute": 30, "maxConcurrency": 2}}},
         lambda s: s.providers["myvllm"].base_url == "http://127.0.0.1:8000"
         and s.providers["myvllm"].requests_per_minute == 30),
        ({"explain": {"timeoutSeconds": 12.5, "contextLines": 9, "prefetch": "errors"}},
         lambda s: s.explain.timeout_seconds == 12.5 and s.explain.context_lines == 9
         and s.explain.prefetch == "errors"),
        ({"privacy": {"remote": "deny", "excludeGlobs": ["**/.env"]}},
         lambda s: s.privacy.remote == "deny" and s.privacy.exclude_globs == ["**/.env"]),
        ({"categoryModels": {"type": "openai/gpt-4o"}},
         lambda s: s.category_models == {"type": "openai/gpt-4o"}),
        ({"routing": "fastest"}, lambda s: s.routing == "fastest"),
    ],
)
def test_valid_settings(raw: Any, check: Any) -> None:
    settings, problems = parse_settings(raw)
    assert problems == []
    assert check(settings)


D = Settings()


@pytest.mark.parametrize(
    "raw, key, words, fell_back",
    [
        ({"model": "gpt4"}, "dexter.model", "provider/model", lambda s: s.model is None),
        ({"model": 7}, "dexter.model", "string", lambda s: s.model is None),
        ({"fallbackChain": "openai/gpt-4o"}, "dexter.fallbackChain", "list",
         lambda s: s.fallback_chain == []),
        ({"fallbackChain": ["openai/gpt-4o", "bad"]}, "dexter.fallbackChain", "provider/model",
         lambda s: s.fallback_chain == []),
        ({"routing": "random"}, "dexter.routing", "'ordered', 'fastest' or 'balanced'",
         lambda s: s.routing == "ordered"),
        ({"explain": {"timeoutSeconds": 0}}, "dexter.explain.timeoutSeconds", "greater than 0",
         lambda s: s.explain.timeout_seconds == D.explain.timeout_seconds),
        ({"explain": {"contextLines": "many"}}, "dexter.explain.contextLines", "integer",
         lambda s: s.explain.context_lines == D.explain.context_lines),
        ({"privacy": {"remote": "maybe"}}, "dexter.privacy.remote", "'allow' or 'deny'",
         lambda s: s.privacy.remote == "allow"),
        ({"providers": {"x": {"maxConcurrency": 0}}}, "dexter.providers.x.maxConcurrency",
         "greater than or equal to 1", lambda s: s.providers["x"].max_concurrency is None),
        ({"providers": {"x": {"type": "cohere", "baseUrl": "http://127.0.0.1:1"}}},
         "dexter.providers.x.type", "'ollama'",
         lambda s: s.providers["x"].type is None
         and s.providers["x"].base_url == "http://127.0.0.1:1"),
    ],
)
def test_invalid_value_names_key_and_expectation_and_falls_back(
    raw: dict[str, Any], key: str, words: str, fell_back: Any
) -> None:
    keep = {"categoryModels": {"type": "openai/gpt-4o"}}  # a valid key that must survive
    settings, problems = parse_settings({**keep, **raw})
    invalid = [p for p in problems if p.kind == "invalid"]
    assert [p.key for p in invalid] == [key]
    assert words in invalid[0].message
    assert key in str(invalid[0]) and "default" in str(invalid[0])
    assert fell_back(settings)
    assert settings.category_models == {"type": "openai/gpt-4o"}


def test_unknown_keys_are_reported_but_not_fatal() -> None:
    settings, problems = parse_settings(
        {"model": "ollama/llama3", "colour": "blue", "explain": {"verbose": True}})
    assert settings.model == "ollama/llama3"
    assert sorted((p.key, p.kind) for p in problems) == [
        ("dexter.colour", "unknown"), ("dexter.explain.verbose", "unknown")]


def test_non_object_section_is_invalid() -> None:
    settings, problems = parse_settings(["model"])
    assert settings == Settings()
    assert problems[0].key == "dexter" and "object" in problems[0].message


def test_merge_is_deep_and_later_sources_win() -> None:
    merged = merge({"model": "a/b", "explain": {"contextLines": 3, "timeoutSeconds": 9}},
                   {"explain": {"contextLines": 7}}, None)
    assert merged == {"model": "a/b", "explain": {"contextLines": 7, "timeoutSeconds": 9}}
