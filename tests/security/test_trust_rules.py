"""The trust rules (providers/trust.py): which key may go where, what counts as local."""

from __future__ import annotations

import pytest

from dexter_ls.providers.configure import build_provider, choose_key, provider_specs
from dexter_ls.providers.missing_key import MissingKeyProvider
from dexter_ls.providers.trust import (
    EndpointError,
    KeySource,
    Trust,
    env_name_problem,
    is_loopback_host,
    origin_of,
    parse_endpoint,
)
from dexter_ls.settings import Settings

OPENAI_KEY = "sk-user-openai-0123456789abcdef"
GITHUB = "ghp_0123456789abcdefghijABCDEFGHIJ0123"


def settings(raw: dict[str, object]) -> Settings:
    return Settings.from_data(raw)


def spec_of(raw: dict[str, object], name: str, trust: Trust) -> object:
    found, _ = provider_specs(settings(raw), trust.environ, trust)
    return {s.name: s for s in found}[name]


def test_an_endpoint_is_parsed_by_the_parser_that_connects() -> None:
    # urllib says the host of this one is 127.0.0.1; httpx (which connects) agrees, and the
    # decision is taken on httpx's reading, so the two can never differ.
    assert origin_of("http://a\\@127.0.0.1:8000/v1").host == "127.0.0.1"
    assert str(origin_of("HTTP://LocalHost:80/")) == "http://localhost"
    assert str(origin_of("https://[::1]:8443/x")) == "https://[::1]:8443"
    for bad in ("ftp://x", "file:///etc/passwd", "http://", "not a url", "javascript:1"):
        with pytest.raises(EndpointError):
            parse_endpoint(bad)


@pytest.mark.parametrize("host, loopback", [
    ("localhost", True), ("127.0.0.1", True), ("127.8.9.1", True), ("::1", True),
    ("localhost.", False), ("box.localhost", False), ("127.1", False), ("2130706433", False),
    ("decoy.test", False), ("10.0.0.1", False), ("0.0.0.0", False)])
def test_only_loopback_literals_are_loopback(host: str, loopback: bool) -> None:
    assert is_loopback_host(host) is loopback


def test_keys_go_to_their_own_endpoints_only() -> None:
    env = {"OPENAI_API_KEY": OPENAI_KEY, "OPENAI_BASE_URL": "http://127.0.0.1:7000/v1"}
    trust = Trust(environ=env)
    source = KeySource("env", "OPENAI_API_KEY")
    assert trust.may_send(source, "https://api.openai.com/v1", "openai").allowed
    assert trust.may_send(source, "http://127.0.0.1:7000/v1", "openai").allowed  # env moved it
    for elsewhere in ("http://127.0.0.1:7001/v1", "https://api.openai.com:444/v1",
                      "http://api.openai.com/v1", "https://evil.example/v1"):
        verdict = trust.may_send(source, elsewhere, "openai")
        assert not verdict.allowed and verdict.askable
    kind = trust.may_send(source, "https://api.openai.com/v1", "anthropic")
    assert not kind.allowed and not kind.askable  # a key never changes kind


def test_bound_urls_own_settings_and_answers() -> None:
    own = settings({"providers": {"lab": {"type": "openai", "baseUrl": "http://10.0.0.5:8000/v1",
                                          "apiKeyEnv": "LAB_KEY"}}})
    trust = Trust(environ={}, own=own, bindings={"groq": "https://api.groq.com"},
                  approvals={("env:GITHUB_TOKEN", "http://127.0.0.1:9999"): "always",
                             ("env:OTHER", "http://127.0.0.1:9999"): "never"})
    assert trust.may_send(KeySource("file", "groq"), "https://api.groq.com/openai/v1",
                          "openai").allowed
    assert not trust.may_send(KeySource("editor", "groq"), "https://x.example", "openai").allowed
    assert trust.may_send(KeySource("env", "LAB_KEY"), "http://10.0.0.5:8000/v1", "openai").allowed
    assert not trust.may_send(KeySource("env", "LAB_KEY"), "http://10.0.0.5:8000/v1",
                              "anthropic").allowed  # the user's file says it is an openai key
    assert trust.may_send(KeySource("env", "GITHUB_TOKEN"), "http://127.0.0.1:9999/v1",
                          "ollama").allowed
    never = trust.may_send(KeySource("env", "OTHER"), "http://127.0.0.1:9999/v1", "ollama")
    assert not never.allowed and not never.askable


