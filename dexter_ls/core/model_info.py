"""What the registry knows about one model."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum


class ModelStatus(str, Enum):
    AVAILABLE = "available"
    COOLING_DOWN = "cooling down"
    NEEDS_KEY = "needs key"
    NEEDS_APPROVAL = "needs approval"  # a key exists, but may not go to that endpoint yet
    UNAVAILABLE = "unavailable"
    UNKNOWN = "unknown"


class Capability(str, Enum):
    CHAT = "chat"
    STREAMING = "streaming"
    CODE = "code"
    OFFLINE = "offline"
    TOOLS = "tools"
    VISION = "vision"


@dataclass(frozen=True)
class ModelInfo:
    id: str  # "provider/model"
    provider: str
    name: str  # the provider's own model name
    display_name: str
    family: str | None = None
    parameter_size: str | None = None
    quantization: str | None = None
    context_window: int | None = None
    capabilities: frozenset[Capability] = field(default_factory=frozenset)
    status: ModelStatus = ModelStatus.UNKNOWN
    status_detail: str = ""
    version: str | None = None
    local: bool = False

    def with_status(self, status: ModelStatus, detail: str = "") -> ModelInfo:
        return replace(self, status=status, status_detail=detail)

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "provider": self.provider,
            "name": self.name,
            "displayName": self.display_name,
            "family": self.family,
            "parameterSize": self.parameter_size,
            "quantization": self.quantization,
            "contextWindow": self.context_window,
            "capabilities": sorted(c.value for c in self.capabilities),
            "status": self.status.value,
            "statusDetail": self.status_detail,
            "version": self.version,
            "local": self.local,
        }


def split_model_id(model_id: str) -> tuple[str, str]:
    """`"ollama/qwen2.5-coder:7b"` -> `("ollama", "qwen2.5-coder:7b")`; raises ValueError."""
    provider, sep, name = model_id.partition("/")
    if not sep or not provider or not name:
        raise ValueError(f"model id {model_id!r} is not of the form 'provider/model'")
    return provider, name
