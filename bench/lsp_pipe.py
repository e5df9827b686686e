"""A minimal synchronous JSON-RPC client over a subprocess's stdio, for benchmarks."""

from __future__ import annotations

import json
import subprocess
from typing import Any


class Pipe:
    def __init__(self, command: list[str], env: dict[str, str] | None = None) -> None:
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, env=env)
        self._id = 0

    def send(self, method: str, params: Any, *, request: bool = True) -> int | None:
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method, "params": params}
        if request:
            self._id += 1
            message["id"] = self._id
        body = json.dumps(message).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.proc.stdin.flush()
        return message.get("id")

    def receive(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        length = 0
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise EOFError("server closed its output")
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        message: dict[str, Any] = json.loads(self.proc.stdout.read(length))
        return message

    def request(self, method: str, params: Any) -> Any:
        ident = self.send(method, params)
        while True:
            message = self.receive()
            if message.get("id") == ident and "method" not in message:
                return message.get("result")
            if "method" in message and "id" in message:  # a server request: answer empty
                self.reply(message["id"], [None] * len(message["params"].get("items", [None])))

    def reply(self, ident: Any, result: Any) -> None:
        body = json.dumps({"jsonrpc": "2.0", "id": ident, "result": result}).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.proc.stdin.flush()

    def close(self) -> None:
        try:
            self.request("shutdown", None)
            self.send("exit", None, request=False)
            self.proc.wait(timeout=5)
        except (EOFError, BrokenPipeError, subprocess.TimeoutExpired):
            self.proc.kill()


# The client renders explanation chunks itself, like the VS Code, Neovim and Emacs packages
# (else the server also shows each answer in a window/showMessage, which no floor does).
INITIALIZE: dict[str, Any] = {"processId": None, "rootUri": None, "capabilities": {
    "experimental": {"dexterExplanationView": True}}}


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MiB (Linux /proc)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def pipelined(pipe: Pipe, method: str, params: list[Any], window: int = 50) -> list[Any]:
    """Send up to `window` requests before reading their answers (as a busy editor does);
    answers server requests on the way; returns the results in the order sent. The window
    keeps both pipes from filling up (a server blocked writing answers stops reading)."""
    results: dict[Any, Any] = {}
    ids: list[Any] = []
    for start in range(0, len(params), window):
        batch = [pipe.send(method, p) for p in params[start:start + window]]
        ids.extend(batch)
        while not all(i in results for i in batch):
            message = pipe.receive()
            if "id" in message and "method" not in message:
                results[message["id"]] = message.get("result", message.get("error"))
            elif "method" in message and "id" in message:
                pipe.reply(message["id"], [None] * len(message["params"].get("items", [None])))
    return [results[i] for i in ids]
