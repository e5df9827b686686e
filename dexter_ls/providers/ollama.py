"""Ollama: streams `/api/chat` (NDJSON), lists `/api/tags` with details from `/api/show`,
and checks liveness with `/api/version`.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx

from dexter_ls.core.model_info import Capability, ModelInfo, ModelStatus
from dexter_ls.core.provider import (
    ChatRequest,
    Chunk,
    ErrorClass,
    Health,
    ProviderError,
    TextChunk,
    Usage,
    UsageChunk,
)
from dexter_ls.providers.http import (
    Endpoint,
    HTTPProvider,
    get_json,
    is_loopback,
    lines,
    open_stream,
    parse_json,
    retry_after,
    scrub,
)

DEFAULT_NUM_CTX = 8192  # when discovery has not told us the model's window
MAX_NUM_CTX = 32768  # a bigger KV cache costs memory and load time for little gain here
NUM_CTX_STEP = 1024

_CONTEXT = re.compile(
    r"context length|context window|context size|maximum context|prompt too long"
    r"|prompt is too long|too many tokens", re.IGNORECASE)
_NOT_FOUND = re.compile(r"not found", re.IGNORECASE)
_CODE = re.compile(r"coder|codellama|codegemma|codestral|codeqwen|starcoder|granite-code",
                   re.IGNORECASE)


@dataclass(frozen=True)
class _Shown:
    """What `/api/show` says about one model version (cached by digest)."""

    context_window: int | None
    capabilities: frozenset[Capability]
    family: str | None


class OllamaProvider(HTTPProvider):
    def __init__(self, name: str, endpoint: Endpoint, *, local: bool | None = None) -> None:
        headers = {"Accept": "application/x-ndjson, application/json"}
        if endpoint.secret:  # Ollama itself has no auth; a proxy in front of it may
            headers["Authorization"] = f"Bearer {endpoint.secret}"
        # Unless told, local by its URL: OLLAMA_HOST may point elsewhere.
        super().__init__(name, endpoint, headers,
                         local=is_loopback(endpoint.base_url) if local is None else local)
        self._shown: dict[str, _Shown] = {}  # digest -> /api/show facts
        self._windows: dict[str, int] = {}  # model name -> context window, from discovery

    @staticmethod
    def canonical_name(model: str) -> str:
        """Ollama reads `llama3.2` as `llama3.2:latest`; so do we (one id per model)."""
        return model if ":" in model.rsplit("/", 1)[-1] else f"{model}:latest"

    def classify(self, status: int, body: Any, headers: httpx.Headers) -> ProviderError:
        return classify_ollama(status, body, headers, self._endpoint.secret)

    async def discover(self) -> list[ModelInfo]:
        listing = await get_json(self._client, "/api/tags", what=f"{self.name} model list",
                                 classify=self.classify)
        items = listing.get("models") if isinstance(listing, dict) else None
        if not isinstance(items, list):
            raise ProviderError(ErrorClass.SERVER, f"{self.name}: /api/tags gave no 'models' list")
        tags = [item for item in items
                if isinstance(item, dict) and isinstance(item.get("name") or item.get("model"),
                                                         str)]
        # One /api/show per digest we have not seen: tags of one model share a digest.
        missing: dict[str, str] = {}
        for item in tags:
            digest = str(item.get("digest") or "")
            if digest and digest not in self._shown and digest not in missing:
                missing[digest] = _tag_name(item)
        shown = await asyncio.gather(*(self._show(name) for name in missing.values()))
        for digest, facts in zip(missing, shown, strict=True):
            if facts is not None:
                self._shown[digest] = facts
        models = []
        for item in tags:
            digest = str(item.get("digest") or "")
            facts = self._shown.get(digest) if digest else None
            if facts is None and not digest:
                facts = await self._show(_tag_name(item))
            if facts is None and digest in missing:
                continue  # removed between /api/tags and /api/show
            models.append(self._info(item, facts))
        self._windows = {m.name: m.context_window for m in models if m.context_window}
        return models

    async def _show(self, model: str) -> _Shown | None:
        try:
            shown = await get_json(self._client, "/api/show", method="POST",
                                   json={"model": model}, what=f"{self.name}/{model} details",
                                   classify=self.classify)
        except ProviderError as exc:
            if exc.error_class is ErrorClass.NOT_FOUND:
                return None
            raise
        if not isinstance(shown, dict):
            raise ProviderError(ErrorClass.SERVER, f"{self.name}/{model}: /api/show gave no object")
        return _parse_show(shown)

    def _info(self, item: dict[str, Any], facts: _Shown | None) -> ModelInfo:
        model = _tag_name(item)
        details = item.get("details")
        details = details if isinstance(details, dict) else {}
        family = _str(details.get("family")) or (facts.family if facts else None)
        capabilities = facts.capabilities if facts else frozenset(
            {Capability.CHAT, Capability.STREAMING})
        if _CODE.search(model) or (family and _CODE.search(family)):
            capabilities |= {Capability.CODE}
        return ModelInfo(
            id=f"{self.name}/{model}",
            provider=self.name,
            name=model,
            display_name=model,
            family=family,
            parameter_size=_str(details.get("parameter_size")),
            quantization=_str(details.get("quantization_level")),
            context_window=facts.context_window if facts else None,
            capabilities=capabilities,
            status=ModelStatus.AVAILABLE,
            version=_str(item.get("digest")),
            local=self.local,
        )

    async def health(self) -> Health:
        """Liveness from `/api/version`: cheaper than listing (and showing) every model."""
        try:
            reply = await get_json(self._client, "/api/version", what=f"{self.name} version",
                                   classify=self.classify)
        except ProviderError as exc:
            return Health(False, str(exc))
        version = reply.get("version") if isinstance(reply, dict) else None
        if not isinstance(version, str):
            return Health(False, f"{self.name}: /api/version gave no version")
        return Health(True, f"Ollama {version}")

    def num_ctx(self, model: str, request: ChatRequest) -> int:
        """The context window to ask for. Ollama's default (2048-4096 tokens) silently drops
        the start of a longer prompt, so it is always sent explicitly."""
        window = self._windows.get(model)
        if window is None and ":" not in model:
            window = self._windows.get(f"{model}:latest")
        size = min(window, MAX_NUM_CTX) if window else DEFAULT_NUM_CTX
        size = max(size, _estimate_tokens(request) + request.max_output_tokens)
        return -(-size // NUM_CTX_STEP) * NUM_CTX_STEP

    async def _stream(self, model: str, request: ChatRequest, what: str) -> AsyncIterator[Chunk]:
        num_ctx = self.num_ctx(model, request)
        body = {
            "model": model,
            "messages": [{"role": m.role, "content": m.content} for m in request.messages],
            "stream": True,
            "options": {
                "num_ctx": num_ctx,
                "temperature": request.temperature,
                "num_predict": request.max_output_tokens,
            },
        }
        final: dict[str, Any] | None = None
        async with open_stream(self._client, "POST", "/api/chat", json=body, what=what,
                               classify=self.classify) as response:
            async for line in lines(response, what):
                if not line.strip():
                    continue
                payload = parse_json(line, what)
                if not isinstance(payload, dict):
                    raise ProviderError(ErrorClass.SERVER, f"{what}: unexpected line in the stream")
                if "error" in payload:  # Ollama reports a failure mid-stream as an error line
                    raise self.classify(200, payload, response.headers)
                message = payload.get("message")
                text = message.get("content") if isinstance(message, dict) else None
                if isinstance(text, str) and text:  # "thinking" is deliberately not shown
                    yield TextChunk(text)
                if payload.get("done") is True:
                    final = payload
                    break
        if final is None:
            raise ProviderError(ErrorClass.INCOMPLETE_STREAM,
                                f"{what}: the stream ended without its final (done) line")
        usage = Usage.from_counts(final.get("prompt_eval_count"), final.get("eval_count"))
        finish = _str(final.get("done_reason"))
        # Ollama does not fail when a prompt exceeds num_ctx: it silently drops the start of
        # the prompt and answers the rest. We size num_ctx to fit, but our estimate (4 chars
        # a token) can be off. Flag "prompt-truncated" (the chain records a warning) only on
        # evidence: a `truncated` flag, or counts that filled the whole window. A small
        # prompt_eval_count is no evidence: Ollama counts only the tokens it evaluated, so a
        # cached prompt prefix makes it small.
        used = (usage.input_tokens or 0) + (usage.output_tokens or 0)
        if final.get("truncated") is True or used >= num_ctx:
            finish = "prompt-truncated"
        yield UsageChunk(usage, finish)


def _estimate_tokens(request: ChatRequest) -> int:
    return sum(len(m.content) for m in request.messages) // 4


def _tag_name(item: dict[str, Any]) -> str:
    return str(item.get("name") or item.get("model"))


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _parse_show(shown: dict[str, Any]) -> _Shown:
    info = shown.get("model_info")
    info = info if isinstance(info, dict) else {}
    details = shown.get("details")
    details = details if isinstance(details, dict) else {}
    architecture = info.get("general.architecture")
    window = info.get(f"{architecture}.context_length") if isinstance(architecture, str) else None
    if not isinstance(window, int) or isinstance(window, bool) or window <= 0:
        window = None
    reported = shown.get("capabilities")
    # Ollama before 0.6.4 sends no capabilities: every model it lists could chat then.
    names = {str(c) for c in reported} if isinstance(reported, list) else {"completion"}
    capabilities = {Capability.STREAMING}
    if "completion" in names:
        capabilities.add(Capability.CHAT)
    if "tools" in names:
        capabilities.add(Capability.TOOLS)
    if "vision" in names:
        capabilities.add(Capability.VISION)
    return _Shown(window, frozenset(capabilities), _str(details.get("family")))


def classify_ollama(status: int, body: Any, headers: httpx.Headers,
                    secret: str | None = None) -> ProviderError:
    """One ProviderError from an Ollama error response: `{"error": "..."}` (or a proxy's text)."""
    if isinstance(body, dict):
        detail = body.get("error")
        message = detail if isinstance(detail, str) else str(detail or "")
    else:
        message = str(body or "")
    message = scrub(message.strip() or f"HTTP {status}", secret)[:500]

    def error(error_class: ErrorClass) -> ProviderError:
        return ProviderError(error_class, message, retry_after=retry_after(headers),
                             status=status)

    if status == 429:
        return error(ErrorClass.RATE_LIMITED)
    if status in (401, 403):
        return error(ErrorClass.AUTH)
    if status == 402:  # ollama.com: the model needs a subscription or credits
        return error(ErrorClass.QUOTA)
    if status == 404 or _NOT_FOUND.search(message):
        return error(ErrorClass.NOT_FOUND)
    if _CONTEXT.search(message) or status == 413:
        return error(ErrorClass.CONTEXT_WINDOW)
    if status == 408:
        return error(ErrorClass.TIMEOUT)
    if status >= 500 or status == 200:
        return error(ErrorClass.SERVER)
    return error(ErrorClass.BAD_REQUEST)
