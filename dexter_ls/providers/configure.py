"""From `dexter.providers.*` settings, the environment and stored keys to provider objects.

Built-in providers: `ollama` (local, no key), `openai` and `anthropic` (keyed). Any other
name is a custom endpoint and needs a `type`. Keys resolve in one order: the
credentials file, then the env var named by `apiKeyEnv`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlparse

from dexter_ls.providers.http import Endpoint, Timeouts, is_loopback

if TYPE_CHECKING:
    from dexter_ls.core.provider import Provider
    from dexter_ls.settings import Settings

Kind = Literal["ollama", "openai", "anthropic"]
DEFAULT_URLS: dict[str, str] = {
    "ollama": "http://localhost:11434",
    "openai": "https://api.openai.com/v1",
    "anthropic": "https://api.anthropic.com",
}
_BUILT_IN_KINDS: dict[str, Kind] = {"ollama": "ollama", "openai": "openai",
                                    "anthropic": "anthropic"}
ENV_URLS: dict[str, str] = {"openai": "OPENAI_BASE_URL", "anthropic": "ANTHROPIC_BASE_URL"}
DEFAULT_KEY_ENV: dict[str, str] = {"openai": "OPENAI_API_KEY", "anthropic": "ANTHROPIC_API_KEY"}


@dataclass(frozen=True)
class ProviderSpec:
    name: str
    kind: Kind
    base_url: str
    api_key_env: str | None
    timeouts: Timeouts
    max_connections: int
    env_key_allowed: bool = True  # False: only `dexter keys set NAME` may supply the key
    remote: bool | None = None  # the user's word on where the endpoint really is

    @property
    def local(self) -> bool:
        return not self.remote if self.remote is not None else is_loopback(self.base_url)

    @property
    def needs_key(self) -> bool:
        """Anthropic always; OpenAI's own service; a custom endpoint's key is optional."""
        return self.kind == "anthropic" or (self.name == "openai"
                                            and not is_loopback(self.base_url))

    def key_hint(self) -> str:
        env = f" or set ${self.api_key_env}" if self.api_key_env else ""
        return f"needs key: run `dexter keys set {self.name}`{env}"


def _env_url(kind: str, environ: Mapping[str, str]) -> str | None:
    if kind == "ollama" and environ.get("OLLAMA_HOST"):
        host = environ["OLLAMA_HOST"]
        return host if "://" in host else f"http://{host}"
    variable = ENV_URLS.get(kind)
    if variable is None:
        return None
    return environ.get(variable) or None


def provider_specs(
    settings: Settings, environ: Mapping[str, str]
) -> tuple[list[ProviderSpec], list[str]]:
    """The providers to register, and problems to show the user (by setting key)."""
    specs: list[ProviderSpec] = []
    problems: list[str] = []
    names = [*DEFAULT_URLS, *(n for n in settings.providers if n not in DEFAULT_URLS)]
    for name in names:
        if name == "builtin":
            problems.append("dexter.providers.builtin: the offline provider takes no settings")
            continue
        config = settings.providers.get(name)
        kind: Kind | None = (config.type if config else None) or _BUILT_IN_KINDS.get(name)
        if kind is None:
            problems.append(f"dexter.providers.{name}.type is required for a custom endpoint: "
                            "'ollama', 'openai' or 'anthropic'")
            continue
        from_settings = config.base_url if config else None
        if from_settings and name in DEFAULT_KEY_ENV and not is_loopback(from_settings):
            # Editor settings may come from a cloned repository: they must not be able to
            # send the user's OpenAI/Anthropic key to another host.
            problems.append(f"dexter.providers.{name}.baseUrl is ignored: settings may move a "
                            f"keyed provider only to this machine; set ${ENV_URLS[name]} "
                            "or define a custom endpoint with its own key")
            from_settings = None
        base_url = from_settings or (
            _env_url(kind, environ) if name == kind else None) or DEFAULT_URLS.get(name)
        if not base_url:
            problems.append(f"dexter.providers.{name}.baseUrl is required for a custom endpoint")
            continue
        if urlparse(base_url).scheme not in ("http", "https"):
            problems.append(f"dexter.providers.{name}.baseUrl must be an http(s) URL")
            continue
        timeouts = Timeouts(config.connect_timeout_seconds, config.first_token_timeout_seconds,
                            config.timeout_seconds) if config else Timeouts()
        key_env = (config.api_key_env if config else None) or DEFAULT_KEY_ENV.get(kind)
        connections = (config.max_concurrency if config else None) or 8
        # A remote custom endpoint gets a key only from the credentials file under its own
        # name: a setting naming an env var could otherwise ship any secret to any host.
        env_ok = name in DEFAULT_URLS or is_loopback(base_url)
        specs.append(ProviderSpec(name, kind, base_url.rstrip("/"), key_env if env_ok else None,
                                  timeouts, connections, env_ok,
                                  config.remote if config else None))
    return specs, problems


def resolve_key(spec: ProviderSpec, stored: Mapping[str, str],
                environ: Mapping[str, str]) -> tuple[str | None, str]:
    """(key, where it came from): credentials file, then the env var."""
    if stored.get(spec.name):
        return stored[spec.name], "credentials file"
    if spec.api_key_env and environ.get(spec.api_key_env):
        return environ[spec.api_key_env], f"${spec.api_key_env}"
    return None, "not set"


def build_provider(spec: ProviderSpec, key: str | None) -> Provider:
    if spec.needs_key and not key:
        from dexter_ls.providers.missing_key import MissingKeyProvider

        catalog = None
        if spec.kind == "anthropic":
            from dexter_ls.providers.anthropic import catalog_models

            catalog = catalog_models(spec.name)
        return MissingKeyProvider(spec.name, spec.key_hint(), catalog)
    endpoint = Endpoint(spec.base_url, spec.timeouts, spec.max_connections, key)
    if spec.kind == "openai":
        from dexter_ls.providers.openai import OpenAIProvider

        return OpenAIProvider(spec.name, endpoint, local=spec.local)
    if spec.kind == "ollama":
        from dexter_ls.providers.ollama import OllamaProvider

        return OllamaProvider(spec.name, endpoint, local=spec.local)
    from dexter_ls.providers.anthropic import AnthropicProvider

    return AnthropicProvider(spec.name, endpoint)
