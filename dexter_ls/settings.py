"""Every `dexter.*` setting: frozen dataclasses, camelCase keys, a default for each field.

`parse_settings` never fails: an invalid value is reported (key + what was
expected) and that key falls back to its default; unknown keys are reported
separately so the caller can log them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from dexter_ls.core.model_info import split_model_id
from dexter_ls.core.validate import Invalid, Problem, build, rule

BUILTIN_MODEL = "builtin/reference"


def _check_model_id(value: str) -> str:
    split_model_id(value)  # raises ValueError with the reason
    return value


def _check_model_ids(values: Any) -> Any:
    for item in values.values() if isinstance(values, dict) else values:
        _check_model_id(item)
    return values


@dataclass(frozen=True)
class ProviderSettings:
    type: Literal["ollama", "openai", "anthropic"] | None = None
    base_url: str | None = None
    api_key_env: str | None = None
    timeout_seconds: float = rule(default=60.0, gt=0)
    connect_timeout_seconds: float = rule(default=5.0, gt=0)
    first_token_timeout_seconds: float = rule(default=30.0, gt=0)
    requests_per_minute: int | None = rule(default=None, ge=1)
    tokens_per_minute: int | None = rule(default=None, ge=1)
    max_concurrency: int | None = rule(default=None, ge=1)
    # None: remote unless the endpoint is on loopback. true: e.g. an SSH tunnel to another
    # machine on a local port (context is redacted and privacy.remote = deny applies).
    remote: bool | None = None


@dataclass(frozen=True)
class PrivacySettings:
    remote: Literal["allow", "deny"] = "allow"
    exclude_globs: list[str] = field(default_factory=list)  # gitignore patterns: never sent
    # gitignore patterns lifting the built-in deny list (.env*, *.pem, .ssh/, ...); honoured
    # only from the user's own settings file (providers/trust.py).
    allow_globs: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PromptSettings:
    directory: str | None = None


@dataclass(frozen=True)
class ExplainSettings:
    timeout_seconds: float = rule(default=60.0, gt=0)
    context_lines: int = rule(default=5, ge=0, le=200)
    prefetch: Literal["off", "errors", "all"] = "off"
    max_attempts: int = rule(default=6, ge=1, le=50)
    prefetch_per_minute: int = rule(default=10, ge=1, le=600)
    prefetch_debounce_ms: int = rule(default=1000, ge=0, le=60_000)
    # How an answer reaches an editor that discards command results (most do): auto = none
    # for a client that renders it (experimental.dexterExplanationView), else a Markdown
    # document beside the code when the client can show one, else a message.
    show: Literal["auto", "document", "message", "none"] = "auto"


@dataclass(frozen=True)
class CacheSettings:
    enabled: bool = True
    max_entries: int = rule(default=5000, ge=1, le=1_000_000)
    ttl_days: float = rule(default=30.0, gt=0)


@dataclass(frozen=True)
class TelemetrySettings:
    """Local only: every attempt, in SQLite in the user state dir. Never sent anywhere."""

    enabled: bool = True
    retention_days: float = rule(default=30.0, gt=0)
    max_rows: int = rule(default=100_000, ge=100)


@dataclass(frozen=True)
class Settings:
    model: str | None = rule(default=None, check=_check_model_id)
    fallback_chain: list[str] = rule(default_factory=list, check=_check_model_ids)
    providers: dict[str, ProviderSettings] = field(default_factory=dict)
    routing: Literal["ordered", "fastest", "balanced"] = "ordered"
    category_models: dict[str, str] = rule(default_factory=dict, check=_check_model_ids)
    privacy: PrivacySettings = field(default_factory=PrivacySettings)
    prompts: PromptSettings = field(default_factory=PromptSettings)
    explain: ExplainSettings = field(default_factory=ExplainSettings)
    cache: CacheSettings = field(default_factory=CacheSettings)
    telemetry: TelemetrySettings = field(default_factory=TelemetrySettings)

    @classmethod
    def from_data(cls, raw: object) -> Settings:
        """Settings from the `dexter` section (camelCase or snake_case keys); raises
        Invalid naming every problem (parse_settings instead drops what is wrong)."""
        return build(cls, raw, camel=True)


@dataclass(frozen=True)
class SettingsProblem:
    key: str  # dotted, as the user wrote it: "dexter.explain.timeoutSeconds"
    kind: Literal["invalid", "unknown"]
    message: str

    def __str__(self) -> str:
        if self.kind == "unknown":
            return f"Dexter: unknown setting '{self.key}' ignored."
        return f"Dexter: invalid setting '{self.key}': {self.message}. Using its default."


def parse_settings(raw: object) -> tuple[Settings, list[SettingsProblem]]:
    """Validate user settings (the contents of the `dexter` section)."""
    if raw is None:
        return Settings(), []
    if not isinstance(raw, Mapping):
        problem = SettingsProblem("dexter", "invalid", f"expected an object, got {_kind(raw)}")
        return Settings(), [problem]
    data: dict[str, Any] = _copy(raw)
    problems: list[SettingsProblem] = []
    for _ in range(100):  # each round removes at least one offending key
        try:
            return Settings.from_data(data), problems
        except Invalid as exc:
            for error in exc.problems:
                path = _key_path(error.loc)
                if not _remove(data, path):
                    continue
                key = "dexter." + ".".join(path)
                if error.unknown:
                    problems.append(SettingsProblem(key, "unknown", "not a Dexter setting"))
                else:
                    problems.append(SettingsProblem(key, "invalid", _expected(error)))
    return Settings(), problems  # pragma: no cover - defensive


def merge(*sources: Mapping[str, Any] | None) -> dict[str, Any]:
    """Deep-merge setting sources; later ones win key by key."""
    out: dict[str, Any] = {}
    for source in sources:
        if not source:
            continue
        for key, value in source.items():
            if isinstance(value, Mapping) and isinstance(out.get(key), dict):
                out[key] = merge(out[key], value)
            else:
                out[key] = _copy(value) if isinstance(value, Mapping) else value
    return out


def _key_path(loc: tuple[int | str, ...]) -> tuple[str, ...]:
    """The setting to drop for an error at `loc`: up to the last named key (not a list index)."""
    parts = list(loc)
    while parts and not isinstance(parts[-1], str):
        parts.pop()
    return tuple(str(p) for p in parts)


def _remove(data: dict[str, Any], path: tuple[str, ...]) -> bool:
    node: Any = data
    for part in path[:-1]:
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    if path and isinstance(node, dict) and path[-1] in node:
        del node[path[-1]]
        return True
    return False


def _expected(error: Problem) -> str:
    return f"{error.message} (got {_kind(error.input)})"


def _kind(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _copy(value: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _copy(v) if isinstance(v, Mapping) else v for k, v in value.items()}
