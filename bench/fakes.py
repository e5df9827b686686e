"""The fake OpenAI server of the tests, tuned for measuring: TCP_NODELAY on every accepted
socket (else Nagle and delayed ACKs add ~40 ms and the benchmark measures the fake), a count
of requests in flight, and an optional concurrency limit it enforces itself with 429s."""

from __future__ import annotations

import asyncio
import socket
import threading

from tests.fakes.http_server import Reply, Request
from tests.fakes.openai_fake import ERRORS, FakeOpenAI


class FastFake(FakeOpenAI):
    def __init__(self, *, limit: int | None = None, token_delay: float = 0.0,
                 models: tuple[str, ...] = ("gpt-4o-mini", "tiny-coder"),
                 failing: tuple[str, ...] = ()) -> None:
        super().__init__(models)
        self.failing = failing  # models answered with a 500, every time
        self.limit = limit  # more chat requests at once than this are answered 429
        self.token_delay = token_delay
        self.in_flight = 0
        self.peak = 0
        self.rejected = 0
        self._lock = threading.Lock()
        serve = self.server._serve

        async def serve_without_nagle(reader: asyncio.StreamReader,
                                      writer: asyncio.StreamWriter) -> None:
            sock = writer.get_extra_info("socket")
            if sock is not None:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            await serve(reader, writer)

        self.server._serve = serve_without_nagle  # type: ignore[method-assign]

    def reset(self) -> None:
        with self._lock:
            self.peak = self.rejected = 0

    async def _handle(self, request: Request, reply: Reply) -> None:
        if request.path != "/v1/chat/completions":
            await super()._handle(request, reply)
            return
        with self._lock:
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            over = self.limit is not None and self.in_flight > self.limit
            self.rejected += over
        try:
            if over:
                status, body, headers = ERRORS["429"]
                await reply.json(status, body, {**headers, "retry-after": "1",
                                                "retry-after-ms": "1000"})
                return
            if self.failing and request.json().get("model") in self.failing:
                status, body, headers = ERRORS["500"]
                await reply.json(status, body, headers)
                return
            if self.token_delay and not self.plans:
                self.plan(delay=self.token_delay)
            await super()._handle(request, reply)
        finally:
            with self._lock:
                self.in_flight -= 1
