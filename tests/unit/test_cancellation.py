"""DexterProtocol: a cancelled command request cancels the command's own task; a client's
bad arguments are one WARNING line; a command knows its workDoneToken."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer

from dexter_ls.features.cancellation import DexterProtocol, command_params


class Sent:
    """Stands in for the client end of the stream: what the server wrote."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    def write(self, data: bytes) -> None:
        self.messages.append(data)

    def close(self) -> None:
        pass


def server() -> tuple[LanguageServer, Sent]:
    ls = LanguageServer("t", "0", protocol_cls=DexterProtocol)
    sent = Sent()
    ls.protocol.set_writer(sent)  # type: ignore[arg-type]
    return ls, sent


def execute(ls: LanguageServer, msg_id: str, command: str, token: str | None = None) -> None:
    ls.protocol._handle_request(msg_id, lsp.WORKSPACE_EXECUTE_COMMAND, lsp.ExecuteCommandParams(
        command=command, arguments=[], work_done_token=token))


async def test_cancelling_the_request_cancels_the_command_task() -> None:
    ls, sent = server()
    started, stopped = asyncio.Event(), asyncio.Event()
    seen: list[Any] = []

    @ls.command("slow")
    async def slow(ls: LanguageServer, *args: Any) -> None:
        params = command_params()
        seen.append(params.work_done_token if params else None)
        started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            stopped.set()
            raise

    execute(ls, "r1", "slow", token="tok")
    await started.wait()
    ls.protocol._handle_cancel_notification("r1")
    await asyncio.wait_for(stopped.wait(), 5)
    assert seen == ["tok"]
    assert b"-32800" in b"".join(sent.messages)  # answered: RequestCancelled


async def test_bad_arguments_are_one_warning_line(caplog: pytest.LogCaptureFixture) -> None:
    ls, sent = server()

    @ls.command("picky")
    async def picky(ls: LanguageServer, *args: Any) -> None:
        raise JsonRpcInvalidParams("picky: 'uri' must be a non-empty string")

    with caplog.at_level(logging.DEBUG):
        execute(ls, "r2", "picky")
        for _ in range(100):
            if sent.messages:
                break
            await asyncio.sleep(0.01)
    assert b"-32602" in b"".join(sent.messages)
    problems = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [(r.levelname, r.exc_info) for r in problems] == [("WARNING", None)]
    assert "'uri' must be a non-empty string" in problems[0].getMessage()
