"""HTTP plumbing shared by the network adapters: one client per provider, timeouts,
streaming parsers (SSE, NDJSON) and the translation of transport failures.

Nothing from httpx or json escapes: every failure becomes a ProviderError.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any

import httpx

from dexter_ls.core.model_info import ModelInfo
from dexter_ls.core.provider import ChatRequest, Chunk, ErrorClass, Health, ProviderError
from dexter_ls.core.within import within
from dexter_ls.providers.loop_transport import LoopTransport

MAX_ERROR_BODY = 64_000


@dataclass(frozen=True)
class Timeouts:
    connect: float = 5.0
    first_token: float = 30.0
    total: float = 60.0


@dataclass(frozen=True)
class Endpoint:
    """Where a provider lives and how to reach it. `secret` is only ever sent as a header."""

    base_url: str
    timeouts: Timeouts
    max_connections: int = 8
    secret: str | None = None

    def client(self, headers: dict[str, str]) -> httpx.AsyncClient:
        limits = httpx.Limits(max_connections=self.max_connections,
                              max_keepalive_connections=min(4, self.max_connections))
        plain = self.base_url.lower().startswith("http://")  # TLS stays with httpx's own
        client = httpx.AsyncClient(
            base_url=self.base_url.rstrip("/"),
            headers=headers,
            timeout=httpx.Timeout(self.timeouts.total, connect=self.timeouts.connect),
            limits=limits,
            transport=LoopTransport(limits) if plain else None,
            trust_env=False,  # never route a key through an ambient proxy setting
        )
        # Model APIs authenticate by header, never by cookie: none is kept (reading each
        # response's Set-Cookie headers into a jar cost more than parsing its stream).
        client.cookies.extract_cookies = _keep_no_cookies  # type: ignore[method-assign]
        return client


def _keep_no_cookies(response: httpx.Response) -> None:
    return None


class HTTPProvider(ABC):
    """What every network adapter shares: one client for its endpoint, error classification
    with the endpoint's secret, liveness from the model list, and the deadlines on `stream`.

    Subclasses implement `classify`, `discover` and `_stream` (the wire format).
    """

    def __init__(self, name: str, endpoint: Endpoint, headers: dict[str, str], *,
                 local: bool = False) -> None:
        self.name = name
        self.local = local  # on this machine: no redaction needed, allowed when remote is denied
        self._endpoint = endpoint
        self._headers = headers
        self._http: httpx.AsyncClient | None = None

    @property
    def _client(self) -> httpx.AsyncClient:
        """Made on first use: building one loads the TLS trust store (tens of ms), which a
        run answered from the offline reference or the cache never needs."""
        if self._http is None:
            self._http = self._endpoint.client(self._headers)
        return self._http

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()

    @abstractmethod
    def classify(self, status: int, body: Any, headers: httpx.Headers) -> ProviderError:
        """One ProviderError from an error response (or an error in a 200 stream)."""

    @abstractmethod
    async def discover(self) -> list[ModelInfo]:
        """Every model the endpoint lists; raises ProviderError."""

    async def health(self) -> Health:
        """Reachable when the model list can be fetched."""
        try:
            models = await self.discover()
        except ProviderError as exc:
            return Health(False, str(exc))
        return Health(True, f"{len(models)} models", tuple(models))

    async def stream(self, model: str, request: ChatRequest) -> AsyncIterator[Chunk]:
        what = f"{self.name}/{model}"
        async for chunk in with_deadlines(self._stream(model, request, what),
                                          self._endpoint.timeouts, what):
            yield chunk

    @abstractmethod
    def _stream(self, model: str, request: ChatRequest, what: str) -> AsyncIterator[Chunk]:
        """The answer in the provider's wire format, without deadlines."""


def is_loopback(url: str) -> bool:
    """The URL's host, as httpx (which connects) parses it, is a loopback literal."""
    from dexter_ls.providers.trust import EndpointError, origin_of

    try:
        return origin_of(url).loopback
    except EndpointError:
        return False


def scrub(text: str, secret: str | None) -> str:
    """Remove the key (and anything shaped like one) from text that may reach a log or the user."""
    if secret:
        text = text.replace(secret, "[redacted]")
    return re.sub(r"\b(sk|sk-ant|key)-[A-Za-z0-9_\-]{8,}", "[redacted]", text)


def retry_after(headers: httpx.Headers) -> float | None:
    """Seconds to wait, from `retry-after-ms` or `retry-after` (seconds or an HTTP date)."""
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(float(millis) / 1000, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        try:
            return max(parsedate_to_datetime(value).timestamp() - time.time(), 0.0)
        except (TypeError, ValueError):
            return None


def should_retry(headers: httpx.Headers) -> bool | None:
    value = headers.get("x-should-retry")
    return None if value is None else value.strip().lower() == "true"


def transport_error(exc: Exception, what: str) -> ProviderError:
    """A ProviderError for an httpx exception (never the exception itself)."""
    if isinstance(exc, (httpx.ConnectTimeout, httpx.PoolTimeout)):
        return ProviderError(ErrorClass.TIMEOUT, f"{what}: connection timed out")
    if isinstance(exc, httpx.TimeoutException):
        return ProviderError(ErrorClass.TIMEOUT, f"{what}: timed out waiting for data")
    if isinstance(exc, httpx.ConnectError):
        where = _origin(exc)
        if _refused(exc):  # nothing listens there: the server is not running
            return ProviderError(ErrorClass.CONNECTION, f"{what}: connection refused{where}",
                                 should_retry=False)
        return ProviderError(ErrorClass.CONNECTION, f"{what}: cannot connect{where}")
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError)):
        return ProviderError(ErrorClass.INCOMPLETE_STREAM, f"{what}: the connection broke off")
    return ProviderError(ErrorClass.CONNECTION, f"{what}: {type(exc).__name__}")


