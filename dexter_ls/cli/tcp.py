"""`dexter-ls --tcp`: one client, on loopback unless told otherwise, and nothing else.

The first connection whose first line is an LSP header (`Content-Length:` or
`Content-Type:`) becomes the client; every other connection is closed at once: a second
editor, a port scanner, or a web page's `fetch("http://127.0.0.1:2087", {method: "POST"})`
(an HTTP request line is not an LSP frame). A stray connection never stops the server;
the server ends when its client goes away, as it does on stdio.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)
FIRST_LINE_TIMEOUT_SECONDS = 10.0
MAX_HEADER_LINE = 1024
_LSP_HEADERS = (b"content-length:", b"content-type:")

RunClient = Callable[["PrefixedReader", asyncio.StreamWriter], Awaitable[None]]


class PrefixedReader:
    """A StreamReader that first gives back the line already read to vet the connection."""

    def __init__(self, first: bytes, reader: asyncio.StreamReader) -> None:
        self._first: bytes | None = first
        self._reader = reader

    async def readline(self) -> bytes:
        if self._first is not None:
            first, self._first = self._first, None
            return first
        return await self._reader.readline()

    async def readexactly(self, n: int) -> bytes:
        return await self._reader.readexactly(n)


def is_lsp_header(line: bytes) -> bool:
    return line.lower().startswith(_LSP_HEADERS) and line.endswith(b"\n")


async def serve_one_client(host: str, port: int, run_client: RunClient,
                           ready: Callable[[list[str]], None] | None = None) -> None:
    """Listen on host:port until the first LSP client has come and gone."""
    claimed = False
    finished = asyncio.Event()

    async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal claimed
        peer = writer.get_extra_info("peername")
        if claimed:
            log.warning("TCP: refused a second connection from %s (one client only)", peer)
            await _close(writer)
            return
        try:
            first = await asyncio.wait_for(reader.readline(), FIRST_LINE_TIMEOUT_SECONDS)
        except (asyncio.TimeoutError, OSError, ValueError):  # silent, gone, or no newline
            first = b""
        if claimed or not is_lsp_header(first[:MAX_HEADER_LINE]):
            log.warning("TCP: closed a connection from %s that did not speak LSP", peer)
            await _close(writer)
            return
        claimed = True
        log.info("TCP: client connected from %s", peer)
        try:
            await run_client(PrefixedReader(first, reader), writer)
        finally:
            finished.set()

    server = await asyncio.start_server(connection, host, port, limit=2**20)
    addresses = [str(sock.getsockname()) for sock in server.sockets]
    log.info("TCP: serving on %s", ", ".join(addresses))
    if ready is not None:
        ready(addresses)
    async with server:
        await finished.wait()


async def _close(writer: asyncio.StreamWriter) -> None:
    writer.close()
    try:
        await writer.wait_closed()
    except OSError:
        pass
