"""The provider protocol: what every model backend implements, and the normalized errors it raises.

Adapters translate their wire format into `Chunk`s and their failures into
`ProviderError` with one `ErrorClass`; nothing else escapes an adapter.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal, Protocol, runtime_checkable

from dexter_ls.core.model_info import ModelInfo
from dexter_ls.core.subject import Subject


class ErrorClass(str, Enum):
    RATE_LIMITED = "rate-limited"
    QUOTA = "quota"
    AUTH = "auth"
    NOT_FOUND = "not-found"
    CONTEXT_WINDOW = "context-window"
    CONTENT_POLICY = "content-policy"
    BAD_REQUEST = "bad-request"
    TIMEOUT = "timeout"
    CONNECTION = "connection"
    SERVER = "server"
    CANCELLED = "cancelled"
    INCOMPLETE_STREAM = "incomplete-stream"


class ProviderError(Exception):
    """A failure of one model call, already classified. Messages never carry secrets."""

    def __init__(
        self,
        error_class: ErrorClass,
        message: str,
        *,
        retry_after: float | None = None,
        status: int | None = None,
        should_retry: bool | None = None,
    ) -> None:
        super().__init__(message)
        self.error_class = error_class
        self.message = message
        self.retry_after = retry_after  # seconds, from Retry-After / retry-after-ms
        self.status = status
        self.should_retry = should_retry  # the provider's own hint (x-should-retry)

    def __str__(self) -> str:
        return f"{self.error_class.value}: {self.message}"


@dataclass(frozen=True)
class ChatMessage:
    role: Literal["system", "user", "assistant"]
    content: str


@dataclass(frozen=True)
class ChatRequest:
    """A normalized request. `subject` lets non-LLM providers (builtin) work from structure."""

    messages: Sequence[ChatMessage]
    subject: Subject
    max_output_tokens: int = 700
    temperature: float = 0.2


@dataclass(frozen=True)
class TextChunk:
    text: str


@dataclass(frozen=True)
class Usage:
    input_tokens: int | None = None
    output_tokens: int | None = None
    source: Literal["reported", "estimated", "unknown"] = "unknown"

    def to_json(self) -> dict[str, object]:
        return {
            "inputTokens": self.input_tokens,
            "outputTokens": self.output_tokens,
            "source": self.source,
        }

    @classmethod
    def from_counts(cls, input_tokens: object, output_tokens: object) -> Usage:
        """The counts a provider reported (non-integers dropped); unknown if it gave neither."""
        inputs, outputs = _int_or_none(input_tokens), _int_or_none(output_tokens)
        if inputs is None and outputs is None:
            return cls()
        return cls(inputs, outputs, "reported")

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Usage:
        source = data.get("source")
        return cls(_int_or_none(data.get("inputTokens")), _int_or_none(data.get("outputTokens")),
                   source if source in ("reported", "estimated") else "unknown")


def _int_or_none(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class UsageChunk:
    usage: Usage
    finish_reason: str | None = None


Chunk = TextChunk | UsageChunk


@dataclass(frozen=True)
class Health:
    reachable: bool
    detail: str = ""
    models: tuple[ModelInfo, ...] = field(default=())


@runtime_checkable
class Provider(Protocol):
    """One model backend. `name` is the prefix of its model ids (`name/model`)."""

    name: str

    async def discover(self) -> list[ModelInfo]:
        """The models this provider can serve now (may touch the network; never on hot paths)."""
        ...

    async def health(self) -> Health:
        """Liveness from a free endpoint."""
        ...

    def stream(self, model: str, request: ChatRequest) -> AsyncIterator[Chunk]:
        """Stream the answer. Raises ProviderError (only) on failure."""
        ...
