"""OpenAI-compatible chat completions: OpenAI itself, vLLM, llama.cpp's server, LM Studio,
LiteLLM. Streams `/v1/chat/completions` (SSE) and lists `/v1/models`.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx

from dexter_ls.core.model_info import Capability, ModelInfo, ModelStatus
from dexter_ls.core.provider import (
    ChatRequest,
    Chunk,
    ErrorClass,
    ProviderError,
    TextChunk,
    Usage,
    UsageChunk,
)
from dexter_ls.providers.http import (
    Endpoint,
    HTTPProvider,
    get_json,
    open_stream,
    parse_json,
    retry_after,
    scrub,
    should_retry,
    sse_events,
)

_CONTEXT = re.compile(
    r"context length|context window|context size|maximum context|too many tokens"
    r"|exceeds? the (available )?context|prompt is too long", re.IGNORECASE)
_POLICY = re.compile(r"content[_ ](policy|filter|management)|safety system", re.IGNORECASE)


class OpenAIProvider(HTTPProvider):
    def __init__(self, name: str, endpoint: Endpoint, *, local: bool = False) -> None:
        headers = {"Accept": "text/event-stream, application/json"}
        if endpoint.secret:
            headers["Authorization"] = f"Bearer {endpoint.secret}"
        super().__init__(name, endpoint, headers, local=local)

    def classify(self, status: int, body: Any, headers: httpx.Headers) -> ProviderError:
        return classify_openai(status, body, headers, self._endpoint.secret)

    async def discover(self) -> list[ModelInfo]:
        listing = await get_json(self._client, "/models", what=f"{self.name} model list",
                                 classify=self.classify)
        items = listing.get("data") if isinstance(listing, dict) else None
        if not isinstance(items, list):
            raise ProviderError(ErrorClass.SERVER, f"{self.name}: /models gave no 'data' list")
        items = [item for item in items if isinstance(item, dict) and "id" in item]
        # llama.cpp's server: older builds list only the training context (n_ctx_train); the
        # window it actually serves is `n_ctx` in /props.
        served = None
        if any(_is_llamacpp(item) and server_window(item) is None for item in items):
            served = await self._props_window()
        return [self._info(str(item["id"]), item, served) for item in items]

    async def _props_window(self) -> int | None:
        """`default_generation_settings.n_ctx` from llama.cpp's `/props` (None if absent)."""
        root = re.sub(r"/v1/?$", "", self._endpoint.base_url.rstrip("/"))
        try:
            props = await get_json(self._client, f"{root}/props", what=f"{self.name} props",
                                   classify=self.classify)
        except ProviderError:
            return None
        settings = props.get("default_generation_settings") if isinstance(props, dict) else None
        value = settings.get("n_ctx") if isinstance(settings, dict) else None
        return _positive(value)

    def _info(self, model: str, item: dict[str, Any], served: int | None = None) -> ModelInfo:
        meta = item.get("meta")
        meta = meta if isinstance(meta, dict) else {}
        window = server_window(item) or served or _positive(meta.get("n_ctx_train"))
        return ModelInfo(
            id=f"{self.name}/{model}",
            provider=self.name,
            name=model,
            display_name=model,
            family=_family(model),
            parameter_size=parameter_size(meta.get("n_params")),
            quantization=_text(meta.get("ftype")) or _text(item.get("quantization")),
            context_window=window,
            capabilities=frozenset({Capability.CHAT, Capability.STREAMING}),
            status=ModelStatus.AVAILABLE,
            local=self.local,
        )

    async def _stream(self, model: str, request: ChatRequest, what: str) -> AsyncIterator[Chunk]:
        body = {
            "model": model,
            "messages": [{"role": m.role, "content": m.content} for m in request.messages],
            "stream": True,
            "stream_options": {"include_usage": True},
            "max_tokens": request.max_output_tokens,
            "temperature": request.temperature,
        }
        usage = Usage()
        finish: str | None = None
        done = False
        async with open_stream(self._client, "POST", "/chat/completions", json=body, what=what,
                               classify=self.classify) as response:
            async for _event, data in sse_events(response, what):
                if data.strip() == "[DONE]":
                    done = True
                    break
                payload = parse_json(data, what)
                if not isinstance(payload, dict):
                    continue
                if "error" in payload:  # an error event in the middle of the stream
                    raise self.classify(200, payload, response.headers)
                reported = payload.get("usage")
                if isinstance(reported, dict):
                    usage = Usage.from_counts(reported.get("prompt_tokens"),
                                              reported.get("completion_tokens"))
                for choice in payload.get("choices") or []:
                    delta = choice.get("delta") or {}
                    text = delta.get("content")
                    if isinstance(text, str) and text:
                        yield TextChunk(text)
                    finish = choice.get("finish_reason") or finish
        if not done and finish is None:
            raise ProviderError(ErrorClass.INCOMPLETE_STREAM,
                                f"{what}: the stream ended without a finish reason or [DONE]")
        if finish == "content_filter":
            raise ProviderError(ErrorClass.CONTENT_POLICY, f"{what}: the answer was filtered")
        yield UsageChunk(usage, "length" if finish == "length" else finish)


