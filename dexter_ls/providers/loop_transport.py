"""httpx's transport for plain-HTTP endpoints with sockets served by the asyncio loop itself.

httpcore reaches the network through a pluggable backend; its default wraps every read and
write in anyio's cancel scopes and stream layers, which cost about 0.4 ms per streamed
answer (a tenth of a ms per few chunks, measured against a local model's fake in
`bench/model_figures.py`). This backend is an `asyncio.Protocol` with one buffer and one
waiter. It serves `http://` endpoints (local models, a team's gateway on the LAN); `https://`
keeps httpx's default transport and its TLS handling.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Iterable
from typing import Any

import httpcore
import httpx

from dexter_ls.core.within import within

_HIGH_WATER = 256 * 1024  # bytes buffered before the loop stops reading the socket


class _Socket(asyncio.Protocol):
    """One TCP connection: bytes received wait in `buffer`; a reader waits on `_readable`."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.closed = False  # the peer closed, or the connection was lost
        self._readable: asyncio.Future[None] | None = None
        self._writable: asyncio.Future[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if len(self.buffer) > _HIGH_WATER and self.transport is not None:
            self.transport.pause_reading()
        self._wake_reader()

    def eof_received(self) -> bool:
        self.closed = True
        self._wake_reader()
        return False  # close the transport

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._wake_reader()
        self.resume_writing()

    def pause_writing(self) -> None:
        if self._writable is None:
            self._writable = asyncio.get_running_loop().create_future()

    def resume_writing(self) -> None:
        waiter, self._writable = self._writable, None
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def _wake_reader(self) -> None:
        waiter, self._readable = self._readable, None
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def wait_readable(self) -> None:
        if self._readable is None or self._readable.done():  # done: a cancelled wait
            self._readable = asyncio.get_running_loop().create_future()
        await self._readable

    @property
    def paused(self) -> bool:
        return self._writable is not None

    async def wait_writable(self) -> None:
        if self._writable is not None:
            await asyncio.shield(self._writable)


async def _within(step: Awaitable[None], seconds: float | None, error: type[Exception]) -> None:
    try:
        await (step if seconds is None else within(step, seconds))
    except asyncio.TimeoutError:
        raise error(f"no progress within {seconds:g}s") from None


class LoopStream(httpcore.AsyncNetworkStream):
    def __init__(self, sock: _Socket) -> None:
        self._sock = sock

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        sock = self._sock
        if not sock.buffer and not sock.closed:
            await _within(sock.wait_readable(), timeout, httpcore.ReadTimeout)
        data = bytes(sock.buffer[:max_bytes])
        del sock.buffer[:max_bytes]
        if sock.transport is not None and len(sock.buffer) <= _HIGH_WATER // 2:
            sock.transport.resume_reading()
        return data  # b"" only once the peer has closed

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        sock = self._sock
        if sock.closed or sock.transport is None or sock.transport.is_closing():
            raise httpcore.WriteError("the connection is closed")
        sock.transport.write(buffer)
        if sock.paused:
            await _within(sock.wait_writable(), timeout, httpcore.WriteTimeout)

    async def aclose(self) -> None:
        if self._sock.transport is not None:
            self._sock.transport.close()

    async def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                        timeout: float | None = None) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("TLS goes through httpx's default transport")

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":  # an idle connection the server has closed (or wrote to)
            return self._sock.closed or bool(self._sock.buffer)
        transport = self._sock.transport
        if transport is None:
            return None
        name = {"client_addr": "sockname", "server_addr": "peername"}.get(info, info)
        return transport.get_extra_info(name)


class LoopBackend(httpcore.AsyncNetworkBackend):
    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: Iterable[Any] | None = None
                          ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        local = (local_address, 0) if local_address else None
        try:
            connect = loop.create_connection(_Socket, host, port, local_addr=local)
            transport, sock = await (connect if timeout is None else within(connect, timeout))
        except asyncio.TimeoutError:
            raise httpcore.ConnectTimeout(f"no connection within {timeout:g}s") from None
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        raw = transport.get_extra_info("socket")
        for option in socket_options or ():
            raw.setsockopt(*option)
        if raw is not None and raw.family in (socket.AF_INET, socket.AF_INET6):
            raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return LoopStream(sock)

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Iterable[Any] | None = None
                                  ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets go through httpx's default transport")

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class LoopTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with the pool rebuilt on `LoopBackend` (same limits)."""

    def __init__(self, limits: httpx.Limits) -> None:
        super().__init__(limits=limits)
        self._pool = httpcore.AsyncConnectionPool(
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=LoopBackend(),
        )