def _refused(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    for _ in range(8):  # httpx -> httpcore -> OSError -> ConnectionRefusedError
        if seen is None:
            return False
        if isinstance(seen, ConnectionRefusedError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _origin(exc: httpx.HTTPError) -> str:
    """' at scheme://host:port' of the request that failed (no path, no query), or ''."""
    try:
        url = exc.request.url
    except RuntimeError:
        return ""
    port = f":{url.port}" if url.port else ""
    return f" at {url.scheme}://{url.host}{port}"


def parse_json(raw: bytes | str, what: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        raise ProviderError(ErrorClass.SERVER, f"{what}: malformed JSON from the server") from None


@asynccontextmanager
async def open_stream(
    client: httpx.AsyncClient,
    method: str,
    path: str,
    *,
    what: str,
    classify: Callable[[int, Any, httpx.Headers], ProviderError],
    **kwargs: Any,
) -> AsyncIterator[httpx.Response]:
    """Send a request and yield the response once it is 200; map every failure."""
    try:
        response = await client.send(_request(client, method, path, **kwargs), stream=True)
        try:
            if response.status_code != 200:
                raw = await _read_capped(response)
                try:
                    body: Any = json.loads(raw) if raw else None
                except ValueError:
                    body = raw.decode("utf-8", "replace")
                raise classify(response.status_code, body, response.headers)
            yield response
        finally:
            await response.aclose()
    except httpx.HTTPError as exc:
        raise transport_error(exc, what) from None


def _request(client: httpx.AsyncClient, method: str, path: str, *, json: Any = None,
             headers: dict[str, str] | None = None, **other: Any) -> httpx.Request:
    """What `client.build_request` makes, from the endpoint's URLs parsed once: merging
    the base URL, headers and settings anew for every request took 60 µs of an explanation.
    Anything else (query parameters) goes through `build_request` itself."""
    if other:
        return client.build_request(method, path, json=json, headers=headers, **other)
    merged = client.headers
    if headers:
        merged = merged.copy()
        merged.update(headers)
    return httpx.Request(method, _url(client.base_url, path), headers=merged, json=json,
                         extensions={"timeout": client.timeout.as_dict()})


@lru_cache(maxsize=256)
def _url(base: httpx.URL, path: str) -> httpx.URL:
    """`path` under `base` as httpx joins them: appended to the base's path (which httpx
    ends with a slash); an absolute URL stays as it is."""
    url = httpx.URL(path)
    if not url.is_relative_url:
        return url
    return base.copy_with(raw_path=base.raw_path + url.raw_path.lstrip(b"/"))


async def get_json(
    client: httpx.AsyncClient,
    path: str,
    *,
    what: str,
    classify: Callable[[int, Any, httpx.Headers], ProviderError],
    method: str = "GET",
    **kwargs: Any,
) -> Any:
    async with open_stream(client, method, path, what=what, classify=classify,
                           **kwargs) as response:
        try:
            raw = await _read_capped(response)
        except httpx.HTTPError as exc:
            raise transport_error(exc, what) from None
    return parse_json(raw, what)


async def _read_capped(response: httpx.Response) -> bytes:
    data = b""
    async for part in response.aiter_bytes():
        data += part
        if len(data) > MAX_ERROR_BODY:
            break
    return data


async def lines(response: httpx.Response, what: str) -> AsyncIterator[str]:
    """Lines of a streamed body, with transport failures translated."""
    try:
        async for line in response.aiter_lines():
            yield line
    except httpx.HTTPError as exc:
        raise transport_error(exc, what) from None


async def sse_events(response: httpx.Response, what: str) -> AsyncIterator[tuple[str, str]]:
    """(event, data) pairs of a text/event-stream; comments and keep-alives are skipped."""
    event = "message"
    data: list[str] = []
    async for line in lines(response, what):
        if not line:
            if data:
                yield event, "\n".join(data)
            event, data = "message", []
        elif line.startswith(":"):
            continue  # a comment, often a keep-alive
        else:
            name, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if name == "event":
                event = value
            elif name == "data":
                data.append(value)
    if data:
        yield event, "\n".join(data)


async def with_deadlines(stream: AsyncIterator[Any], timeouts: Timeouts,
                         what: str) -> AsyncIterator[Any]:
    """Enforce the first-token deadline (no item yet) and the total deadline."""
    started = time.monotonic()
    first = True
    iterator = stream.__aiter__()
    while True:
        remaining = timeouts.total - (time.monotonic() - started)
        limit = min(timeouts.first_token, remaining) if first else remaining
        if limit <= 0:
            raise ProviderError(ErrorClass.TIMEOUT, f"{what}: no complete answer within "
                                f"{timeouts.total:.0f}s")
        try:
            item = await within(iterator.__anext__(), limit)
        except StopAsyncIteration:
            return
        except asyncio.TimeoutError:
            which = "first token" if first else "answer"
            seconds = timeouts.first_token if first else timeouts.total
            raise ProviderError(ErrorClass.TIMEOUT,
                                f"{what}: no {which} within {seconds:.0f}s") from None
        first = False
        yield item