def server_window(item: dict[str, Any]) -> int | None:
    """The context window a server says it serves this model with: llama.cpp `meta.n_ctx`,
    LM Studio `loaded_context_length` (else `max_context_length`), vLLM `max_model_len`,
    others `context_length`. Training contexts (llama.cpp `n_ctx_train`) are not this."""
    meta = item.get("meta")
    meta = meta if isinstance(meta, dict) else {}
    for value in (meta.get("n_ctx"), item.get("loaded_context_length"),
                  item.get("max_model_len"), item.get("context_length"),
                  item.get("max_context_length")):
        window = _positive(value)
        if window is not None:
            return window
    return None


def parameter_size(count: object) -> str | None:
    """134515008 -> '135M', 7241732096 -> '7.2B' (the form templates compare against)."""
    number = _positive(count)
    if number is None:
        return None
    if number >= 1_000_000_000:
        return f"{number / 1e9:.1f}B"
    return f"{max(1, round(number / 1e6))}M"


def _is_llamacpp(item: dict[str, Any]) -> bool:
    return item.get("owned_by") == "llamacpp" or isinstance(item.get("meta"), dict)


def _positive(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _family(model: str) -> str | None:
    name = model.lower().rsplit("/", 1)[-1]
    for family in ("gpt", "o1", "o3", "o4", "qwen", "llama", "mistral", "mixtral", "gemma",
                   "phi", "deepseek", "codellama", "starcoder", "smollm", "claude"):
        if name.startswith(family) or f"-{family}" in name:
            return family
    return None


def classify_openai(status: int, body: Any, headers: httpx.Headers,
                    secret: str | None = None) -> ProviderError:
    """One ProviderError from an OpenAI-style error response (OpenAI, vLLM, llama.cpp...)."""
    detail = body.get("error") if isinstance(body, dict) else None
    if isinstance(detail, dict):
        message = str(detail.get("message") or "")
        kind = str(detail.get("type") or "")
        code = str(detail.get("code") or "")
    else:  # vLLM puts the fields at the top level; some servers send plain text
        message = str(body.get("message", "")) if isinstance(body, dict) else str(body or "")
        kind = str(body.get("type", "")) if isinstance(body, dict) else ""
        code = ""
    message = scrub(message.strip() or f"HTTP {status}", secret)[:500]
    facts = f"{kind} {code} {message}"

    def error(error_class: ErrorClass) -> ProviderError:
        return ProviderError(error_class, message, retry_after=retry_after(headers),
                             status=status, should_retry=should_retry(headers))

    if status == 429:
        quota = "insufficient_quota" in facts or "quota" in message.lower()
        return error(ErrorClass.QUOTA if quota else ErrorClass.RATE_LIMITED)
    if status in (401, 403) or "invalid_api_key" in facts or "authentication" in kind:
        return error(ErrorClass.AUTH)
    if status == 404 or code == "model_not_found":
        return error(ErrorClass.NOT_FOUND)
    if ("context_length_exceeded" in facts or "exceed_context" in facts
            or _CONTEXT.search(message) or status == 413):
        return error(ErrorClass.CONTEXT_WINDOW)
    if _POLICY.search(facts):
        return error(ErrorClass.CONTENT_POLICY)
    if status == 408:
        return error(ErrorClass.TIMEOUT)
    if status >= 500 or kind in ("server_error", "api_error") or (status == 200 and not kind):
        return error(ErrorClass.SERVER)
    return error(ErrorClass.BAD_REQUEST)
