"""Every `dexter.*` setting: one pydantic model, camelCase keys, a default for each field.

`parse_settings` never fails: an invalid value is reported (key + what was
expected) and that key falls back to its default; unknown keys are reported
separately so the caller can log them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic.alias_generators import to_camel

from dexter_ls.core.model_info import split_model_id

BUILTIN_MODEL = "builtin/reference"


class _Section(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True
    )


def _check_model_id(value: str) -> str:
    split_model_id(value)  # raises ValueError with the reason
    return value


class ProviderSettings(_Section):
    type: Literal["ollama", "openai", "anthropic"] | None = None
    base_url: str | None = None
    api_key_env: str | None = None
    timeout_seconds: float = Field(default=60.0, gt=0)
    connect_timeout_seconds: float = Field(default=5.0, gt=0)
    first_token_timeout_seconds: float = Field(default=30.0, gt=0)
    requests_per_minute: int | None = Field(default=None, ge=1)
    tokens_per_minute: int | None = Field(default=None, ge=1)
    max_concurrency: int | None = Field(default=None, ge=1)
    # None: remote unless the endpoint is on loopback. true: e.g. an SSH tunnel to another
    # machine on a local port (context is redacted and privacy.remote = deny applies).
    remote: bool | None = None


class PrivacySettings(_Section):
    remote: Literal["allow", "deny"] = "allow"
    exclude_globs: list[str] = Field(default_factory=list)


class PromptSettings(_Section):
    directory: str | None = None


class ExplainSettings(_Section):
    timeout_seconds: float = Field(default=60.0, gt=0)
    context_lines: int = Field(default=5, ge=0, le=200)
    prefetch: Literal["off", "errors", "all"] = "off"
    max_attempts: int = Field(default=6, ge=1, le=50)
    prefetch_per_minute: int = Field(default=10, ge=1, le=600)
    prefetch_debounce_ms: int = Field(default=1000, ge=0, le=60_000)
    # How an answer reaches an editor that discards command results (most do): auto = none
    # for a client that renders it (experimental.dexterExplanationView), else a Markdown
    # document beside the code when the client can show one, else a message.
    show: Literal["auto", "document", "message", "none"] = "auto"


class CacheSettings(_Section):
    enabled: bool = True
    max_entries: int = Field(default=5000, ge=1, le=1_000_000)
    ttl_days: float = Field(default=30.0, gt=0)


class TelemetrySettings(_Section):
    """Local only: every attempt, in SQLite in the user state dir. Never sent anywhere."""

    enabled: bool = True
    retention_days: float = Field(default=30.0, gt=0)
    max_rows: int = Field(default=100_000, ge=100)


class Settings(_Section):
    model: str | None = None
    fallback_chain: list[str] = Field(default_factory=list)
    providers: dict[str, ProviderSettings] = Field(default_factory=dict)
    routing: Literal["ordered", "fastest", "balanced"] = "ordered"
    category_models: dict[str, str] = Field(default_factory=dict)
    privacy: PrivacySettings = Field(default_factory=PrivacySettings)
    prompts: PromptSettings = Field(default_factory=PromptSettings)
    explain: ExplainSettings = Field(default_factory=ExplainSettings)
    cache: CacheSettings = Field(default_factory=CacheSettings)
    telemetry: TelemetrySettings = Field(default_factory=TelemetrySettings)

    @field_validator("model")
    @classmethod
    def _model_id(cls, value: str | None) -> str | None:
        return None if value is None else _check_model_id(value)

    @field_validator("fallback_chain")
    @classmethod
    def _chain_ids(cls, value: list[str]) -> list[str]:
        for item in value:
            _check_model_id(item)
        return value

    @field_validator("category_models")
    @classmethod
    def _category_ids(cls, value: dict[str, str]) -> dict[str, str]:
        for item in value.values():
            _check_model_id(item)
        return value


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
            return Settings.model_validate(data), problems
        except ValidationError as exc:
            for error in exc.errors():
                path = _key_path(error["loc"])
                if not _remove(data, path):
                    continue
                key = "dexter." + ".".join(path)
                if error["type"] == "extra_forbidden":
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


def _expected(error: Any) -> str:
    message = str(error.get("msg", "invalid value"))
    message = message.removeprefix("Value error, ")
    return f"{message} (got {_kind(error.get('input'))})"


def _kind(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _copy(value: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _copy(v) if isinstance(v, Mapping) else v for k, v in value.items()}
