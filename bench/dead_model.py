"""A dead local model (Ollama not running): how long each explanation takes.

1. The server (`dexter-ls` over stdio) with `dexter.model = ollama/qwen2.5-coder:7b` and
   OLLAMA_HOST on a closed port: three `dexter.explain` in a row, each timed from request
   to response. Goal: each < 1 s (before issue 11: ~1.5 s, then ~11 s waiting out the
   cooldown).
2. The CLI (`dexter explain --model ollama/qwen2.5-coder:7b`), the same dead Ollama: one
   run explaining three errors, timed end to end (before: 41 s). Goal: < 3 s, most of it
   Python start-up.
Run from the repository root: python bench/dead_model.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from fake_model import closed_port
from lsp_pipe import Pipe

MODEL = "ollama/qwen2.5-coder:7b"
URI = "file:///work/project/app.py"
TEXT = "import os\n\ndef main():\n    print(undefined_name)\n\nmain()\n"


def request(pipe: Pipe, method: str, params: Any) -> dict[str, Any]:
    sent = pipe.send(method, params)
    while True:
        message = pipe.receive()
        if message.get("id") == sent and "method" not in message:
            return message
        if "method" in message and "id" in message:  # a request from the server: answer
            reply(pipe, message["id"])


def reply(pipe: Pipe, msg_id: Any) -> None:
    body = json.dumps({"jsonrpc": "2.0", "id": msg_id, "result": None}).encode()
    assert pipe.proc.stdin is not None
    pipe.proc.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
    pipe.proc.stdin.flush()


def server_runs() -> list[float]:
    pipe = Pipe([sys.executable, "-m", "dexter_ls"])  # the environment set in main()
    request(pipe, "initialize", {"processId": None, "rootUri": None, "capabilities": {},
                                 "initializationOptions": {"model": MODEL}})
    pipe.send("initialized", {}, request=False)
    pipe.send("textDocument/didOpen", {"textDocument": {
        "uri": URI, "languageId": "python", "version": 1, "text": TEXT}}, request=False)
    times = []
    for line in range(3):
        diagnostic = {"range": {"start": {"line": line, "character": 0},
                                "end": {"line": line, "character": 1}},
                      "message": f"problem {line}", "source": "tool"}
        started = time.perf_counter()
        answer = request(pipe, "workspace/executeCommand", {
            "command": "dexter.explain", "arguments": [{"uri": URI, "diagnostic": diagnostic}]})
        times.append(time.perf_counter() - started)
        assert answer["result"]["model"] == "builtin/reference", answer
    request(pipe, "shutdown", None)
    pipe.send("exit", None, request=False)
    pipe.proc.wait(timeout=10)
    return times


def cli_run(env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "dexter_ls.cli", "explain", "--model", MODEL],
                          input="".join(f"app.py:{n}:1: error: name 'x{n}' is not defined\n"
                                        for n in range(1, 4)),  # three errors, one run
                          capture_output=True, text=True, env=env, check=False)
    took = time.perf_counter() - started
    assert done.returncode == 0, done.stderr
    return took


def main() -> None:
    port = closed_port()
    home = tempfile.mkdtemp(prefix="dexter-bench-dead-")
    env = {**os.environ, "DEXTER_LS_HOME": home, "OLLAMA_HOST": f"127.0.0.1:{port}"}
    os.environ.update(env)  # Pipe starts the server with this environment
    times = server_runs()
    print(f"dead {MODEL} (connection refused, 127.0.0.1:{port})")
    for index, took in enumerate(times, 1):
        print(f"  server explanation {index}: {took * 1000:7.1f} ms   (goal < 1000 ms)")
    print(f"  CLI `dexter explain`:     {cli_run(env) * 1000:7.1f} ms   (goal < 3000 ms, "
          "including Python start-up)")


if __name__ == "__main__":
    main()
