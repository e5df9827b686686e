"""A raw stdio client for `dexter-ls`: writes any bytes (broken frames included), reads the
server's frames in a thread, and pairs answers with requests by id. For tests that must send
what no well-behaved client library would."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from itertools import count
from pathlib import Path
from typing import Any

from tests.e2e.conftest import server_env

SERVER = [sys.executable, "-m", "dexter_ls", "--log-level", "WARNING"]


def frame(message: Any) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


class RawServer:
    def __init__(self, home: Path, log_dir: Path | None = None, **env: str) -> None:
        self.log = (log_dir or home) / "server.log"
        with self.log.open("wb") as log:  # the child keeps its own descriptor
            self.proc = subprocess.Popen(
                SERVER, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                env=server_env(str(home), **env))
        self.answers: dict[Any, dict[str, Any]] = {}
        self.notifications: list[dict[str, Any]] = []
        self.unmatched: list[dict[str, Any]] = []  # errors with a null id
        self._arrived = threading.Condition()
        self._ids = count(10_000)
        self._requests: queue.Queue[dict[str, Any]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    # --- writing ------------------------------------------------------------------------

    def write(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, message: Any) -> None:
        self.write(frame(message))

    def request(self, method: str, params: Any = None, timeout: float = 30) -> dict[str, Any]:
        msg_id = next(self._ids)
        self.send({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})
        return self.answer(msg_id, timeout)

    def notify(self, method: str, params: Any = None) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def initialize(self, root: Path, settings: dict[str, Any] | None = None) -> None:
        answer = self.request("initialize", {
            "processId": os.getpid(), "rootUri": root.as_uri(), "capabilities": {},
            "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
            "initializationOptions": settings or {}})
        assert "result" in answer, answer
        self.notify("initialized", {})

    # --- reading ------------------------------------------------------------------------

    def answer(self, msg_id: Any, timeout: float = 30) -> dict[str, Any]:
        with self._arrived:
            if not self._arrived.wait_for(lambda: msg_id in self.answers or not self.alive,
                                          timeout):
                raise TimeoutError(f"no answer to request {msg_id!r} in {timeout}s")
        if msg_id not in self.answers:
            raise AssertionError(f"the server died before answering {msg_id!r}: "
                                 f"exit {self.proc.poll()}")
        return self.answers[msg_id]

    def wait_unmatched(self, n: int, timeout: float = 30) -> list[dict[str, Any]]:
        with self._arrived:
            self._arrived.wait_for(lambda: len(self.unmatched) >= n, timeout)
        return list(self.unmatched)

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    with self._arrived:
                        self._arrived.notify_all()
                    return
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
                if line in (b"\r\n", b"\n") and length is not None:
                    break
            message = json.loads(out.read(length))
            self._dispatch(message)

    def _dispatch(self, message: dict[str, Any]) -> None:
        if "method" in message and "id" in message:  # a request from the server
            self.send({"jsonrpc": "2.0", "id": message["id"], "result": _reply(message)})
            return
        with self._arrived:
            if "method" in message:
                self.notifications.append(message)
            elif message.get("id") is None:
                self.unmatched.append(message)
            else:
                self.answers[message["id"]] = message
            self._arrived.notify_all()

    def close(self) -> None:
        if self.alive:
            try:
                self.request("shutdown", timeout=10)
                self.notify("exit")
                self.proc.wait(10)
            except (OSError, TimeoutError, AssertionError, subprocess.TimeoutExpired):
                self.proc.kill()
        self.proc.wait(10)


def _reply(request: dict[str, Any]) -> Any:
    if request["method"] == "workspace/configuration":
        return [None for _ in (request.get("params") or {}).get("items", [])]
    return None
