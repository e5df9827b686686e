"""httpx's transport for plain-HTTP endpoints (local models, a team's gateway on the LAN):
HTTP/1.1 by h11 over sockets the asyncio loop serves itself, with a small keep-alive pool.

httpcore, under httpx's default transport, takes anyio locks, events and shielded cancel
scopes at each step of a request; measured through the server, it spent 0.4 ms of every
explanation before the request left and after the answer ended (`bench/model_figures.py`),
more than all of Dexter's own work. This transport does what those requests need and no more:
one request per connection at a time, connections kept for `keepalive_expiry` seconds and
reused only when the server left them open and silent, at most `max_connections` at once.
`https://` endpoints keep httpx's default transport and its TLS handling.

Every failure is an httpx exception carrying its request, as httpx's own transport raises:
ConnectError (from the OSError, so a refused connection can be told), ConnectTimeout,
ReadTimeout, WriteTimeout, ReadError, WriteError, RemoteProtocolError, PoolTimeout.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import h11
import httpx

from dexter_ls.core.within import within

_READ_SIZE = 65536
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

    async def read(self, timeout: float | None) -> bytes:
        """Up to _READ_SIZE bytes; b"" once the peer has closed. Raises TimeoutError."""
        if not self.buffer and not self.closed:
            if self._readable is None or self._readable.done():  # done: a cancelled wait
                self._readable = asyncio.get_running_loop().create_future()
            waiter = self._readable
            await (waiter if timeout is None else within(waiter, timeout))
        data = bytes(self.buffer[:_READ_SIZE])
        del self.buffer[:_READ_SIZE]
        if self.transport is not None and len(self.buffer) <= _HIGH_WATER // 2:
            self.transport.resume_reading()
        return data

    async def write(self, data: bytes, timeout: float | None) -> None:
        """Raises OSError when the connection is gone, TimeoutError when it stays full."""
        if self.closed or self.transport is None or self.transport.is_closing():
            raise ConnectionResetError("the connection is closed")
        self.transport.write(data)
        if self._writable is not None:
            waiter = asyncio.shield(self._writable)
            await (waiter if timeout is None else within(waiter, timeout))

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()
        self.closed = True


class _Connection:
    def __init__(self, origin: tuple[str, int], sock: _Socket) -> None:
        self.origin = origin
        self.sock = sock
        self.h11 = h11.Connection(h11.CLIENT)
        self.idle_since = 0.0

    def reusable(self, expiry: float) -> bool:
        """Still open, silent since its last answer (no close, no stray bytes), not stale."""
        return (not self.sock.closed and not self.sock.buffer
                and time.monotonic() - self.idle_since < expiry)


def _timeouts(request: httpx.Request) -> dict[str, float | None]:
    timeout = request.extensions.get("timeout")
    return timeout if isinstance(timeout, dict) else {}


class LoopTransport(httpx.AsyncBaseTransport):
    def __init__(self, limits: httpx.Limits) -> None:
        self._max_connections = limits.max_connections or 100
        self._max_idle = (limits.max_keepalive_connections
                          if limits.max_keepalive_connections is not None
                          else self._max_connections)
        self._expiry = limits.keepalive_expiry if limits.keepalive_expiry is not None else 5.0
        self._idle: list[_Connection] = []
        self._open = 0
        self._waiters: list[asyncio.Future[None]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.scheme != "http":
            raise httpx.UnsupportedProtocol(
                f"this transport serves http:// only, not {request.url.scheme}://",
                request=request)
        timeouts = _timeouts(request)
        origin = (request.url.host, request.url.port or 80)
        conn = await self._checkout(origin, request, timeouts)
        try:
            await self._send(conn, request, timeouts)
            response = await self._receive_head(conn, request, timeouts)
        except BaseException:
            self._release(conn, reuse=False)
            raise
        return httpx.Response(
            response.status_code, headers=response.headers,
            stream=_Body(self, conn, request, timeouts),
            extensions={"http_version": b"HTTP/1.1", "reason_phrase": response.reason})

    async def aclose(self) -> None:
        idle, self._idle = self._idle, []
        for conn in idle:
            conn.sock.close()
            self._open -= 1

    # --- the pool -------------------------------------------------------------------------

    async def _checkout(self, origin: tuple[str, int], request: httpx.Request,
                        timeouts: dict[str, float | None]) -> _Connection:
        timeout = timeouts.get("pool")
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            conn = self._take_idle(origin)
            if conn is not None:
                return conn
            if self._open < self._max_connections:
                break
            if self._idle:  # full, but an idle connection elsewhere can make room
                self._idle.pop(0).sock.close()
                self._open -= 1
                break
            await self._wait(request, timeout, deadline)
        self._open += 1
        try:
            sock = await self._connect(origin, request, timeouts.get("connect"))
        except BaseException:
            self._open -= 1
            self._wake_one()
            raise
        return _Connection(origin, sock)

    def _take_idle(self, origin: tuple[str, int]) -> _Connection | None:
        """The most recently used idle connection to `origin` that may serve again; idle
        connections that may not (closed, spoken to, stale) are closed on the way."""
        found = None
        for conn in reversed(self._idle):
            if not conn.reusable(self._expiry):
                conn.sock.close()
                self._open -= 1
            elif found is None and conn.origin == origin:
                found = conn
        self._idle = [c for c in self._idle if c is not found and not c.sock.closed]
        return found

    async def _wait(self, request: httpx.Request, timeout: float | None,
                    deadline: float | None) -> None:
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise asyncio.TimeoutError
            await (waiter if left is None else within(waiter, left))
        except BaseException as exc:
            if waiter in self._waiters:
                self._waiters.remove(waiter)
            elif waiter.done() and not waiter.cancelled():
                self._wake_one()  # woken, but leaving (timed out, cancelled): pass it on
            if isinstance(exc, asyncio.TimeoutError):
                raise httpx.PoolTimeout(f"no free connection within {timeout:g}s",
                                        request=request) from None
            raise

    def _wake_one(self) -> None:
        while self._waiters:
            waiter = self._waiters.pop(0)
            if not waiter.done():
                waiter.set_result(None)
                return

    def _release(self, conn: _Connection, *, reuse: bool) -> None:
        """Back to the pool when the exchange ended cleanly and both sides keep the
        connection; else closed."""
        state = conn.h11
        if (reuse and state.our_state is h11.DONE and state.their_state is h11.DONE
                and len(self._idle) < self._max_idle and not conn.sock.closed):
            state.start_next_cycle()
            conn.idle_since = time.monotonic()
            self._idle.append(conn)
        else:
            conn.sock.close()
            self._open -= 1
        self._wake_one()

    # --- one exchange ---------------------------------------------------------------------

    async def _connect(self, origin: tuple[str, int], request: httpx.Request,
                       timeout: float | None) -> _Socket:
        loop = asyncio.get_running_loop()
        try:
            connect = loop.create_connection(_Socket, *origin)
            _, sock = await (connect if timeout is None else within(connect, timeout))
        except asyncio.TimeoutError:
            raise httpx.ConnectTimeout(f"no connection within {timeout:g}s",
                                       request=request) from None
        except OSError as exc:
            raise httpx.ConnectError(str(exc) or type(exc).__name__, request=request) from exc
        return sock

    async def _send(self, conn: _Connection, request: httpx.Request,
                    timeouts: dict[str, float | None]) -> None:
        try:
            parts = [conn.h11.send(h11.Request(method=request.method,
                                               target=request.url.raw_path,
                                               headers=request.headers.raw))]
            assert isinstance(request.stream, httpx.AsyncByteStream)
            async for chunk in request.stream:
                parts.append(conn.h11.send(h11.Data(data=chunk)))
            parts.append(conn.h11.send(h11.EndOfMessage()))
            await conn.sock.write(b"".join(p for p in parts if p), timeouts.get("write"))
        except asyncio.TimeoutError:
            raise httpx.WriteTimeout("the server took no more of the request",
                                     request=request) from None
        except h11.LocalProtocolError as exc:
            raise httpx.LocalProtocolError(str(exc), request=request) from exc
        except OSError as exc:
            raise httpx.WriteError(str(exc) or type(exc).__name__, request=request) from exc

    async def _receive_head(self, conn: _Connection, request: httpx.Request,
                            timeouts: dict[str, float | None]) -> h11.Response:
        while True:
            event = await _next_event(conn, request, timeouts)
            if isinstance(event, h11.Response):
                return event
            if isinstance(event, h11.ConnectionClosed):
                raise httpx.RemoteProtocolError("the server closed the connection without "
                                                "answering", request=request)
            # an InformationalResponse (1xx): the answer follows


async def _next_event(conn: _Connection, request: httpx.Request,
                      timeouts: dict[str, float | None]) -> object:
    while True:
        try:
            event = conn.h11.next_event()
        except h11.RemoteProtocolError as exc:
            raise httpx.RemoteProtocolError(str(exc), request=request) from exc
        if event is not h11.NEED_DATA:
            return event
        try:
            data = await conn.sock.read(timeouts.get("read"))
        except asyncio.TimeoutError:
            raise httpx.ReadTimeout("no data from the server in time", request=request) \
                from None
        except OSError as exc:
            raise httpx.ReadError(str(exc) or type(exc).__name__, request=request) from exc
        try:
            conn.h11.receive_data(data)  # b"": the server closed the connection
        except h11.RemoteProtocolError as exc:
            raise httpx.RemoteProtocolError(str(exc), request=request) from exc


class _Body(httpx.AsyncByteStream):
    """The response body; the connection goes back to the pool once it was read to the end."""

    def __init__(self, transport: LoopTransport, conn: _Connection, request: httpx.Request,
                 timeouts: dict[str, float | None]) -> None:
        self._transport = transport
        self._conn: _Connection | None = conn
        self._request = request
        self._timeouts = timeouts

    async def __aiter__(self) -> AsyncIterator[bytes]:
        conn = self._conn
        if conn is None:
            return
        while True:
            event = await _next_event(conn, self._request, self._timeouts)
            if isinstance(event, h11.Data):
                yield bytes(event.data)
            elif isinstance(event, h11.EndOfMessage) or event is h11.PAUSED:
                return
            elif isinstance(event, h11.ConnectionClosed):
                raise httpx.RemoteProtocolError("the server closed the connection before the "
                                                "end of the answer", request=self._request)

    async def aclose(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:  # read to the end: reusable; cut short: closed
            self._transport._release(conn, reuse=True)
