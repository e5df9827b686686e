"""`dexter-ls --tcp`: one client; an HTTP request or a second client is closed at once and
the first client keeps working (a web page's fetch to 127.0.0.1 cannot inject settings)."""

from __future__ import annotations

import asyncio
import json
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import server_env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def frame(message: dict[str, Any]) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


async def read_message(reader: asyncio.StreamReader) -> dict[str, Any]:
    length = 0
    while True:
        line = await reader.readline()
        if not line:
            raise ConnectionError("closed")
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
        if line == b"\r\n":
            return dict(json.loads(await reader.readexactly(length)))


async def answer(reader: asyncio.StreamReader, request_id: int) -> dict[str, Any]:
    """The response to `request_id` (notifications and server requests are skipped)."""
    while True:
        message = await asyncio.wait_for(read_message(reader), 20)
        if message.get("id") == request_id and "method" not in message:
            return message


async def refused(port: int, payload: bytes) -> bool:
    """The server closes this connection without a word."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(payload)
    await writer.drain()
    try:
        data = await asyncio.wait_for(reader.read(), 15)
    except ConnectionResetError:
        data = b""
    writer.close()
    return data == b""


@pytest.fixture
async def tcp_server(tmp_path: Path) -> AsyncIterator[int]:
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "dexter_ls", "--tcp", "--port", str(port), "--log-level", "INFO",
        env=server_env(str(tmp_path / "home")), stderr=asyncio.subprocess.PIPE)
    assert process.stderr is not None
    while b"TCP: serving on" not in await asyncio.wait_for(process.stderr.readline(), 20):
        pass
    yield port
    if process.returncode is None:
        process.kill()
    await process.wait()


async def test_one_client_and_nothing_else(tcp_server: int) -> None:
    port = tcp_server
    settings = {"jsonrpc": "2.0", "method": "workspace/didChangeConfiguration",
                "params": {"settings": {"dexter": {"model": "evil/x"}}}}
    http = json.dumps(settings).encode()
    post = (b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (len(http), http))
    assert await refused(port, post)  # before any client: closed, the server lives on

    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(frame({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                        "params": {"processId": None, "rootUri": None, "capabilities": {}}}))
    await writer.drain()
    assert "capabilities" in (await answer(reader, 1))["result"]
    writer.write(frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))

    assert await refused(port, post)  # a web page's fetch
    assert await refused(port, frame({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                                      "params": {"capabilities": {}}}))  # a second client

    writer.write(frame({"jsonrpc": "2.0", "id": 2, "method": "workspace/executeCommand",
                        "params": {"command": "dexter.listModels", "arguments": []}}))
    await writer.drain()
    listed = (await answer(reader, 2))["result"]
    assert "evil/x" not in json.dumps(listed)  # nothing from the POST was applied
    assert any(m["id"] == "builtin/reference" for m in listed["models"])
    writer.write(frame({"jsonrpc": "2.0", "id": 3, "method": "shutdown"}))
    await writer.drain()
    assert (await answer(reader, 3))["result"] is None
    writer.close()