@pytest.mark.parametrize("kind", ["openai", "anthropic", "ollama"])
def test_hostile_editor_settings_get_no_key(kind: str) -> None:
    env = {"OPENAI_API_KEY": OPENAI_KEY, "ANTHROPIC_API_KEY": "sk-ant-user-0123456789",
           "GITHUB_TOKEN": GITHUB}
    stored = {"openai": "stored-openai-key-1", "anthropic": "stored-anthropic-key-2",
              "ollama": "stored-ollama-key-3", "groq": "stored-groq-key-4"}
    editor = {name: f"editor-key-for-{name}" for name in ("openai", "anthropic", "ollama",
                                                          "groq", "anyvar", kind)}
    raw = {"providers": {
        kind: {"baseUrl": "http://127.0.0.1:7777"},
        "anyvar": {"type": kind, "baseUrl": "http://127.0.0.1:7777", "apiKeyEnv": "GITHUB_TOKEN"},
        "groq": {"type": kind, "baseUrl": "http://decoy.test:7777"},
        **({} if kind == "ollama" else {"ollama": {"type": kind,
                                                   "baseUrl": "http://127.0.0.1:7777"}}),
    }}
    trust = Trust(environ=env)
    found, _ = provider_specs(settings(raw), env, trust)
    for spec in found:
        choice = choose_key(spec, trust, stored, env, editor)
        if spec.base_url.startswith("http://localhost:11434") or \
                spec.base_url.startswith("https://api."):
            continue  # untouched built-ins on their default endpoints
        assert choice.key is None, spec.name
        provider = build_provider(spec, choice)
        assert isinstance(provider, MissingKeyProvider), spec.name  # no network at all
        assert "needs approval" in provider.hint
        assert not any(secret in provider.hint for secret in [*env.values(), *stored.values(),
                                                              *editor.values()])


def test_a_key_pasted_where_a_variable_name_belongs_is_refused_unechoed() -> None:
    for value in (OPENAI_KEY, GITHUB, "AbCdEfGh1234567890XyZw"):
        problem = env_name_problem("dexter.providers.x.apiKeyEnv", value)
        assert problem is not None and "looks like a key" in problem and value not in problem
    assert env_name_problem("x", "OPENAI_API_KEY") is None
    assert env_name_problem("x", "MY_TOKEN_2") is None
    found, problems = provider_specs(settings({"providers": {"x": {
        "type": "openai", "baseUrl": "http://127.0.0.1:1/v1", "apiKeyEnv": OPENAI_KEY}}}), {})
    assert {s.name: s for s in found}["x"].api_key_env is None
    assert all(OPENAI_KEY not in p for p in problems) and problems


def test_remote_false_is_believed_only_from_the_users_own_settings() -> None:
    hostile = {"providers": {"lan": {"type": "openai", "baseUrl": "http://decoy.test:8000/v1",
                                     "remote": False}}}
    found, problems = provider_specs(settings(hostile), {}, Trust())
    assert not {s.name: s for s in found}["lan"].local
    assert any("remote: false is ignored" in p for p in problems)
    own = settings(hostile)
    found, problems = provider_specs(settings(hostile), {}, Trust(own=own))
    assert {s.name: s for s in found}["lan"].local and problems == []
    approved = Trust(approvals={("local", "http://decoy.test:8000"): "always"})
    found, _ = provider_specs(settings(hostile), {}, approved)
    assert {s.name: s for s in found}["lan"].local
    loop = {"providers": {"box": {"type": "openai", "baseUrl": "http://127.0.0.1:1/v1"}}}
    assert {s.name: s for s in provider_specs(settings(loop), {}, Trust())[0]}["box"].local


def test_prompt_folder_and_allow_globs_come_only_from_the_users_own_settings() -> None:
    hostile = settings({"prompts": {"directory": "/work/repo/.prompts"},
                        "privacy": {"allowGlobs": [".env"]}})
    settled, problems = Trust().settle(hostile)
    assert settled.prompts.directory is None and settled.privacy.allow_globs == []
    assert len(problems) == 2
    own = settings({"prompts": {"directory": "~/my-prompts"}, "privacy": {"allowGlobs": ["x"]}})
    settled, problems = Trust(own=own).settle(own)
    assert settled.prompts.directory == "~/my-prompts" and problems == []


def test_a_workspace_variable_does_not_hide_the_users_own_key() -> None:
    env = {"OPENAI_API_KEY": OPENAI_KEY, "GITHUB_TOKEN": GITHUB}
    trust = Trust(environ=env)
    spec = spec_of({"providers": {"openai": {"apiKeyEnv": "GITHUB_TOKEN"}}}, "openai", trust)
    choice = choose_key(spec, trust, {}, env)  # type: ignore[arg-type]
    assert choice.key == OPENAI_KEY and choice.where() == "$OPENAI_API_KEY"
    assert trust.pending == {}  # nothing to ask: the user's own key goes to its own endpoint
