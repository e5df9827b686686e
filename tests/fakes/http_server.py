"""A minimal HTTP/1.1 server on 127.0.0.1 for protocol fakes.

It runs on its own event loop in a thread, so synchronous tests, async tests and
a `dexter-ls` subprocess can all talk to it. Handlers write the status, headers
and body themselves, which lets fakes misbehave exactly: hang before the
headers, stop mid-stream, cut a chunked body without its terminator.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

REASONS = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
           404: "Not Found", 413: "Payload Too Large", 429: "Too Many Requests",
           500: "Internal Server Error", 503: "Service Unavailable", 529: "Overloaded"}


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass
class Reply:
    """What a handler writes to; streaming bodies are sent chunked."""

    writer: asyncio.StreamWriter
    reader: asyncio.StreamReader
    on_client_gone: Callable[[], None]
    started: bool = False
    chunked: bool = False
    closed: bool = field(default=False)

    async def start(self, status: int, headers: dict[str, str] | None = None,
                    *, chunked: bool = True) -> None:
        lines = [f"HTTP/1.1 {status} {REASONS.get(status, 'Status')}"]
        for name, value in (headers or {}).items():
            lines.append(f"{name}: {value}")
        if chunked:
            lines.append("Transfer-Encoding: chunked")
        lines.append("Connection: close")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        await self.writer.drain()
        self.started, self.chunked = True, chunked

    async def send(self, data: bytes | str) -> None:
        raw = data.encode() if isinstance(data, str) else data
        if self.chunked:
            raw = b"%x\r\n%s\r\n" % (len(raw), raw)
        self.writer.write(raw)
        await self.writer.drain()

    async def finish(self) -> None:
        if self.chunked:
            self.writer.write(b"0\r\n\r\n")
        await self.writer.drain()

    async def json(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        raw = json.dumps(body).encode()
        await self.start(status, {"Content-Type": "application/json",
                                  "Content-Length": str(len(raw)), **(headers or {})},
                         chunked=False)
        await self.send(raw)

    async def hang(self) -> None:
        """Send nothing more until the client gives up (closes the connection)."""
        while await self.reader.read(65536):
            pass
        self.on_client_gone()


Handler = Callable[[Request, Reply], Awaitable[None]]


class FakeHTTPServer:
    def __init__(self, handler: Handler) -> None:
        self._handler = handler
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.base_events.Server | None = None
        self.requests: list[Request] = []
        self.disconnects = 0  # clients that closed a connection the fake was holding open
        self._gone = threading.Event()  # set at the first disconnect
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FakeHTTPServer:
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(self._listen(), self._loop)
        future.result(timeout=10)
        return self

    def stop(self) -> None:
        async def close() -> None:
            if self._server is not None:
                self._server.close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    async def disconnected(self, timeout: float = 2.0) -> int:
        """`disconnects` once a client has gone, or after `timeout` seconds without one."""
        await asyncio.to_thread(self._gone.wait, timeout)
        return self.disconnects

    def _client_gone(self) -> None:
        self.disconnects += 1
        self._gone.set()

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            request_line, *header_lines = head.decode("latin-1").split("\r\n")
            method, path, _ = request_line.split(" ", 2)
            headers = {}
            for line in header_lines:
                if ":" in line:
                    name, value = line.split(":", 1)
                    headers[name.strip().lower()] = value.strip()
            body = await reader.readexactly(int(headers.get("content-length", "0") or 0))
            request = Request(method, path, headers, body)
            self.requests.append(request)
            await self._handler(request, Reply(writer, reader, self._client_gone))
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()


P = TypeVar("P")
F = TypeVar("F", bound="ProtocolFake[Any]")


class ProtocolFake(Generic[P]):
    """What the provider fakes share: a FakeHTTPServer running `_handle`, a queue of plans
    (one per chat request, `plan_type()` when empty) and the requests that arrived.

    Use as `fake = Fake().start()` ... `fake.stop()`, or `with Fake() as fake:`.
    """

    plan_type: Callable[..., P]

    def __init__(self) -> None:
        self.plans: deque[P] = deque()
        self.server = FakeHTTPServer(self._handle)

    @property
    def requests(self) -> list[Request]:
        return self.server.requests

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def requests_to(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    def plan(self, **kwargs: Any) -> None:
        self.plans.append(self.plan_type(**kwargs))

    def next_plan(self) -> P:
        return self.plans.popleft() if self.plans else self.plan_type()

    def start(self: F) -> F:
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()

    def __enter__(self: F) -> F:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    async def _handle(self, request: Request, reply: Reply) -> None:
        raise NotImplementedError
