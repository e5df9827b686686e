"""Anthropic's Messages API: streams `/v1/messages` (SSE with named events) and lists
`/v1/models`. The key travels only in `x-api-key`.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import httpx

from dexter_ls.core.model_info import ModelInfo, ModelStatus
from dexter_ls.core.provider import (
    ChatRequest,
    Chunk,
    ErrorClass,
    ProviderError,
    TextChunk,
    Usage,
    UsageChunk,
)
from dexter_ls.providers.anthropic_models import (
    BASIC_CAPABILITIES,
    CATALOG,
    family,
    lookup,
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

API_VERSION = "2023-06-01"
MAX_MODEL_PAGES = 5
MODEL_PAGE_SIZE = 100

_CONTEXT = re.compile(
    r"prompt is too long|exceeds? (the )?context (limit|window)|context (window|length)"
    r"|too many (input )?tokens", re.IGNORECASE)
_QUOTA = re.compile(
    r"credit balance|billing|purchase credits|usage limits?|spend(ing)? limit", re.IGNORECASE)

# error.type -> class, before the wording checks (prompt too long, credit balance) refine it.
_TYPES: dict[str, ErrorClass] = {
    "invalid_request_error": ErrorClass.BAD_REQUEST,
    "authentication_error": ErrorClass.AUTH,
    "permission_error": ErrorClass.AUTH,
    "billing_error": ErrorClass.QUOTA,
    "not_found_error": ErrorClass.NOT_FOUND,
    "request_too_large": ErrorClass.CONTEXT_WINDOW,
    "rate_limit_error": ErrorClass.RATE_LIMITED,
    "timeout_error": ErrorClass.TIMEOUT,
    "api_error": ErrorClass.SERVER,
    "overloaded_error": ErrorClass.SERVER,
}
_STATUSES: dict[int, ErrorClass] = {
    400: ErrorClass.BAD_REQUEST,
    401: ErrorClass.AUTH,
    402: ErrorClass.QUOTA,
    403: ErrorClass.AUTH,
    404: ErrorClass.NOT_FOUND,
    408: ErrorClass.TIMEOUT,
    413: ErrorClass.CONTEXT_WINDOW,
    429: ErrorClass.RATE_LIMITED,
    504: ErrorClass.TIMEOUT,
}


class AnthropicProvider(HTTPProvider):
    def __init__(self, name: str, endpoint: Endpoint) -> None:
        base = endpoint.base_url.rstrip("/")
        if base.endswith("/v1"):  # tolerate a base URL given with the version path
            endpoint = replace(endpoint, base_url=base[:-3])
        headers = {"Accept": "text/event-stream, application/json",
                   "anthropic-version": API_VERSION}
        if endpoint.secret:
            headers["x-api-key"] = endpoint.secret
        super().__init__(name, endpoint, headers)

    def classify(self, status: int | None, body: Any, headers: httpx.Headers) -> ProviderError:
        return classify_anthropic(status, body, headers, self._endpoint.secret)

    async def discover(self) -> list[ModelInfo]:
        """Every page of `/v1/models` (up to MAX_MODEL_PAGES); raises ProviderError."""
        what = f"{self.name} model list"
        models: dict[str, ModelInfo] = {}
        params: dict[str, str | int] = {"limit": MODEL_PAGE_SIZE}
        for _ in range(MAX_MODEL_PAGES):
            listing = await get_json(self._client, "/v1/models", what=what,
                                     classify=self.classify, params=params)
            items = listing.get("data") if isinstance(listing, dict) else None
            if not isinstance(items, list):
                raise ProviderError(ErrorClass.SERVER, f"{what}: no 'data' list")
            for item in items:
                if isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"]:
                    models.setdefault(item["id"], self._info(item["id"], item))
            last_id = listing.get("last_id")
            if listing.get("has_more") is not True or not isinstance(last_id, str) or not last_id:
                break
            params = {"limit": MODEL_PAGE_SIZE, "after_id": last_id}
        return list(models.values())

    def catalog_models(self) -> list[ModelInfo]:
        """The shipped catalog, for when the model list cannot be fetched (status unknown)."""
        return catalog_models(self.name)

    def _info(self, model: str, item: dict[str, Any]) -> ModelInfo:
        entry = lookup(model)
        display = item.get("display_name")
        created = item.get("created_at")
        return ModelInfo(
            id=f"{self.name}/{model}",
            provider=self.name,
            name=model,
            display_name=display if isinstance(display, str) and display else (
                entry.display_name if entry else model),
            family=family(model),
            context_window=entry.context_window if entry else None,
            capabilities=entry.capabilities if entry else BASIC_CAPABILITIES,
            status=ModelStatus.AVAILABLE,
            version=created[:10] if isinstance(created, str) and created else (
                entry.version if entry else None),
            local=self.local,
        )

    async def _stream(self, model: str, request: ChatRequest, what: str) -> AsyncIterator[Chunk]:
        system = "\n\n".join(m.content for m in request.messages if m.role == "system")
        body: dict[str, Any] = {
            "model": model,
            "max_tokens": request.max_output_tokens,
            "messages": [{"role": m.role, "content": m.content}
                         for m in request.messages if m.role in ("user", "assistant")],
            "stream": True,
            "temperature": request.temperature,
        }
        if system:
            body["system"] = system
        input_tokens: int | None = None
        output_tokens: int | None = None
        stop_reason: str | None = None
        produced = False
        done = False
        async with open_stream(self._client, "POST", "/v1/messages", json=body, what=what,
                               headers={"content-type": "application/json"},
                               classify=self.classify) as response:
            async for name, data in sse_events(response, what):
                if name not in _EVENTS and name != "message":
                    continue  # ping, and event types newer than this adapter
                payload = parse_json(data, what)
                if not isinstance(payload, dict):
                    continue
                # Anthropic names every event; without an `event:` line the type is in the data.
                event = name if name != "message" else str(payload.get("type") or "")
                if event == "error":
                    raise self.classify(None, payload, response.headers)
                if event == "message_start":
                    message = payload.get("message")
                    usage = message.get("usage") if isinstance(message, dict) else None
                    if isinstance(usage, dict):
                        input_tokens = _int(usage, "input_tokens", input_tokens)
                        output_tokens = _int(usage, "output_tokens", output_tokens)
                elif event == "content_block_delta":
                    delta = payload.get("delta")
                    if isinstance(delta, dict) and delta.get("type") == "text_delta":
                        text = delta.get("text")
                        if isinstance(text, str) and text:
                            produced = True
                            yield TextChunk(text)
                elif event == "message_delta":
                    delta = payload.get("delta")
                    if isinstance(delta, dict) and isinstance(delta.get("stop_reason"), str):
                        stop_reason = delta["stop_reason"]
                    usage = payload.get("usage")
                    if isinstance(usage, dict):  # cumulative counts
                        input_tokens = _int(usage, "input_tokens", input_tokens)
                        output_tokens = _int(usage, "output_tokens", output_tokens)
                elif event == "message_stop":
                    done = True
                    break
        if not done:
            raise ProviderError(ErrorClass.INCOMPLETE_STREAM,
                                f"{what}: the stream ended without message_stop")
        if stop_reason == "refusal" and not produced:
            raise ProviderError(ErrorClass.CONTENT_POLICY, f"{what}: the model declined to answer")
        yield UsageChunk(Usage.from_counts(input_tokens, output_tokens), stop_reason)


_EVENTS = frozenset({"message_start", "content_block_delta", "message_delta", "message_stop",
                     "error"})


def _int(raw: dict[str, Any], key: str, default: int | None) -> int | None:
    value = raw.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def classify_anthropic(status: int | None, body: Any, headers: httpx.Headers,
                       secret: str | None = None) -> ProviderError:
    """One ProviderError from an Anthropic error body (`{"type": "error", "error": {...}}`),
    an HTTP error response or an `error` event mid-stream (status None)."""
    detail = body.get("error") if isinstance(body, dict) else None
    if isinstance(detail, dict):
        kind = str(detail.get("type") or "")
        message = str(detail.get("message") or "")
    elif isinstance(body, dict):
        kind = str(body.get("type") or "")
        kind = "" if kind == "error" else kind
        message = str(body.get("message") or "")
    else:  # a proxy's HTML or plain text
        kind, message = "", str(body or "")
    label = f"HTTP {status}" if status is not None else "error event"
    message = scrub(message.strip() or f"{kind or label}", secret)[:500]

    error_class = _TYPES.get(kind)
    if error_class is None:
        if status is None:
            error_class = ErrorClass.SERVER
        else:
            error_class = _STATUSES.get(status) or (
                ErrorClass.SERVER if status >= 500 else ErrorClass.BAD_REQUEST)
    if error_class in (ErrorClass.BAD_REQUEST, ErrorClass.RATE_LIMITED) and _QUOTA.search(message):
        error_class = ErrorClass.QUOTA
    elif error_class is ErrorClass.BAD_REQUEST and _CONTEXT.search(message):
        error_class = ErrorClass.CONTEXT_WINDOW
    return ProviderError(error_class, message, retry_after=retry_after(headers), status=status,
                         should_retry=should_retry(headers))


def catalog_models(provider: str) -> list[ModelInfo]:
    """The shipped catalog as ModelInfo (status unknown: not confirmed by the API)."""
    return [
        ModelInfo(
            id=f"{provider}/{entry.id}",
            provider=provider,
            name=entry.id,
            display_name=entry.display_name,
            family=family(entry.id),
            context_window=entry.context_window,
            capabilities=entry.capabilities,
            status=ModelStatus.UNKNOWN,
            status_detail="from the shipped catalog; not confirmed by the API",
            version=entry.version,
            local=False,
        )
        for entry in CATALOG
    ]
