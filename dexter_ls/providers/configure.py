"""From `dexter.providers.*` settings, the environment and stored keys to provider objects.

Built-in providers: `ollama` (local, no key), `openai` and `anthropic` (keyed). Any other
name is a custom endpoint and needs a `type`. Keys are looked for in one order (the
credentials file, the env var named by `apiKeyEnv` or the built-in default, the editor's
secret store) and each is sent only where `providers.trust` allows it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dexter_ls.core.log_scrub import remember_secret
from dexter_ls.providers.endpoints import DEFAULT_KEY_ENV, DEFAULT_URLS, ENV_URLS, env_url
from dexter_ls.providers.http import Endpoint, Timeouts, is_loopback
from dexter_ls.providers.trust import (
    EndpointError,
    KeySource,
    Kind,
    Trust,
    env_name_problem,
    grant_hint,
    origin_of,
    parse_endpoint,
)

if TYPE_CHECKING:
    from dexter_ls.core.provider import Provider
    from dexter_ls.settings import ProviderSettings, Settings

__all__ = ["DEFAULT_KEY_ENV", "DEFAULT_URLS", "ENV_URLS", "KeyChoice", "ProviderSpec",
           "build_provider", "choose_key", "provider_specs"]
_BUILT_IN_KINDS: dict[str, Kind] = {"ollama": "ollama", "openai": "openai",
                                    "anthropic": "anthropic"}


@dataclass(frozen=True)
class ProviderSpec:
    name: str
    kind: Kind
    base_url: str  # canonical: as httpx parsed it
    api_key_env: str | None
    timeouts: Timeouts
    max_connections: int
    local: bool = False  # on this machine, as `providers.trust` decided

    @property
    def needs_key(self) -> bool:
        """Anthropic always; OpenAI's own service; a custom endpoint's key is optional."""
        return self.kind == "anthropic" or (self.name == "openai"
                                            and not is_loopback(self.base_url))

    def key_hint(self) -> str:
        env = f" or set ${self.api_key_env}" if self.api_key_env else ""
        return f"needs key: run `dexter keys set {self.name}`{env}"

    def key_sources(self) -> list[KeySource]:
        sources = [KeySource("file", self.name)]
        if self.api_key_env:
            sources.append(KeySource("env", self.api_key_env))
        default = DEFAULT_KEY_ENV.get(self.name) if self.name == self.kind else None
        if default and default != self.api_key_env:  # a setting cannot hide the user's own
            sources.append(KeySource("env", default))
        return [*sources, KeySource("editor", self.name)]


@dataclass(frozen=True)
class KeyChoice:
    key: str | None
    source: KeySource | None  # where the key came from (or the one that was refused)
    problem: str | None = None  # a key exists but may not go there: why, and how to allow it

    def where(self) -> str:
        if self.source is None:
            return "not set"
        return {"file": "credentials file", "env": f"${self.source.name}",
                "editor": "editor's secret store"}[self.source.kind]


def provider_specs(
    settings: Settings, environ: Mapping[str, str], trust: Trust | None = None
) -> tuple[list[ProviderSpec], list[str]]:
    """The providers to register, and problems to show the user (by setting key)."""
    trust = trust if trust is not None else Trust(environ=environ)
    specs: list[ProviderSpec] = []
    problems: list[str] = []
    names = [*DEFAULT_URLS, *(n for n in settings.providers if n not in DEFAULT_URLS)]
    for name in names:
        if name == "builtin":
            problems.append("dexter.providers.builtin: the offline provider takes no settings")
            continue
        spec = _spec(name, settings.providers.get(name), environ, trust, problems)
        if spec is not None:
            specs.append(spec)
    return specs, problems


def _spec(name: str, config: ProviderSettings | None, environ: Mapping[str, str],
          trust: Trust, problems: list[str]) -> ProviderSpec | None:
    kind: Kind | None = (config.type if config else None) or _BUILT_IN_KINDS.get(name)
    if kind is None:
        problems.append(f"dexter.providers.{name}.type is required for a custom endpoint: "
                        "'ollama', 'openai' or 'anthropic'")
        return None
    text = (config.base_url if config else None) or (
        env_url(kind, environ) if name == kind else None) or DEFAULT_URLS.get(name)
    if not text:
        problems.append(f"dexter.providers.{name}.baseUrl is required for a custom endpoint")
        return None
    try:
        base_url = str(parse_endpoint(text)).rstrip("/")
    except EndpointError as exc:
        problems.append(f"dexter.providers.{name}.baseUrl {exc}")
        return None
    timeouts = Timeouts(config.connect_timeout_seconds, config.first_token_timeout_seconds,
                        config.timeout_seconds) if config else Timeouts()
    key_env = config.api_key_env if config else None
    if key_env is not None:
        problem = env_name_problem(f"dexter.providers.{name}.apiKeyEnv", key_env)
        if problem is not None:
            remember_secret(key_env)  # pasted here by mistake: no log line may show it
            problems.append(problem)
            key_env = None
    if key_env is None and name == kind:  # a default variable only for its own provider
        key_env = DEFAULT_KEY_ENV.get(kind)
    local, problem = trust.local(name, base_url, config.remote if config else None)
    if problem is not None:
        problems.append(problem)
    connections = (config.max_concurrency if config else None) or 8
    return ProviderSpec(name, kind, base_url, key_env, timeouts, connections, local)


def choose_key(spec: ProviderSpec, trust: Trust, stored: Mapping[str, str],
               environ: Mapping[str, str], editor_keys: Mapping[str, str] | None = None
               ) -> KeyChoice:
    """The first key that may go to `spec`'s endpoint. A key that exists but may not go
    there makes a problem (and, when the user can still decide, a question to ask)."""
    refused: tuple[KeySource, bool, KeyChoice] | None = None
    for source in spec.key_sources():
        value = _value(source, stored, environ, editor_keys or {})
        if not value:
            continue
        verdict = trust.may_send(source, spec.base_url, spec.kind)
        if verdict.allowed:
            return KeyChoice(value, source)
        if refused is None:
            if verdict.askable:
                why = (f"needs approval: {source.label()} is not sent to "
                       f"{origin_of(spec.base_url)} unless you allow it; "
                       f"{grant_hint(source, spec.base_url)}")
            elif verdict.grantable:
                why = (f"needs approval: {source.label()}: {verdict.why}; "
                       f"{grant_hint(source, spec.base_url)}")
            else:
                why = f"needs approval: {verdict.why}"
            refused = (source, verdict.askable, KeyChoice(None, source, why))
    if refused is None:
        return KeyChoice(None, None)
    source, askable, choice = refused
    if askable:  # asked only when no key may go there: the user decides about this one
        trust.ask(source, spec.base_url)
    if origin_of(spec.base_url) in trust.own_endpoints(spec.name):
        return KeyChoice(None, None)  # the user's own endpoint: it gets code, just no key
    return choice


def _value(source: KeySource, stored: Mapping[str, str], environ: Mapping[str, str],
           editor_keys: Mapping[str, str]) -> str | None:
    if source.kind == "file":
        value = stored.get(source.name)
    elif source.kind == "env":
        value = environ.get(source.name)
    else:
        value = editor_keys.get(source.name)
    remember_secret(value)  # a key: no log line may show it
    return value or None


def build_provider(spec: ProviderSpec, choice: KeyChoice | str | None) -> Provider:
    if not isinstance(choice, KeyChoice):
        choice = KeyChoice(choice, None)
    key = choice.key
    if choice.problem is not None or (spec.needs_key and not key):
        from dexter_ls.providers.missing_key import MissingKeyProvider

        catalog = None
        if spec.kind == "anthropic":
            from dexter_ls.providers.anthropic import catalog_models

            catalog = catalog_models(spec.name)
        return MissingKeyProvider(spec.name, choice.problem or spec.key_hint(), catalog)
    endpoint = Endpoint(spec.base_url, spec.timeouts, spec.max_connections, key)
    if spec.kind == "openai":
        from dexter_ls.providers.openai import OpenAIProvider

        return OpenAIProvider(spec.name, endpoint, local=spec.local)
    if spec.kind == "ollama":
        from dexter_ls.providers.ollama import OllamaProvider

        return OllamaProvider(spec.name, endpoint, local=spec.local)
    from dexter_ls.providers.anthropic import AnthropicProvider

    return AnthropicProvider(spec.name, endpoint)
