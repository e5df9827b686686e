"""The transport for plain-HTTP endpoints (`providers/loop_transport.py`) against a real
HTTP/1.1 server on 127.0.0.1 that keeps connections alive, closes idle ones, stalls, and
sends bodies larger than the transport's buffer."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from dexter_ls.core.provider import ErrorClass
from dexter_ls.providers.http import Endpoint, Timeouts, transport_error
from dexter_ls.providers.loop_transport import LoopTransport


class KeepAliveServer:
    """Answers `GET /n/<bytes>` with that many bytes, `GET /stall` never; counts connections;
    `close_idle` makes it close each connection after one answer without saying so."""

    def __init__(self) -> None:
        self.connections = 0
        self.close_idle = False
        self.headers: list[bytes] = []  # every request's header block
        self.server: asyncio.AbstractServer | None = None

    async def __aenter__(self) -> str:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port = self.server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                line = await reader.readline()
                if not line:
                    return
                block = b""
                while (header := await reader.readline()) not in (b"\r\n", b""):
                    block += header
                self.headers.append(block)
                path = line.split()[1].decode()
                if path == "/stall":
                    await asyncio.sleep(30)
                    return
                size = int(path.rsplit("/", 1)[1])
                writer.write(b"HTTP/1.1 200 OK\r\nSet-Cookie: session=s3cret; Path=/\r\n"
                             b"Content-Length: %d\r\n\r\n" % size)
                writer.write(b"x" * size)
                await writer.drain()
                if self.close_idle:
                    await asyncio.sleep(0.05)
                    writer.close()
                    return
        finally:
            writer.close()


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    limits = httpx.Limits(max_connections=4, max_keepalive_connections=4)
    async with httpx.AsyncClient(transport=LoopTransport(limits),
                                 timeout=httpx.Timeout(5.0, read=0.3)) as made:
        yield made


async def test_a_kept_alive_connection_is_reused(client: httpx.AsyncClient) -> None:
    server = KeepAliveServer()
    async with server as base:
        for _ in range(5):
            assert (await client.get(f"{base}/n/10")).content == b"x" * 10
    assert server.connections == 1


async def test_a_connection_the_server_closed_while_idle_is_not_reused(
        client: httpx.AsyncClient) -> None:
    server = KeepAliveServer()
    server.close_idle = True
    async with server as base:
        for _ in range(3):
            await asyncio.sleep(0.15)  # the server has closed the idle connection
            assert (await client.get(f"{base}/n/3")).content == b"xxx"
    assert server.connections == 3


async def test_a_body_larger_than_the_buffer_arrives_whole(client: httpx.AsyncClient) -> None:
    async with KeepAliveServer() as base:
        async with client.stream("GET", f"{base}/n/3000000") as response:
            received = 0
            async for part in response.aiter_bytes():
                received += len(part)
                await asyncio.sleep(0)  # a slow reader: the socket is paused and resumed
    assert received == 3_000_000


async def test_a_stalled_server_is_a_read_timeout(client: httpx.AsyncClient) -> None:
    async with KeepAliveServer() as base:
        with pytest.raises(httpx.ReadTimeout) as caught:
            await client.get(f"{base}/stall")
    assert transport_error(caught.value, "m").error_class is ErrorClass.TIMEOUT


async def test_nothing_listening_is_a_refused_connection(client: httpx.AsyncClient) -> None:
    server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    server.close()
    await server.wait_closed()
    with pytest.raises(httpx.ConnectError) as caught:
        await client.get(f"http://127.0.0.1:{port}/n/1")
    error = transport_error(caught.value, "local/model")
    assert error.error_class is ErrorClass.CONNECTION
    assert error.message == f"local/model: connection refused at http://127.0.0.1:{port}"
    assert error.should_retry is False


async def test_a_provider_keeps_no_cookie_an_endpoint_sets() -> None:
    server = KeepAliveServer()
    async with server as base:
        async with Endpoint(base, Timeouts()).client({"Authorization": "Bearer k"}) as made:
            for _ in range(2):
                assert (await made.get("/n/2")).content == b"xx"
    assert len(server.headers) == 2
    assert b"cookie" not in server.headers[1].lower()


async def test_requests_beyond_the_connection_limit_wait_for_a_free_one() -> None:
    server = KeepAliveServer()
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with server as base, httpx.AsyncClient(transport=LoopTransport(limits)) as made:
        answers = await asyncio.gather(*(made.get(f"{base}/n/{n}") for n in (1, 2, 3)))
    assert [a.content for a in answers] == [b"x", b"xx", b"xxx"]
    assert server.connections == 1  # one after the other, on the one connection


async def test_a_request_that_finds_no_free_connection_in_time_is_a_pool_timeout() -> None:
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with KeepAliveServer() as base, httpx.AsyncClient(
            transport=LoopTransport(limits), timeout=httpx.Timeout(5.0, pool=0.2)) as made:
        stalled = asyncio.ensure_future(made.get(f"{base}/stall"))
        await asyncio.sleep(0.05)
        with pytest.raises(httpx.PoolTimeout):
            await made.get(f"{base}/n/1")
        stalled.cancel()
        with pytest.raises(asyncio.CancelledError):
            await stalled
        # the cancelled request gave its connection back (closed): the next one is served
        assert (await made.get(f"{base}/n/2")).content == b"xx"


async def test_an_answer_read_only_in_part_does_not_leave_its_connection_in_the_pool(
        client: httpx.AsyncClient) -> None:
    server = KeepAliveServer()
    async with server as base:
        async with client.stream("GET", f"{base}/n/500000") as response:
            async for _ in response.aiter_bytes():
                break  # the rest is never read
        assert (await client.get(f"{base}/n/4")).content == b"xxxx"
    assert server.connections == 2
