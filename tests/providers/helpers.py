"""What the adapter tests share: one diagnostic, draining a stream, and the checks every
adapter must pass the same way (a failure's class, text before a hang, closing on cancel)."""

from __future__ import annotations

import asyncio

import pytest

from dexter_ls.core.model_info import ModelInfo
from dexter_ls.core.provider import ChatRequest, ProviderError, TextChunk, UsageChunk
from dexter_ls.core.subject import Diagnostic, Position, Range, Subject
from dexter_ls.explain.prompt import build_request
from dexter_ls.providers.http import HTTPProvider
from tests.fakes.http_server import FakeHTTPServer

SUBJECT = Subject(Diagnostic("name 'foo' is not defined", Range(Position(0, 0), Position(0, 3)),
                             severity=1, code="NameError", source="python"), path="app.py")


def request_for(provider: str, model: str) -> ChatRequest:
    """The request the explainer would build for SUBJECT and `provider/model`."""
    return build_request(SUBJECT, ModelInfo(f"{provider}/{model}", provider, model, model))


async def collect(p: HTTPProvider, model: str, request: ChatRequest | None = None,
                  *, close: bool = True) -> tuple[str, list[UsageChunk]]:
    """The streamed text and usage chunks; the provider is closed after unless `close=False`."""
    text, usage = [], []
    try:
        async for chunk in p.stream(model, request or request_for(p.name, model)):
            if isinstance(chunk, TextChunk):
                text.append(chunk.text)
            elif isinstance(chunk, UsageChunk):
                usage.append(chunk)
    finally:
        if close:
            await p.aclose()
    return "".join(text), usage


async def failure(p: HTTPProvider, model: str, request: ChatRequest | None = None
                  ) -> ProviderError:
    """The ProviderError the stream must end with."""
    with pytest.raises(ProviderError) as caught:
        await collect(p, model, request)
    return caught.value


async def text_before_failure(p: HTTPProvider, model: str) -> tuple[list[str], ProviderError]:
    """The text chunks delivered before the stream failed, and the failure."""
    chunks: list[str] = []
    with pytest.raises(ProviderError) as caught:
        async for chunk in p.stream(model, request_for(p.name, model)):
            if isinstance(chunk, TextChunk):
                chunks.append(chunk.text)
    await p.aclose()
    return chunks, caught.value


async def assert_cancelling_closes_the_stream(p: HTTPProvider, model: str,
                                              server: FakeHTTPServer) -> None:
    """Cancel a stream the fake holds open: the HTTP connection is closed, not left hanging."""
    task = asyncio.ensure_future(collect(p, model))
    await asyncio.sleep(0.3)
    assert server.disconnects == 0
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await server.disconnected() == 1
